"""The error responses each route documents, and the error codes of the app's error format.

Every error body is ``{"error": <code>, "detail": <sentence>}``, except validation errors,
whose ``detail`` lists ``{"field", "message"}`` pairs. Routes list the statuses they can
return, so the OpenAPI document is the contract the tests hold the app to.
"""

from __future__ import annotations

from typing import Any

from faith_motivator.models.common import ErrorOut, ValidationErrorOut

# The "error" code of each status.
ERROR_CODES = {
    400: "malformed_body",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    500: "internal_error",
    503: "dependency_unavailable",
}

_DESCRIPTIONS = {
    400: "The body is not UTF-8 JSON",
    401: "No credential, or one that is forged, expired or not for this app",
    404: "Not found, or not the caller's",
    413: "The body is larger than 64 KiB",
    415: "The body is not application/json",
    422: "The request does not match the schema",
    429: "Too many requests from this credential or address",
    503: "A dependency (storage, queue, sign-in keys) is unavailable; try again",
}

_HEADERS: dict[int, dict[str, Any]] = {
    401: {
        "WWW-Authenticate": {
            "description": "The bearer challenge (RFC 6750).",
            "schema": {"type": "string"},
        }
    },
    429: {
        "Retry-After": {
            "description": "Seconds until the current window ends.",
            "schema": {"type": "string", "pattern": "^[0-9]+$"},
        }
    },
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` entries for ``statuses`` in the app's error format."""
    documented: dict[int | str, dict[str, Any]] = {}
    for code in statuses:
        entry: dict[str, Any] = {
            "model": ValidationErrorOut if code == 422 else ErrorOut,
            "description": _DESCRIPTIONS[code],
        }
        if code in _HEADERS:
            entry["headers"] = _HEADERS[code]
        documented[code] = entry
    return documented


# Appended to the security requirements FastAPI derives from the credential dependencies:
# the empty requirement says a request without any credential is served too.
OPTIONAL_CREDENTIAL: dict[str, Any] = {"security": [{}]}

# What any route with a JSON body can answer before its handler runs.
BODY_ERRORS = (400, 413, 415, 422)
