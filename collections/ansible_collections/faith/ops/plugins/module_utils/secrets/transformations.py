# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Secrets Manager secrets: validate, serialise and compare values without revealing them.

The stored value and the declared one are compared by SHA-256 digest; neither the value nor
its digest (a short secret's digest can be brute-forced) ever reaches a result or a diff.
The diff carries a marker saying only whether the value matches.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re

from ansible.module_utils.common.text.converters import to_bytes

from ..planning import is_unknown
from ..validation import OptionError

SECRET_NAME = re.compile(r"^[\w/+=.@-]{1,512}$")
MAX_DESCRIPTION = 2048
MAX_VALUE_BYTES = 65536
RECOVERY_MIN, RECOVERY_MAX = 7, 30
KMS_KEY = re.compile(r"^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)/[\w/-]+|alias/[\w/-]+|[0-9a-f-]{36})$")
# Markers in place of the value in diffs and results.
VALUE_MATCHES = "(hidden; matches)"
VALUE_STORED = "(hidden; stored value)"
VALUE_DECLARED = "(hidden; declared value)"
VALUE_UNMANAGED = "(hidden; not managed)"


def declared_value(params):
    """The value to store as a string (JSON documents serialised canonically), or None."""
    if params.get("json_secret") is not None:
        document = params["json_secret"]
        if isinstance(document, str):
            try:
                document = json.loads(document)
            except ValueError as error:
                raise OptionError("json_secret", f"is not valid JSON ({error.__class__.__name__})") from None
        return json.dumps(document, sort_keys=True, separators=(",", ":"))
    return params.get("secret")


def validate_secret(params, value):
    name = params["name"]
    if not SECRET_NAME.match(name or ""):
        raise OptionError("name", f"{name!r} must be 1 to 512 letters, digits or / _ + = . @ -")
    if re.search(r"-[A-Za-z0-9]{6}$", name or ""):
        # Secrets Manager appends "-" and 6 characters to ARNs; a name ending so is ambiguous.
        raise OptionError("name", f"{name!r} ends with a hyphen and six characters, which Secrets Manager reserves for ARN suffixes")
    if params.get("description") and len(params["description"]) > MAX_DESCRIPTION:
        raise OptionError("description", f"is {len(params['description'])} characters; Secrets Manager allows {MAX_DESCRIPTION}")
    key = params.get("kms_key_id")
    if key and not is_unknown(key) and not KMS_KEY.match(key):
        raise OptionError("kms_key_id", f"{key!r} is not a KMS key id, key ARN, alias name or alias ARN")
    window = params.get("recovery_window_days")
    if window is not None and window != 0 and not RECOVERY_MIN <= window <= RECOVERY_MAX:
        raise OptionError("recovery_window_days", f"{window} must be 0 (delete at once) or {RECOVERY_MIN} to {RECOVERY_MAX} days")
    if value is not None and len(to_bytes(value)) > MAX_VALUE_BYTES:
        # The message gives the size only, never the value.
        raise OptionError("secret" if params.get("secret") is not None else "json_secret", f"is longer than {MAX_VALUE_BYTES} bytes")


def digest(value):
    return hashlib.sha256(to_bytes(value)).digest() if value is not None else None


def value_matches(stored, declared):
    """True when the stored string equals the declared one (JSON compared as documents)."""
    if stored is None or declared is None:
        return stored is None and declared is None
    if hmac.compare_digest(digest(stored), digest(declared)):
        return True
    try:
        return json.loads(stored) == json.loads(declared)
    except ValueError:
        return False


def secret_view(secret, tags, value_marker):
    """The managed parts of a secret as the diff and the result show them (never the value)."""
    if not secret:
        return {}
    return {
        "name": secret.get("Name"),
        "description": secret.get("Description") or "",
        "kms_key_id": secret.get("KmsKeyId"),
        "tags": dict(tags or {}),
        "value": value_marker,
    }
