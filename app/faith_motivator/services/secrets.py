"""Settings overrides kept in AWS Secrets Manager."""

from __future__ import annotations

import json
from typing import Any

from faith_motivator.core.config import Settings

# Only these keys are taken from the secret; anything else in it is ignored.
SECRET_KEYS = frozenset(
    {
        "redis_url",
        "bedrock_guardrail_id",
        "bedrock_guardrail_version",
        "bedrock_model_id",
        "session_secret",
    }
)


def apply_secret(settings: Settings, secrets_client: Any) -> Settings:
    """Settings with the values of ``settings.secret_id`` (a JSON object) applied."""
    if not settings.secret_id:
        return settings
    response = secrets_client.get_secret_value(SecretId=settings.secret_id)
    document = json.loads(response["SecretString"])
    if not isinstance(document, dict):
        raise ValueError(f"secret {settings.secret_id} must hold a JSON object")
    overrides = {key: value for key, value in document.items() if key in SECRET_KEYS}
    # Validated again: a short session key from the secret must fail like one from the env.
    return Settings.model_validate({**settings.model_dump(), **overrides})
