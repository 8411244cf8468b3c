"""Settings from Secrets Manager (the emulator's) override the environment's."""

from __future__ import annotations

import json

import boto3
import pytest

from faith_motivator.core.config import Settings
from faith_motivator.services.secrets import apply_secret


@pytest.fixture
def secretsmanager(settings):
    return boto3.client(
        "secretsmanager", endpoint_url=settings.aws_endpoint_url, region_name="us-east-1"
    )


def test_secret_values_replace_the_configured_ones(settings, secretsmanager, client_for):
    name = f"{settings.table_prefix}app-config"
    secretsmanager.create_secret(
        Name=name,
        SecretString=json.dumps(
            {
                "redis_url": settings.redis_url,
                "bedrock_guardrail_id": "gr-from-secret",
                "table_prefix": "ignored-",
            }
        ),
    )
    # The environment's Redis URL points nowhere; only the secret's value can make /ready pass.
    configured = settings.model_copy(
        update={"secret_id": name, "redis_url": "redis://127.0.0.1:1/0"}
    )

    resolved = apply_secret(configured, secretsmanager)
    assert resolved.redis_url == settings.redis_url
    assert resolved.bedrock_guardrail_id == "gr-from-secret"
    assert resolved.table_prefix == settings.table_prefix

    with client_for(configured) as client:
        ready = client.get("/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"]["redis"] == "ok"


def test_no_secret_id_means_no_call():
    settings = Settings(secret_id=None)
    assert apply_secret(settings, secrets_client=None) is settings
