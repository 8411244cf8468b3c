"""The Bedrock responder against recorded Converse API shapes (botocore Stubber).

The emulator has no Bedrock runtime, so these tests stub the client; the request each test
expects is validated by botocore against the real service model.
"""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber
from pydantic import ValidationError

from faith_motivator.core.config import Settings
from faith_motivator.models.common import Theme
from faith_motivator.services.responders.bedrock import BedrockResponder
from faith_motivator.services.responders.local import LocalResponder
from faith_motivator.services.scripture import ScriptureCatalogue

MESSAGE = "I'm so anxious about my exams"


@pytest.fixture
def bedrock_client():
    return boto3.client("bedrock-runtime", region_name="us-east-1")


@pytest.fixture
def responder(bedrock_client):
    return BedrockResponder(
        bedrock_client,
        LocalResponder(ScriptureCatalogue.load()),
        model_id="anthropic.claude-3-haiku-20240307-v1:0",
        guardrail_id="gr-faith-123",
        guardrail_version="3",
        max_tokens=300,
    )


def _converse_response(text: str, stop_reason: str = "end_turn") -> dict:
    return {
        "output": {"message": {"role": "assistant", "content": [{"text": text}]}},
        "stopReason": stop_reason,
        "usage": {"inputTokens": 42, "outputTokens": 17, "totalTokens": 59},
        "metrics": {"latencyMs": 310},
    }


def test_success_uses_the_model_text_and_catalogue_verses(responder, bedrock_client):
    expected = responder.converse_request(MESSAGE, Theme.ANXIETY)
    assert expected["guardrailConfig"] == {
        "guardrailIdentifier": "gr-faith-123",
        "guardrailVersion": "3",
    }
    with Stubber(bedrock_client) as stub:
        stub.add_response(
            "converse", _converse_response("Exams are hard. Take them one at a time."), expected
        )
        reply = responder.answer(MESSAGE, Theme.ANXIETY)
        stub.assert_no_pending_responses()

    assert reply.responder == "bedrock"
    assert reply.fallback is False
    assert reply.text == "Exams are hard. Take them one at a time."
    local = responder.fallback.compose(MESSAGE, Theme.ANXIETY)
    assert reply.verses == local.verses


@pytest.mark.parametrize(
    "error_code", ["ThrottlingException", "AccessDeniedException", "ModelTimeoutException"]
)
def test_service_error_falls_back_to_local(responder, bedrock_client, error_code):
    with Stubber(bedrock_client) as stub:
        stub.add_client_error("converse", service_error_code=error_code, http_status_code=400)
        reply = responder.answer(MESSAGE, Theme.ANXIETY)

    local = responder.fallback.compose(MESSAGE, Theme.ANXIETY)
    assert reply.fallback is True
    assert reply.responder == "local"
    assert (reply.text, reply.verses) == (local.text, local.verses)


def test_guardrail_intervention_falls_back_to_local(responder, bedrock_client):
    with Stubber(bedrock_client) as stub:
        stub.add_response(
            "converse", _converse_response("[blocked]", stop_reason="guardrail_intervened")
        )
        reply = responder.answer(MESSAGE, Theme.ANXIETY)
    assert reply.fallback is True
    assert reply.text != "[blocked]"


def test_empty_model_reply_falls_back_to_local(responder, bedrock_client):
    with Stubber(bedrock_client) as stub:
        stub.add_response("converse", _converse_response("   "))
        reply = responder.answer(MESSAGE, Theme.ANXIETY)
    assert reply.fallback is True


def test_bedrock_is_refused_without_a_guardrail(bedrock_client):
    with pytest.raises(ValidationError, match="GUARDRAIL"):
        Settings(responder="bedrock", bedrock_guardrail_id=None, secret_id=None)
    with pytest.raises(ValueError, match="guardrail"):
        BedrockResponder(
            bedrock_client,
            LocalResponder(ScriptureCatalogue.load()),
            model_id="m",
            guardrail_id=None,
            guardrail_version="1",
            max_tokens=100,
        )


def test_chat_through_the_app_falls_back_and_counts_it(client_for, settings):
    bedrock_settings = settings.model_copy(
        update={"responder": "bedrock", "bedrock_guardrail_id": "gr-faith-123"}
    )
    with client_for(bedrock_settings) as client:
        responder = client.app.state.resources.responder
        assert isinstance(responder, BedrockResponder)
        with Stubber(responder.client) as stub:
            stub.add_client_error("converse", service_error_code="ServiceUnavailableException",
                                  http_status_code=503)
            stub.add_response("converse", _converse_response("You are not alone in this."))
            fallback = client.post("/v1/chat", json={"message": MESSAGE}).json()
            answered = client.post("/v1/chat", json={"message": MESSAGE}).json()
            crisis = client.post("/v1/chat", json={"message": "I want to kill myself"}).json()
            stub.assert_no_pending_responses()
        metrics = client.get("/metrics").text

    assert fallback["responder"] == "local" and fallback["theme"] == "anxiety"
    assert answered["responder"] == "bedrock"
    assert answered["reply"] == "You are not alone in this."
    assert crisis["responder"] == "crisis"  # no third converse call was queued or made
    assert 'faith_responder_duration_seconds_count{outcome="fallback",responder="bedrock"} 1.0' in (
        metrics
    )
    assert 'faith_responder_duration_seconds_count{outcome="ok",responder="bedrock"} 1.0' in metrics
