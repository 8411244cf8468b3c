#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: cognito_user_pool
short_description: Manage an Amazon Cognito user pool and its app client
version_added: 0.3.0
description:
  - Creates, updates or deletes a Cognito user pool (sign-in with an e-mail address) and, with
    O(client), one app client of it, the audience the service's tokens are issued for.
  - The pool is found by O(name), the client by O(client.name). Password policy, verified attributes,
    deletion protection, tags and the client's auth flows and token lifetimes are compared with what
    exists after normalising both (token lifetimes in minutes or days whatever unit AWS keeps); a
    re-run with nothing changed makes no write.
  - Settings this module does not manage (e-mail and SMS configuration, Lambda triggers, OAuth
    settings of the client...) are carried over on every update, because Cognito's update calls reset
    whatever a request leaves out.
  - Check mode reads only, and returns C((known after apply)) for ids that do not exist yet. In diff mode
    the diff shows the pool and its client before and after.
author:
  - faith.ops maintainers (@faith-ops)
options:
  name:
    description: Name of the user pool (1 to 128 letters, digits, spaces or C(+=,.@-_)); unique in the account and region.
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the pool, then the client.
      - V(absent) deletes the pool with its clients. A pool with deletion protection is only deleted when
        O(deletion_protection=false) is given explicitly; the protection is then turned off first.
    type: str
    choices: [present, absent]
    default: present
  password_policy:
    description: Password rules of the pool.
    type: dict
    suboptions:
      minimum_length:
        description: Shortest password allowed (6 to 99).
        type: int
        default: 12
      require_uppercase:
        description: At least one upper-case letter.
        type: bool
        default: true
      require_lowercase:
        description: At least one lower-case letter.
        type: bool
        default: true
      require_numbers:
        description: At least one digit.
        type: bool
        default: true
      require_symbols:
        description: At least one symbol.
        type: bool
        default: true
      temporary_password_validity_days:
        description: Days an administrator-set temporary password stays valid (0 to 365).
        type: int
        default: 7
  auto_verified_attributes:
    description: Attributes Cognito verifies by sending a code (V(email), V(phone_number)).
    type: list
    elements: str
    default: [email]
  deletion_protection:
    description:
      - Refuse deletion of the pool while set (Cognito's C(DeletionProtection)). Not given means V(false)
        with O(state=present); with O(state=absent) only an explicit V(false) deletes a protected pool.
    type: bool
  client:
    description: The app client; omit to manage the pool alone.
    type: dict
    suboptions:
      name:
        description: Name of the app client (1 to 128 characters).
        type: str
        required: true
      explicit_auth_flows:
        description:
          - Authentication flows the client may use, for example V(ALLOW_USER_SRP_AUTH), V(ALLOW_REFRESH_TOKEN_AUTH),
            V(ALLOW_ADMIN_USER_PASSWORD_AUTH).
        type: list
        elements: str
        default: [ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
      id_token_validity_minutes:
        description: Lifetime of ID tokens, minutes (5 to 1440).
        type: int
        default: 60
      access_token_validity_minutes:
        description: Lifetime of access tokens, minutes (5 to 1440).
        type: int
        default: 60
      refresh_token_validity_days:
        description: Lifetime of refresh tokens, days (1 to 3650).
        type: int
        default: 30
      prevent_user_existence_errors:
        description: Answer a sign-in for an unknown user like a wrong password, so user names cannot be probed.
        type: bool
        default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - faith.ops.write_lock
notes:
  - No client secret is generated; the client is a public client (web page, mobile app).
  - The emulator does not enforce deletion protection; this module does, before any call.
"""

EXAMPLES = r"""
- name: Ensure the sign-in user pool and the web client exist
  faith.ops.cognito_user_pool:
    name: faith-chatbot-production-users
    deletion_protection: true
    password_policy:
      minimum_length: 12
    client:
      name: faith-chatbot-production-web
      id_token_validity_minutes: 60
    tags:
      Application: faith-chatbot
  register: identity_pool

- name: Ensure the pool is absent (turning its deletion protection off first)
  faith.ops.cognito_user_pool:
    name: faith-chatbot-staging-users
    state: absent
    deletion_protection: false
"""

RETURN = r"""
user_pool:
  description: The pool after the run (in check mode, as it would be); empty when absent.
  returned: always
  type: dict
  contains:
    id:
      description: Id of the pool; C((known after apply)) in check mode before creation.
      returned: when present
      type: str
      sample: us-east-1_Ab12Cd34E
    arn:
      description: ARN of the pool.
      returned: when present
      type: str
      sample: arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Ab12Cd34E
    issuer:
      description: The C(iss) claim of the pool's tokens.
      returned: when present
      type: str
      sample: https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab12Cd34E
    jwks_url:
      description: Where AWS publishes the pool's signing keys.
      returned: when present
      type: str
      sample: https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab12Cd34E/.well-known/jwks.json
    password_policy:
      description: The password policy (same keys as O(password_policy)).
      returned: when present
      type: dict
      sample: {"minimum_length": 12, "require_symbols": true}
    deletion_protection:
      description: Whether deletion protection is on.
      returned: when present
      type: bool
      sample: false
    tags:
      description: Tags of the pool.
      returned: when present
      type: dict
      sample: {"Application": "faith-chatbot"}
client:
  description: The app client after the run; empty when none is managed or the pool is absent.
  returned: always
  type: dict
  contains:
    id:
      description: Id of the client, the audience of its ID tokens; C((known after apply)) in check mode before creation.
      returned: when present
      type: str
      sample: 3n4b5urk1ft4fl3mg5e62d9ado
    name:
      description: Name of the client.
      returned: when present
      type: str
      sample: faith-chatbot-production-web
    explicit_auth_flows:
      description: Auth flows allowed, sorted.
      returned: when present
      type: list
      elements: str
      sample: ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]
actions:
  description: The API actions taken, or that would be taken in check mode.
  returned: always
  type: list
  elements: str
  sample: ["create user pool faith-chatbot-local-users", "create app client faith-chatbot-local-web"]
"""

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.cognito import api
from ansible_collections.faith.ops.plugins.module_utils.cognito.transformations import client_request
from ansible_collections.faith.ops.plugins.module_utils.cognito.transformations import client_settings
from ansible_collections.faith.ops.plugins.module_utils.cognito.transformations import client_view
from ansible_collections.faith.ops.plugins.module_utils.cognito.transformations import create_pool_request
from ansible_collections.faith.ops.plugins.module_utils.cognito.transformations import desired_pool_view
from ansible_collections.faith.ops.plugins.module_utils.cognito.transformations import issuer
from ansible_collections.faith.ops.plugins.module_utils.cognito.transformations import pool_view
from ansible_collections.faith.ops.plugins.module_utils.cognito.transformations import update_pool_request
from ansible_collections.faith.ops.plugins.module_utils.cognito.transformations import validate
from ansible_collections.faith.ops.plugins.module_utils.planning import UNKNOWN
from ansible_collections.faith.ops.plugins.module_utils.tagging import merged_tags
from ansible_collections.faith.ops.plugins.module_utils.tagging import validate_tags
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError


def find_pool(module, client, name):
    """The description of the pool called ``name``, or None; two of that name is an error."""
    matches = [pool for pool in api.list_user_pools(client) if pool.get("Name") == name]
    if len(matches) > 1:
        raise OptionError("name", f"{len(matches)} user pools are called {name!r}; remove the extra ones or rename them first")
    return api.describe_user_pool(client, matches[0]["Id"]) if matches else None


def pool_identity(module, pool_id, arn):
    """Id, ARN and the token addresses derived from them."""
    known = pool_id != UNKNOWN
    token_issuer = issuer(module.region, pool_id) if known else UNKNOWN
    return {
        "id": pool_id,
        "arn": arn,
        "issuer": token_issuer,
        "jwks_url": f"{token_issuer}/.well-known/jwks.json" if known else UNKNOWN,
    }


def ensure_pool(module, client, current):
    """Create or update the pool. Returns ``(changed, before, after, identity)``."""
    params = module.params
    if current is None:
        tags = params["tags"] or {}
        after = desired_pool_view(params, tags)
        module.record(f"create user pool {params['name']}")
        if module.check_mode:
            return True, {}, after, pool_identity(module, UNKNOWN, UNKNOWN)
        created = api.create_user_pool(client, create_pool_request(params, tags))
        return True, {}, after, pool_identity(module, created["Id"], created["Arn"])

    before = pool_view(current)
    tags = merged_tags(before["tags"], params["tags"], params["purge_tags"])
    after = desired_pool_view(params, tags)
    changed = before != after
    if changed:
        fields = sorted(key for key in after if before.get(key) != after[key])
        module.record(f"update {', '.join(fields)} of user pool {params['name']}")
        if not module.check_mode:
            api.update_user_pool(client, update_pool_request(current, params, tags))
    return changed, before, after, pool_identity(module, current["Id"], current["Arn"])


def ensure_client(module, client, pool_id):
    """Create or update the app client. Returns ``(changed, before, after, client_id)``."""
    settings = client_settings(module.params["client"])
    existing = None
    if pool_id != UNKNOWN:
        matches = [c for c in api.list_user_pool_clients(client, pool_id) if c.get("ClientName") == settings["name"]]
        if len(matches) > 1:
            raise OptionError("client.name", f"{len(matches)} app clients are called {settings['name']!r} in the pool; remove the extra ones first")
        existing = api.describe_user_pool_client(client, pool_id, matches[0]["ClientId"]) if matches else None
    if existing is None:
        module.record(f"create app client {settings['name']}")
        if module.check_mode:
            return True, {}, settings, UNKNOWN
        created = api.create_user_pool_client(client, client_request(pool_id, settings))
        return True, {}, settings, created["ClientId"]
    before = client_view(existing)
    changed = before != settings
    if changed:
        fields = sorted(key for key in settings if before.get(key) != settings[key])
        module.record(f"update {', '.join(fields)} of app client {settings['name']}")
        if not module.check_mode:
            api.update_user_pool_client(client, client_request(pool_id, settings, existing))
    return changed, before, settings, existing["ClientId"]


def ensure_present(module, client):
    current = find_pool(module, client, module.params["name"])
    pool_changed, pool_before, pool_after, identity = ensure_pool(module, client, current)
    client_changed, client_before, client_after, client_id = False, {}, {}, None
    if module.params["client"]:
        client_changed, client_before, client_after, client_id = ensure_client(module, client, identity["id"])
    before = dict(pool_before, client=client_before) if pool_before and module.params["client"] else dict(pool_before)
    after = dict(pool_after, client=client_after) if module.params["client"] else dict(pool_after)
    result = module.result(pool_changed or client_changed, "user_pool", dict(pool_after, **identity), before, after)
    result["client"] = dict(client_after, id=client_id) if client_after else {}
    return result


def ensure_absent(module, client):
    params = module.params
    current = find_pool(module, client, params["name"])
    if current is None:
        result = module.result(False, "user_pool", {}, {}, {})
        result["client"] = {}
        return result
    before = pool_view(current)
    if before["deletion_protection"]:
        # Deletion protection exists so that a teardown cannot remove users by accident: only
        # an explicit false lifts it.
        if params["deletion_protection"] is not False:
            raise OptionError(
                "deletion_protection",
                f"user pool {params['name']} has deletion protection; pass deletion_protection: false with state: absent to delete it",
            )
        module.record(f"turn off deletion protection of user pool {params['name']}")
        if not module.check_mode:
            api.update_user_pool(client, update_pool_request(current, params, before["tags"], deletion_protection=False))
    module.record(f"delete user pool {params['name']}")
    if not module.check_mode:
        api.delete_user_pool(client, current["Id"])
    result = module.result(True, "user_pool", {}, before, {})
    result["client"] = {}
    return result


def run(module):
    params = module.params
    validate(params)
    validate_tags(params["tags"])
    client = module.client("cognito-idp")
    if params["state"] == "absent":
        return ensure_absent(module, client)
    return ensure_present(module, client)


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        password_policy=dict(
            type="dict",
            # Rules for passwords and lifetimes of tokens, never a password or a token.
            no_log=False,
            options=dict(
                minimum_length=dict(type="int", default=12),
                require_uppercase=dict(type="bool", default=True),
                require_lowercase=dict(type="bool", default=True),
                require_numbers=dict(type="bool", default=True),
                require_symbols=dict(type="bool", default=True),
                temporary_password_validity_days=dict(type="int", default=7, no_log=False),
            ),
        ),
        auto_verified_attributes=dict(type="list", elements="str", default=["email"]),
        # No default in the spec: state=absent must tell "not given" from an explicit false.
        deletion_protection=dict(type="bool"),
        client=dict(
            type="dict",
            options=dict(
                name=dict(type="str", required=True),
                explicit_auth_flows=dict(type="list", elements="str", default=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]),
                id_token_validity_minutes=dict(type="int", default=60, no_log=False),
                access_token_validity_minutes=dict(type="int", default=60, no_log=False),
                refresh_token_validity_days=dict(type="int", default=30, no_log=False),
                prevent_user_existence_errors=dict(type="bool", default=True),
            ),
        ),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = FaithAWSModule(argument_spec=argument_spec)
    if module.params["deletion_protection"] is None and module.params["state"] == "present":
        module.params["deletion_protection"] = False
    module.run(run)


if __name__ == "__main__":
    main()
