"""Who may see whose data, after `make deploy`, through HAProxy (the local ALB).

Two clients, each with its own credential: the second can neither read, write into nor erase
the first one's conversation or data, with its own credential, a forged X-User-Id or the
first one's session id; the first can export and then erase everything of its own, from every
table and the cache. A signed-in user's Cognito token is verified against the deployed user
pool's keys. Rotating X-Forwarded-For or identity headers does not lift the rate limit.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid

import boto3
import pytest
import redis
from joserfc import jwk
from joserfc import jwt

TABLE_PREFIX = "faith-chatbot-local-"
POOL_NAME = "faith-chatbot-local-users"
CLIENT_NAME = "faith-chatbot-local-web"


def call(platform, method, path, body=None, headers=None, raw=None):
    """One request through the public edge: (status, headers, parsed JSON body or None)."""
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(
        f"http://127.0.0.1:{platform.http_port}{path}",
        data=data,
        method=method,
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback only
            payload = response.read()
            status, response_headers = response.status, response.headers
    except urllib.error.HTTPError as error:
        payload = error.read()
        status, response_headers = error.code, error.headers
    try:
        parsed = json.loads(payload) if payload else None
    except ValueError:
        parsed = None
    return status, response_headers, parsed


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def new_credential(platform):
    status, _, body = call(platform, "POST", "/v1/session")
    assert status == 201, body
    return bearer(body["token"])


def aws(platform, service):
    return boto3.client(
        service, endpoint_url=platform.endpoint, region_name="us-east-1",
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )


def items_of(platform, user_id, session_ids, request_ids):
    """Every item of ``user_id`` left in the four tables."""
    dynamodb = aws(platform, "dynamodb")
    found = []
    for table, key, values in (
        ("UserProfiles", "user_id", [user_id]),
        ("ConsentLogs", "user_id", [user_id]),
        ("ConversationSessions", "session_id", session_ids),
        ("PrayerRequests", "request_id", request_ids),
    ):
        for value in values:
            found += dynamodb.query(
                TableName=TABLE_PREFIX + table,
                KeyConditionExpression="#k = :v",
                ExpressionAttributeNames={"#k": key},
                ExpressionAttributeValues={":v": {"S": value}},
            )["Items"]
    # Anything left elsewhere in a table that still names the person.
    for table in ("ConversationSessions", "PrayerRequests"):
        found += dynamodb.scan(
            TableName=TABLE_PREFIX + table,
            FilterExpression="user_id = :u",
            ExpressionAttributeValues={":u": {"S": user_id}},
        )["Items"]
    return found


def wait_for_a_fresh_window(seconds=10):
    """Sleep into the next rate-limit window (fixed windows of ``seconds``, the default)."""
    time.sleep(seconds - time.time() % seconds + 0.1)


@pytest.fixture(scope="module", autouse=True)
def fresh_window():
    """Earlier suites spent this address's allowance; start in a window of our own."""
    wait_for_a_fresh_window()


@pytest.fixture
def respect_the_rate_limit(platform):
    """Every request of this suite comes from 127.0.0.1 as HAProxy sees it: wait out the
    current window afterwards, so the next test starts with the address's full allowance."""
    yield
    wait_for_a_fresh_window()


def test_a_second_client_can_neither_read_write_nor_erase_the_first_ones_data(deployed, platform):
    alice, mallory = new_credential(platform), new_credential(platform)
    status, _, chat = call(platform, "POST", "/v1/chat", {"message": "I feel so alone lately"}, alice)
    assert status == 200 and chat["stored"] is True, chat
    session_id = chat["session_id"]
    status, _, alice_data = call(platform, "GET", "/v1/me/data", headers=alice)
    alice_id = alice_data["user_id"]
    assert alice_id.startswith("anon:")
    sessions = aws(platform, "dynamodb")

    def exchanges():
        return sessions.query(
            TableName=TABLE_PREFIX + "ConversationSessions",
            KeyConditionExpression="session_id = :s",
            ExpressionAttributeValues={":s": {"S": session_id}},
        )["Count"]

    # Reading alice's conversation: with mallory's own credential, without any, with a forged
    # identity header, with alice's token tampered with.
    history = f"/v1/chat/history?session_id={session_id}"
    assert call(platform, "GET", history, headers=mallory)[0] == 404
    assert call(platform, "GET", history)[0] == 401
    assert call(platform, "GET", history, headers={"X-User-Id": alice_id})[0] == 401
    tampered = alice["Authorization"][:-4] + ("AAAA" if not alice["Authorization"].endswith("AAAA") else "BBBB")
    assert call(platform, "GET", history, headers={"Authorization": tampered})[0] == 401
    # Her export and erasure with a forged header: refused, or answered about mallory only.
    assert call(platform, "GET", "/v1/me/data", headers={"X-User-Id": alice_id})[0] == 401
    assert call(platform, "DELETE", "/v1/me/data", headers={"X-User-Id": alice_id})[0] == 401
    status, _, mallory_view = call(platform, "GET", "/v1/me/data", headers={**mallory, "X-User-Id": alice_id})
    assert status == 200 and mallory_view["user_id"] != alice_id and mallory_view["conversations"] == []

    # Writing into alice's conversation with her session id: refused, nothing stored.
    status, _, refused = call(platform, "POST", "/v1/chat", {"message": "hijack", "session_id": session_id}, mallory)
    assert status == 404, refused
    assert exchanges() == 1

    # Mallory erasing "her own" data leaves alice's alone.
    assert call(platform, "DELETE", "/v1/me/data", headers=mallory)[0] == 200
    status, _, own = call(platform, "GET", history, headers=alice)
    assert status == 200 and [e["message"] for e in own["exchanges"]] == ["I feel so alone lately"]


