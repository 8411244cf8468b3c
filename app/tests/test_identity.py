"""Sign-in through Cognito: tokens the emulator issues are verified against its JWKS for real.

The emulator signs every pool's tokens with one RSA key it ships, and serves the public half
at ``{endpoint}/{pool id}/.well-known/jwks.json``. Tokens with a bad claim are made with that
same private key, so only the claim is wrong: the signature would pass.
"""

from __future__ import annotations

import time
import uuid

import pytest
from joserfc import jwk, jwt
from moto.utilities.utils import load_resource

from faith_motivator.core.config import Settings
from faith_motivator.services.identity import CognitoVerifier, InvalidCredential, SessionTokens

PASSWORD = "Correct-Horse-7-battery"


@pytest.fixture
def cognito(settings, boto_session):
    """A user pool, an app client, a user with a permanent password, and that user's tokens."""
    idp = boto_session.client(
        "cognito-idp", endpoint_url=settings.aws_endpoint_url, region_name="us-east-1"
    )
    pool_id = idp.create_user_pool(PoolName=f"pool-{uuid.uuid4().hex[:8]}")["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    idp.admin_create_user(UserPoolId=pool_id, Username="ruth")
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username="ruth", Password=PASSWORD, Permanent=True
    )
    tokens = idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ruth", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    sub = next(
        attribute["Value"]
        for attribute in idp.admin_get_user(UserPoolId=pool_id, Username="ruth")["UserAttributes"]
        if attribute["Name"] == "sub"
    )
    return {
        "pool_id": pool_id,
        "client_id": client_id,
        "id_token": tokens["IdToken"],
        "access_token": tokens["AccessToken"],
        "sub": sub,
        "issuer": f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}",
        "jwks_url": f"{settings.aws_endpoint_url}/{pool_id}/.well-known/jwks.json",
    }


@pytest.fixture
def signed_in(client_for, settings, cognito):
    configured = settings.model_copy(
        update={
            "cognito_user_pool_id": cognito["pool_id"],
            "cognito_client_id": cognito["client_id"],
            "cognito_issuer": cognito["issuer"],
            "cognito_jwks_url": cognito["jwks_url"],
        }
    )
    with client_for(configured) as client:
        yield client


def _emulator_signed(claims: dict) -> str:
    key = jwk.RSAKey.import_key(load_resource("cognitoidp/resources/jwks-private.json"))
    return jwt.encode({"alg": "RS256", "kid": "dummy"}, claims, key)


def _claims(cognito, **overrides) -> dict:
    now = int(time.time())
    claims = {
        "iss": cognito["issuer"],
        "sub": cognito["sub"],
        "aud": cognito["client_id"],
        "token_use": "id",
        "iat": now,
        "exp": now + 600,
    }
    claims.update(overrides)
    return {key: value for key, value in claims.items() if value is not None}


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_id_and_access_tokens_of_the_pool_identify_the_user(signed_in, cognito):
    by_id = signed_in.get("/v1/me/data", headers=_bearer(cognito["id_token"]))
    by_access = signed_in.get("/v1/me/data", headers=_bearer(cognito["access_token"]))
    assert by_id.status_code == 200, by_id.text
    assert by_id.json()["user_id"] == f"cognito:{cognito['sub']}"
    assert by_access.json()["user_id"] == f"cognito:{cognito['sub']}"


def test_a_signed_in_users_data_is_theirs_alone(signed_in, cognito):
    ruth = _bearer(cognito["id_token"])
    chat = signed_in.post("/v1/chat", json={"message": "I am afraid"}, headers=ruth).json()
    signed_in.cookies.clear()
    stranger = _bearer(signed_in.post("/v1/session").json()["token"])
    signed_in.cookies.clear()
    assert signed_in.get(
        "/v1/chat/history", params={"session_id": chat["session_id"]}, headers=stranger
    ).status_code == 404
    own = signed_in.get("/v1/me/data", headers=ruth).json()
    assert [c["session_id"] for c in own["conversations"]] == [chat["session_id"]]


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"exp": int(time.time()) - 120}, "expired"),
        ({"aud": "another-client"}, "another app client"),
        ({"iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other"}, "another pool"),
        ({"token_use": "refresh"}, "not an id or access token"),
        ({"sub": None}, "no subject"),
        ({"token_use": "access", "aud": None, "client_id": "other"}, "access, other client"),
    ],
)
def test_tokens_with_a_wrong_claim_are_refused(signed_in, cognito, overrides, reason):
    token = _emulator_signed(_claims(cognito, **overrides))
    response = signed_in.get("/v1/me/data", headers=_bearer(token))
    assert response.status_code == 401, reason
    assert response.json()["error"] == "unauthorized"
    # The same claims with nothing wrong pass: the refusal is the claim's doing.
    assert signed_in.get(
        "/v1/me/data", headers=_bearer(_emulator_signed(_claims(cognito)))
    ).status_code == 200


