"""The Amazon Bedrock responder: the Converse API behind a guardrail, with local fallback.

The model writes the encouragement only. Verses always come from the curated catalogue, so
a quoted verse is never invented. Any failure (error, timeout, guardrail intervention,
unexpected response) falls back to the local responder: a person always gets an answer.
"""

from __future__ import annotations

import logging
from typing import Any

import anyio
from botocore.exceptions import BotoCoreError, ClientError

from faith_motivator.models.common import Theme
from faith_motivator.services.responders.base import Reply
from faith_motivator.services.responders.local import LocalResponder

logger = logging.getLogger(__name__)

SYSTEM_PROMPT = (
    "You are Faith Motivator, a warm Christian encourager. Reply in at most four sentences, "
    "in plain language, with empathy for what the person shared and one gentle, practical "
    "next step. Do not quote or cite Bible verses; verses are added separately. Do not give "
    "medical, legal or financial advice. If the person may be in danger, tell them to call or "
    "text 988 or their local emergency number."
)


class BedrockResponder:
    """Replies written by a Bedrock model, verses from the catalogue."""
    name = "bedrock"

    def __init__(
        self,
        client: Any,
        fallback: LocalResponder,
        *,
        model_id: str,
        guardrail_id: str | None,
        guardrail_version: str,
        max_tokens: int,
    ) -> None:
        if not guardrail_id:
            raise ValueError(
                "the bedrock responder needs a guardrail id (FAITH_BEDROCK_GUARDRAIL_ID)"
            )
        self.client = client
        self.fallback = fallback
        self.model_id = model_id
        self.guardrail_id = guardrail_id
        self.guardrail_version = guardrail_version
        self.max_tokens = max_tokens

    def converse_request(self, message: str, theme: Theme) -> dict[str, Any]:
        """The Converse API parameters for one message."""
        return {
            "modelId": self.model_id,
            "system": [{"text": f"{SYSTEM_PROMPT} The message's theme is {theme.value}."}],
            "messages": [{"role": "user", "content": [{"text": message}]}],
            "inferenceConfig": {"maxTokens": self.max_tokens, "temperature": 0.5},
            "guardrailConfig": {
                "guardrailIdentifier": self.guardrail_id,
                "guardrailVersion": self.guardrail_version,
            },
        }

    def answer(self, message: str, theme: Theme) -> Reply:
        """Blocking: ask the model, or fall back to the local responder."""
        local = self.fallback.compose(message, theme)
        try:
            response = self.client.converse(**self.converse_request(message, theme))
            if response.get("stopReason") == "guardrail_intervened":
                logger.info(
                    "bedrock guardrail intervened", extra={"fields": {"outcome": "fallback"}}
                )
                return Reply(local.text, local.verses, "local", fallback=True)
            parts = response["output"]["message"]["content"]
            text = " ".join(part["text"] for part in parts if "text" in part).strip()
            if not text:
                raise ValueError("empty reply from the model")
        except (BotoCoreError, ClientError, KeyError, TypeError, ValueError) as error:
            logger.warning(
                "bedrock responder failed, using local",
                extra={"fields": {"outcome": "fallback", "error_type": type(error).__name__}},
            )
            return Reply(local.text, local.verses, "local", fallback=True)
        return Reply(text=text, verses=local.verses, responder="bedrock")

    async def respond(self, message: str, theme: Theme) -> Reply:
        """``answer`` on the thread pool (the boto3 call blocks)."""
        return await anyio.to_thread.run_sync(self.answer, message, theme)