def test_the_owner_exports_then_erases_everything_from_every_table_and_the_cache(deployed, platform):
    alice = new_credential(platform)
    assert call(platform, "POST", "/v1/consent", {"purpose": "store_conversations", "granted": True}, alice)[0] == 201
    status, _, first = call(platform, "POST", "/v1/chat", {"message": "My dad passed away"}, alice)
    assert status == 200
    status, _, second = call(
        platform, "POST", "/v1/chat", {"message": "Thank you", "session_id": first["session_id"]}, alice
    )
    assert status == 200 and second["session_id"] == first["session_id"]
    status, _, prayer = call(platform, "POST", "/v1/prayer-requests", {"request": "Pray for my family"}, alice)
    assert status == 201, prayer

    status, _, export = call(platform, "GET", "/v1/me/data", headers=alice)
    assert status == 200
    alice_id = export["user_id"]
    assert [e["message"] for c in export["conversations"] for e in c["exchanges"]] == ["My dad passed away", "Thank you"]
    assert [p["request_id"] for p in export["prayer_requests"]] == [prayer["request_id"]]
    assert [c["purpose"] for c in export["consents"]] == ["store_conversations"]
    assert items_of(platform, alice_id, [first["session_id"]], [prayer["request_id"]])

    status, _, erased = call(platform, "DELETE", "/v1/me/data", headers=alice)
    assert status == 200
    assert (erased["conversations"], erased["exchanges"], erased["prayer_requests"], erased["profile"]) == (1, 2, 1, True)

    assert items_of(platform, alice_id, [first["session_id"]], [prayer["request_id"]]) == []
    cache = redis.Redis(host="127.0.0.1", port=platform.redis_port)
    try:
        # Nothing in the cache names her or her conversation.
        leftovers = [
            key for key in cache.scan_iter(count=1000)
            if alice_id.encode() in key or first["session_id"].encode() in key or cache.type(key) == b"string"
            and alice_id.encode() in (cache.get(key) or b"")
        ]
    finally:
        cache.close()
    assert leftovers == []
    status, _, after = call(platform, "GET", "/v1/me/data", headers=alice)
    assert status == 200
    assert (after["profile"], after["consents"], after["conversations"], after["prayer_requests"]) == (None, [], [], [])


def test_withdrawn_consent_stores_nothing_more(deployed, platform):
    alice = new_credential(platform)
    status, _, first = call(platform, "POST", "/v1/chat", {"message": "I am anxious"}, alice)
    assert status == 200 and first["stored"] is True
    assert call(platform, "POST", "/v1/consent", {"purpose": "store_conversations", "granted": False}, alice)[0] == 201
    assert call(platform, "POST", "/v1/consent", {"purpose": "store_conversations", "granted": "yes"}, alice)[0] == 422
    status, _, second = call(platform, "POST", "/v1/chat", {"message": "still anxious", "session_id": first["session_id"]}, alice)
    assert status == 200 and second["stored"] is False
    status, _, export = call(platform, "GET", "/v1/me/data", headers=alice)
    assert [e["message"] for c in export["conversations"] for e in c["exchanges"]] == ["I am anxious"]


