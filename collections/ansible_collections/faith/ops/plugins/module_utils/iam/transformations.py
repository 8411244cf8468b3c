# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""IAM roles: validate the declared role, canonicalise policy documents, compare.

A policy document means the same whether an element is a string or a one-item list, and
whatever the order of actions, resources and principals; IAM returns documents as they were
stored. Comparing canonical forms keeps a re-run from rewriting a policy that is unchanged.
"""

from __future__ import annotations

import json
import re

from ..diffing import normalise
from ..planning import is_unknown
from ..validation import OptionError

ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$")
POLICY_NAME = re.compile(r"^[\w+=,.@-]{1,128}$")
ROLE_PATH = re.compile(r"^/([\x21-\x7e]{0,510}/)?$")
POLICY_ARN = re.compile(r"^arn:aws[a-z-]*:iam::(aws|\d{12}):policy/[\x21-\x7e]{1,1024}$")
MAX_DESCRIPTION = 1000
MIN_SESSION, MAX_SESSION = 3600, 43200
# The aggregate size of a role's inline policies (whitespace excluded), and the quota on
# attached managed policies (10 by default; AWS raises it to at most 20 on request).
MAX_INLINE_POLICY_SIZE = 10240
MAX_MANAGED_POLICIES = 20
MAX_TRUST_POLICY_SIZE = 2048
# Statement elements whose value may be a string or a list of strings, order irrelevant.
LIST_ELEMENTS = ("Action", "NotAction", "Resource", "NotResource")


def _as_sorted_list(value):
    if isinstance(value, (list, tuple)):
        return sorted(str(item) for item in value)
    return [str(value)]


def _canonical_statement(statement):
    statement = dict(statement)
    for key in LIST_ELEMENTS:
        if key in statement:
            statement[key] = _as_sorted_list(statement[key])
    for key in ("Principal", "NotPrincipal"):
        principal = statement.get(key)
        if isinstance(principal, dict):
            statement[key] = {kind: _as_sorted_list(ids) for kind, ids in principal.items()}
    if isinstance(statement.get("Condition"), dict):
        statement["Condition"] = {
            operator: {name: _as_sorted_list(values) for name, values in (conditions or {}).items()}
            for operator, conditions in statement["Condition"].items()
        }
    return statement


def canonical_policy(document):
    """A policy document (dict or JSON text) in canonical form: one-item lists, lists sorted."""
    if isinstance(document, str):
        document = json.loads(document)
    document = dict(document or {})
    statements = document.get("Statement") or []
    if isinstance(statements, dict):
        statements = [statements]
    document["Statement"] = [_canonical_statement(statement) for statement in statements]
    return normalise(document)


def _policy_document(value, option):
    """Parse and sanity-check one policy document; AWS rejects these shapes with less clear errors."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as error:
            raise OptionError(option, f"is not valid JSON ({error})") from error
    if not isinstance(value, dict):
        raise OptionError(option, "must be a policy document (a JSON object with Version and Statement)")
    statements = value.get("Statement")
    if not statements:
        raise OptionError(option, "has no Statement; a policy document needs at least one")
    for index, statement in enumerate(statements if isinstance(statements, list) else [statements]):
        if not isinstance(statement, dict) or statement.get("Effect") not in ("Allow", "Deny"):
            raise OptionError(f"{option}.Statement[{index}]", "needs Effect Allow or Deny")
    if value.get("Version") not in (None, "2012-10-17", "2008-10-17"):
        raise OptionError(f"{option}.Version", f"{value.get('Version')!r} is not a policy language version; use 2012-10-17")
    return canonical_policy(value)


def _size(document):
    # IAM counts the policy's characters without whitespace.
    return len(re.sub(r"\s", "", json.dumps(document)))


def validate_role(params):
    """Validate the declared role; returns ``(trust_policy, inline_policies)`` in canonical form."""
    name = params["name"]
    if not ROLE_NAME.match(name or ""):
        raise OptionError("name", f"{name!r} must be 1 to 64 letters, digits or + = , . @ _ -")
    if not ROLE_PATH.match(params.get("path") or ""):
        raise OptionError("path", f"{params.get('path')!r} must start and end with '/' (for example / or /service/)")
    if params.get("description") and len(params["description"]) > MAX_DESCRIPTION:
        raise OptionError("description", f"is {len(params['description'])} characters; IAM allows at most {MAX_DESCRIPTION}")
    duration = params.get("max_session_duration")
    if duration is not None and not MIN_SESSION <= duration <= MAX_SESSION:
        raise OptionError("max_session_duration", f"{duration} is outside {MIN_SESSION} to {MAX_SESSION} seconds")
    if params["state"] == "absent":
        return None, None
    if not params.get("assume_role_policy"):
        raise OptionError("assume_role_policy", "is required with state=present: say who may assume the role")
    trust = _policy_document(params["assume_role_policy"], "assume_role_policy")
    if _size(trust) > MAX_TRUST_POLICY_SIZE:
        raise OptionError("assume_role_policy", f"is {_size(trust)} characters; IAM allows {MAX_TRUST_POLICY_SIZE}")
    managed = params.get("managed_policies")
    if managed is not None:
        if len(managed) > MAX_MANAGED_POLICIES:
            raise OptionError("managed_policies", f"{len(managed)} given; a role holds at most {MAX_MANAGED_POLICIES}")
        for index, arn in enumerate(managed):
            if not is_unknown(arn) and not POLICY_ARN.match(arn or ""):
                raise OptionError(f"managed_policies[{index}]", f"{arn!r} is not a managed policy ARN (arn:aws:iam::<account or aws>:policy/<name>)")
    inline = None
    if params.get("inline_policies") is not None:
        inline = {}
        for policy_name, document in params["inline_policies"].items():
            if not POLICY_NAME.match(policy_name or ""):
                raise OptionError(f"inline_policies.{policy_name}", "policy names are 1 to 128 letters, digits or + = , . @ _ -")
            inline[policy_name] = _policy_document(document, f"inline_policies.{policy_name}")
        total = sum(_size(document) for document in inline.values())
        if total > MAX_INLINE_POLICY_SIZE:
            raise OptionError("inline_policies", f"total {total} characters; a role's inline policies may hold {MAX_INLINE_POLICY_SIZE}")
    return trust, inline


def role_view(role, managed, inline, tags):
    """The managed parts of a role as the diff and the result show them."""
    if not role:
        return {}
    return {
        "name": role.get("RoleName"),
        "path": role.get("Path", "/"),
        "description": role.get("Description") or "",
        "max_session_duration": role.get("MaxSessionDuration", MIN_SESSION),
        "assume_role_policy": canonical_policy(role.get("AssumeRolePolicyDocument") or {}),
        "managed_policies": sorted(managed or []),
        "inline_policies": {name: canonical_policy(document) for name, document in (inline or {}).items()},
        "tags": dict(tags or {}),
    }


def managed_policy_changes(current, desired):
    """``(to_attach, to_detach)``; ``desired=None`` leaves the attachments alone."""
    if desired is None:
        return [], []
    return sorted(set(desired) - set(current)), sorted(set(current) - set(desired))


def inline_policy_changes(current, desired):
    """``(to_put, to_delete)`` as ``({name: document}, [names])``; ``desired=None`` leaves them alone."""
    if desired is None:
        return {}, []
    to_put = {name: document for name, document in desired.items() if canonical_policy(current.get(name) or {}) != document}
    return to_put, sorted(set(current) - set(desired))
