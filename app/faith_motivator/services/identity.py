"""Who is asking: anonymous session credentials issued by the app, and Cognito tokens.

A person's data is keyed to a principal id that only a credential can produce:

- ``anon:<id>`` for an anonymous visitor. The app issues the credential
  (``fs1.<id>.<expiry>.<signature>``, HMAC-SHA256 over the rest with the session key): an
  unguessable 128-bit id, an expiry, a signature. It travels as the HttpOnly ``faith_session``
  cookie for the web page or as ``Authorization: Bearer`` for API clients.
- ``cognito:<sub>`` for a signed-in user. The ID or access token is verified with joserfc
  against the pool's JWKS: RS256 signature, issuer, audience (``aud`` of an ID token,
  ``client_id`` of an access token), ``token_use`` and expiry.

Identity headers a client may send (``X-User-Id`` and the like) are never read.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
import threading
import time
import urllib.request
from dataclasses import dataclass
from typing import Any, Literal

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

logger = logging.getLogger(__name__)

SESSION_TOKEN_PREFIX = "fs1"  # noqa: S105 - a format marker, not a secret
SESSION_COOKIE = "faith_session"
# A credential is a few hundred bytes; anything much longer is not one of ours.
MAX_TOKEN_LENGTH = 8192
# Unknown key ids make the verifier refetch the JWKS (after a rotation), at most this often.
JWKS_REFRESH_INTERVAL_SECONDS = 60.0
# Tolerated clock difference between Cognito and this host when checking exp/iat.
CLOCK_LEEWAY_SECONDS = 30


class InvalidCredential(Exception):
    """The credential is malformed, forged, expired or meant for someone else."""


@dataclass(frozen=True)
class Principal:
    """Whoever a verified credential proves the caller to be."""

    id: str
    kind: Literal["anonymous", "cognito"]


@dataclass(frozen=True)
class IssuedSession:
    """A new anonymous credential and when it stops being valid (epoch seconds)."""

    token: str
    principal: Principal
    expires_at: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class SessionTokens:
    """Issues and verifies the app's anonymous session credentials."""

    def __init__(self, key: bytes, ttl_seconds: int) -> None:
        if len(key) < 32:
            raise ValueError("the session signing key must be at least 32 bytes")
        self._key = key
        self.ttl_seconds = ttl_seconds

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode("ascii"), hashlib.sha256).digest())

    def issue(self, now: float | None = None) -> IssuedSession:
        """A new credential for a new anonymous principal."""
        session_id = secrets.token_urlsafe(16)
        expires_at = int(now if now is not None else time.time()) + self.ttl_seconds
        payload = f"{SESSION_TOKEN_PREFIX}.{session_id}.{expires_at}"
        return IssuedSession(
            token=f"{payload}.{self._sign(payload)}",
            principal=Principal(id=f"anon:{session_id}", kind="anonymous"),
            expires_at=expires_at,
        )

    def verify(self, token: str, now: float | None = None) -> Principal:
        """The principal of a valid credential; InvalidCredential otherwise."""
        parts = token.split(".")
        if len(parts) != 4 or parts[0] != SESSION_TOKEN_PREFIX:
            raise InvalidCredential("not a session credential")
        payload = ".".join(parts[:3])
        try:
            expected = self._sign(payload)
        except UnicodeEncodeError as error:
            raise InvalidCredential("not a session credential") from error
        # Constant time: the comparison must not tell a forger how many bytes were right.
        if not hmac.compare_digest(expected, parts[3]):
            raise InvalidCredential("the session credential's signature is not valid")
        if not parts[2].isdigit() or int(parts[2]) <= (now if now is not None else time.time()):
            raise InvalidCredential("the session credential has expired")
        return Principal(id=f"anon:{parts[1]}", kind="anonymous")


class CognitoVerifier:
    """Verifies Cognito ID and access tokens against the user pool's published keys."""

    def __init__(
        self,
        issuer: str,
        client_id: str,
        jwks_url: str,
        jwks_ttl_seconds: int = 3600,
        fetch_timeout: float = 3.0,
    ) -> None:
        self.issuer = issuer
        self.client_id = client_id
        self.jwks_url = jwks_url
        self.jwks_ttl_seconds = jwks_ttl_seconds
        self.fetch_timeout = fetch_timeout
        self._keys: KeySet | None = None
        self._fetched_at = 0.0
        self._lock = threading.Lock()

    def _fetch(self) -> KeySet:
        # The URL comes from settings (http/https only, checked there), never from a request.
        request = urllib.request.Request(  # noqa: S310
            self.jwks_url, headers={"Accept": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=self.fetch_timeout) as response:  # noqa: S310
            document = json.loads(response.read())
        return KeySet.import_key_set(document)

    def keys(self, kid: str | None) -> KeySet:
        """The pool's keys, fetched on first use, after the TTL, or for an unknown key id."""
        with self._lock:
            now = time.monotonic()
            stale = self._keys is None or now - self._fetched_at > self.jwks_ttl_seconds
            unknown = (
                self._keys is not None
                and kid is not None
                and all(key.kid != kid for key in self._keys.keys)
                and now - self._fetched_at > JWKS_REFRESH_INTERVAL_SECONDS
            )
            if stale or unknown:
                try:
                    self._keys = self._fetch()
                    self._fetched_at = now
                except (OSError, ValueError, JoseError):
                    logger.warning("jwks fetch failed", extra={"fields": {"dependency": "cognito"}})
                    if self._keys is None:
                        raise
            assert self._keys is not None  # noqa: S101 - set above or raised
            return self._keys

    def verify(self, token: str) -> Principal:
        """Blocking (may fetch the JWKS): the principal of a valid token."""
        try:
            header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
        except (ValueError, IndexError) as error:
            raise InvalidCredential("the token is not a JWT") from error
        if not isinstance(header, dict) or header.get("alg") != "RS256":
            raise InvalidCredential("the token must be signed with RS256")
        try:
            keys = self.keys(header.get("kid"))
        except (OSError, ValueError, JoseError) as error:
            raise CognitoUnavailable("the user pool's keys could not be fetched") from error
        try:
            decoded = jwt.decode(token, keys, algorithms=["RS256"])
        except (JoseError, ValueError) as error:
            raise InvalidCredential("the token's signature is not valid") from error
        claims: dict[str, Any] = decoded.claims
        token_use = claims.get("token_use")
        audience_claim = {"id": "aud", "access": "client_id"}.get(str(token_use))
        if audience_claim is None:
            raise InvalidCredential("token_use must be id or access")
        options: dict[str, jwt.ClaimsOption] = {
            "iss": {"essential": True, "value": self.issuer},
            "exp": {"essential": True},
            "sub": {"essential": True},
            audience_claim: {"essential": True, "value": self.client_id},
        }
        # Positional: "now" (None, the clock) and the leeway, so no claim can shadow them.
        registry = jwt.JWTClaimsRegistry(None, CLOCK_LEEWAY_SECONDS, **options)
        try:
            registry.validate(claims)
        except JoseError as error:
            raise InvalidCredential(f"the token was refused: {error.error}") from error
        return Principal(id=f"cognito:{claims['sub']}", kind="cognito")


class CognitoUnavailable(Exception):
    """The JWKS could not be fetched, so no token can be checked now."""


def looks_like_jwt(token: str) -> bool:
    """Three dot-separated parts, the first a JSON object: a JWS in compact form."""
    return token.count(".") == 2 and token.startswith("eyJ")