def test_the_web_page_gets_an_httponly_session_cookie(deployed, platform):
    status, headers, reply = call(platform, "POST", "/v1/chat", {"message": "hello"})
    assert status == 200
    cookie = headers["Set-Cookie"]
    assert cookie.startswith("faith_session=fs1.")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    session_cookie = {"Cookie": cookie.split(";", 1)[0]}
    history = f"/v1/chat/history?session_id={reply['session_id']}"
    assert call(platform, "GET", history, headers=session_cookie)[0] == 200
    assert call(platform, "GET", history)[0] == 401


def test_a_signed_in_users_token_is_verified_against_the_pool(deployed, platform):
    idp = aws(platform, "cognito-idp")
    pool_id = next(p["Id"] for p in idp.list_user_pools(MaxResults=60)["UserPools"] if p["Name"] == POOL_NAME)
    client_id = next(
        c["ClientId"] for c in idp.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]
        if c["ClientName"] == CLIENT_NAME
    )
    email = f"ruth-{uuid.uuid4().hex[:8]}@example.org"
    password = "Correct-Horse-7-battery!"
    idp.admin_create_user(UserPoolId=pool_id, Username=email)
    idp.admin_set_user_password(UserPoolId=pool_id, Username=email, Password=password, Permanent=True)
    tokens = idp.admin_initiate_auth(
        UserPoolId=pool_id, ClientId=client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": password},
    )["AuthenticationResult"]
    sub = next(a["Value"] for a in idp.admin_get_user(UserPoolId=pool_id, Username=email)["UserAttributes"] if a["Name"] == "sub")

    status, _, data = call(platform, "GET", "/v1/me/data", headers=bearer(tokens["IdToken"]))
    assert status == 200, data
    assert data["user_id"] == f"cognito:{sub}"

    # The same claims under a key that is not the pool's: refused.
    forger = jwk.RSAKey.generate_key(2048, parameters={"kid": "dummy"})
    now = int(time.time())
    forged = jwt.encode(
        {"alg": "RS256", "kid": "dummy"},
        {"sub": sub, "aud": client_id, "token_use": "id", "iat": now, "exp": now + 600,
         "iss": f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"},
        forger,
    )
    assert call(platform, "GET", "/v1/me/data", headers=bearer(forged))[0] == 401


def test_wrong_content_types_and_invalid_utf8_get_the_app_error_format(deployed, platform):
    status, headers, body = call(platform, "POST", "/v1/chat", raw=b"message=hello",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 415
    assert body == {"error": "unsupported_media_type",
                    "detail": "Content-Type must be application/json, not application/x-www-form-urlencoded"}
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    status, _, body = call(platform, "POST", "/v1/chat", raw=b'{"message": "caf\xe9"}')
    assert status == 400
    assert body["error"] == "malformed_body" and "UTF-8" in body["detail"]


def test_security_headers_and_request_ids_on_pages_replies_and_errors(deployed, platform):
    for method, path, body in (("GET", "/", None), ("POST", "/v1/chat", {"message": "hi"}), ("POST", "/v1/chat", {"message": ""})):
        status, headers, _ = call(platform, method, path, body)
        assert status in (200, 422)
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["X-Request-Id"]
        assert "uvicorn" not in (headers.get("Server") or "")
    status, headers, _ = call(platform, "GET", "/favicon.ico")
    assert status == 200 and headers["Content-Type"] == "image/x-icon"
    status, _, _ = call(platform, "GET", "/metrics")
    assert status in (403, 404)


def test_rotating_forwarded_for_or_identity_headers_does_not_lift_the_limit(deployed, platform, respect_the_rate_limit):
    # Start in a fresh window, so the burst below is counted in one.
    wait_for_a_fresh_window()
    credential = new_credential(platform)
    statuses, retry_after = [], []
    for number in range(15):
        status, headers, _ = call(
            platform, "POST", "/v1/chat", {"message": "thank you"},
            {**credential, "X-Forwarded-For": f"198.51.100.{number}", "X-User-Id": f"user-{number}",
             "X-Forwarded-User": f"user-{number}"},
        )
        statuses.append(status)
        if status == 429:
            retry_after.append(int(headers["Retry-After"]))
    assert statuses.count(200) <= 10 and statuses.count(429) >= 5, statuses
    assert all(1 <= seconds <= 10 for seconds in retry_after)
    # Without a credential, the address the edge saw is the key whatever the headers say.
    wait_for_a_fresh_window()
    anonymous = [
        call(platform, "POST", "/v1/chat", {"message": "hello"}, {"X-Forwarded-For": f"203.0.113.{number}"})[0]
        for number in range(15)
    ]
    assert anonymous.count(200) <= 10 and anonymous.count(429) >= 5, anonymous