def test_a_token_signed_with_another_key_is_refused(signed_in, cognito):
    forger = jwk.RSAKey.generate_key(2048, parameters={"kid": "dummy"})
    forged = jwt.encode({"alg": "RS256", "kid": "dummy"}, _claims(cognito), forger)
    response = signed_in.get("/v1/me/data", headers=_bearer(forged))
    assert response.status_code == 401
    assert "signature" in response.json()["detail"]


def test_unsigned_or_symmetric_tokens_are_refused(signed_in, cognito):
    claims = _claims(cognito)
    symmetric = jwt.encode({"alg": "HS256"}, claims, jwk.OctKey.import_key("k" * 32))
    assert signed_in.get("/v1/me/data", headers=_bearer(symmetric)).status_code == 401


def test_the_jwks_address_follows_the_emulator_or_aws(settings, cognito):
    local = Settings.model_validate(
        {**settings.model_dump(), "cognito_user_pool_id": cognito["pool_id"],
         "cognito_client_id": cognito["client_id"]}
    )
    assert local.cognito_jwks_url == cognito["jwks_url"]
    assert local.cognito_issuer == cognito["issuer"]
    on_aws = Settings.model_validate(
        {**settings.model_dump(), "aws_endpoint_url": None,
         "cognito_user_pool_id": "eu-west-1_Ab12", "cognito_client_id": "c"}
    )
    assert on_aws.cognito_region == "eu-west-1"
    assert on_aws.cognito_jwks_url == (
        "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab12/.well-known/jwks.json"
    )


def test_without_a_configured_pool_sign_in_tokens_are_refused(client, cognito):
    response = client.get("/v1/me/data", headers=_bearer(cognito["id_token"]))
    assert response.status_code == 401


def test_unreachable_keys_are_a_503_not_a_pass(client_for, settings, cognito):
    unreachable = settings.model_copy(
        update={
            "cognito_user_pool_id": cognito["pool_id"],
            "cognito_client_id": cognito["client_id"],
            "cognito_issuer": cognito["issuer"],
            # A closed port on this host: connection refused at once.
            "cognito_jwks_url": "http://127.0.0.1:9/jwks.json",
        }
    )
    with client_for(unreachable) as client:
        response = client.get("/v1/me/data", headers=_bearer(cognito["id_token"]))
    assert response.status_code == 503
    assert response.json()["error"] == "dependency_unavailable"


def test_session_tokens_expire_and_bind_their_signature():
    tokens = SessionTokens(b"k" * 32, ttl_seconds=60)
    issued = tokens.issue(now=1_000)
    assert tokens.verify(issued.token, now=1_059).id == issued.principal.id
    with pytest.raises(InvalidCredential, match="expired"):
        tokens.verify(issued.token, now=1_060)
    other_key = SessionTokens(b"j" * 32, ttl_seconds=60)
    with pytest.raises(InvalidCredential, match="signature"):
        other_key.verify(issued.token, now=1_000)
    with pytest.raises(ValueError, match="32 bytes"):
        SessionTokens(b"short", ttl_seconds=60)


def test_jwks_is_fetched_once_and_cached(cognito, monkeypatch):
    verifier = CognitoVerifier(cognito["issuer"], cognito["client_id"], cognito["jwks_url"])
    fetches = []
    original = verifier._fetch
    monkeypatch.setattr(verifier, "_fetch", lambda: fetches.append(1) or original())
    for _ in range(3):
        assert verifier.verify(cognito["id_token"]).id == f"cognito:{cognito['sub']}"
    assert fetches == [1]
