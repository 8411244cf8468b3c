"""Settings, read from the environment (prefix ``FAITH_``) by pydantic-settings."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from faith_motivator import __version__

# The four tables the collection's data role creates; the app only reads and writes them.
TABLE_SUFFIXES = {
    "user_profiles_table": "UserProfiles",
    "conversation_sessions_table": "ConversationSessions",
    "prayer_requests_table": "PrayerRequests",
    "consent_logs_table": "ConsentLogs",
}


class Settings(BaseSettings):
    """Everything the service can be told at start-up. See app/README.md for the table."""

    model_config = SettingsConfigDict(
        env_prefix="FAITH_", extra="ignore", frozen=True, populate_by_name=True
    )

    app_name: str = "faith-chatbot"
    environment: str = "local"
    # APP_VERSION is what the ECS task definition and the local supervisor set; FAITH_ wins.
    app_version: str = Field(
        default=__version__, validation_alias=AliasChoices("FAITH_APP_VERSION", "APP_VERSION")
    )
    colour: str | None = Field(
        default=None, validation_alias=AliasChoices("FAITH_COLOUR", "COLOUR")
    )
    log_level: str = "INFO"

    aws_region: str = "us-east-1"
    # Set to the emulator's URL in the local inventory; unset on AWS.
    aws_endpoint_url: str | None = None
    aws_connect_timeout: float = 2.0
    aws_read_timeout: float = 5.0
    aws_max_attempts: int = 3
    # A Secrets Manager secret (JSON object) whose keys override the matching settings below.
    secret_id: str | None = None

    # Empty means "derive": the prefix from app name and environment, each table name from
    # the prefix ({prefix}UserProfiles and so on).
    table_prefix: str = ""
    user_profiles_table: str = ""
    conversation_sessions_table: str = ""
    prayer_requests_table: str = ""
    consent_logs_table: str = ""

    # The queue URL wins; with only a name the URL is looked up on first use.
    prayer_queue_url: str | None = None
    prayer_queue_name: str = ""

    redis_url: str = "redis://127.0.0.1:6379/0"
    redis_socket_timeout: float = 1.0
    # Retries of a failed Redis call, a few milliseconds apart. redis-py's own default (three,
    # backing off up to seconds) would hold a person's chat for several seconds per call while
    # Redis is down; every Redis use here has a fallback, so failing fast is the better answer.
    redis_retries: int = Field(default=1, ge=0, le=5)
    # Empty means "{app_name}:{environment}:": both colours of one environment share counters
    # and cache entries; two environments on one Redis (the local platform) do not.
    redis_key_prefix: str = ""

    responder: Literal["local", "bedrock"] = "local"
    bedrock_model_id: str = "anthropic.claude-3-haiku-20240307-v1:0"
    bedrock_region: str | None = None
    bedrock_guardrail_id: str | None = None
    bedrock_guardrail_version: str = "DRAFT"
    bedrock_connect_timeout: float = 2.0
    bedrock_read_timeout: float = 10.0
    bedrock_max_tokens: int = Field(default=400, ge=16, le=4096)

    rate_limit_enabled: bool = True
    # Per credential (or, for a request without one, per client address) in each window.
    rate_limit_requests: int = Field(default=10, ge=1)
    # Per client address whatever credentials it rotates through; higher than the above
    # because several people may share one address (NAT, an office).
    rate_limit_address_requests: int = Field(default=30, ge=1)
    rate_limit_window_seconds: int = Field(default=10, ge=1)

    # Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed: addresses or networks,
    # comma-separated ("10.0.0.0/16" for the ALB's subnets; "*" trusts any peer). Only the
    # hop the trusted proxy appended counts, never what the client wrote before it.
    forwarded_allow_ips: str = "127.0.0.1"

    # Signing key of the anonymous session credential (at least 32 characters). Unset, a
    # random key is generated and shared through Redis so every worker and colour accepts
    # the others' credentials; the app logs that it did so.
    session_secret: SecretStr | None = None
    session_ttl_seconds: int = Field(default=30 * 24 * 3600, ge=60, le=400 * 24 * 3600)
    # None: Secure when the request arrived over HTTPS (X-Forwarded-Proto of a trusted proxy).
    session_cookie_secure: bool | None = None

    # Amazon Cognito sign-in: ID and access tokens of this pool and app client are accepted.
    cognito_user_pool_id: str | None = None
    cognito_client_id: str | None = None
    cognito_region: str | None = None
    # Derived from region and pool when unset; the emulator serves its JWKS elsewhere.
    cognito_issuer: str | None = None
    cognito_jwks_url: str | None = None
    cognito_jwks_ttl_seconds: int = Field(default=3600, ge=60)

    scripture_cache_ttl_seconds: int = Field(default=3600, ge=1)
    history_retention_days: int = Field(default=30, ge=1)
    history_limit: int = Field(default=50, ge=1, le=500)

    @model_validator(mode="after")
    def _derive_names(self) -> Settings:
        prefix = self.table_prefix or f"{self.app_name}-{self.environment}-"
        # frozen=True forbids attribute assignment; these are derived once, at validation.
        object.__setattr__(self, "table_prefix", prefix)
        for field_name, suffix in TABLE_SUFFIXES.items():
            if not getattr(self, field_name):
                object.__setattr__(self, field_name, f"{prefix}{suffix}")
        if not self.redis_key_prefix:
            object.__setattr__(self, "redis_key_prefix", f"{self.app_name}:{self.environment}:")
        if not self.prayer_queue_name:
            object.__setattr__(
                self, "prayer_queue_name", f"{self.app_name}-{self.environment}-PrayerRequests"
            )
        if self.session_secret is not None and len(self.session_secret.get_secret_value()) < 32:
            raise ValueError(
                "FAITH_SESSION_SECRET must be at least 32 characters (a random string of 32 "
                "bytes or more); it signs the anonymous session credentials"
            )
        if bool(self.cognito_user_pool_id) != bool(self.cognito_client_id):
            raise ValueError(
                "FAITH_COGNITO_USER_POOL_ID and FAITH_COGNITO_CLIENT_ID are set together or not "
                "at all: a token is verified against the pool's keys and the client's id"
            )
        if self.cognito_user_pool_id:
            region = self.cognito_region or self.cognito_user_pool_id.split("_", 1)[0]
            object.__setattr__(self, "cognito_region", region)
            if not self.cognito_issuer:
                object.__setattr__(
                    self,
                    "cognito_issuer",
                    f"https://cognito-idp.{region}.amazonaws.com/{self.cognito_user_pool_id}",
                )
            if not self.cognito_jwks_url:
                # AWS publishes the keys under the issuer; the emulator serves them from its
                # own endpoint, while still writing AWS's issuer into its tokens.
                base = (
                    f"{self.aws_endpoint_url.rstrip('/')}/{self.cognito_user_pool_id}"
                    if self.aws_endpoint_url
                    else self.cognito_issuer
                )
                object.__setattr__(self, "cognito_jwks_url", f"{base}/.well-known/jwks.json")
            if not str(self.cognito_jwks_url).startswith(("https://", "http://")):
                raise ValueError(
                    f"FAITH_COGNITO_JWKS_URL must be an http(s) URL, not {self.cognito_jwks_url!r}"
                )
        # With a secret configured, the guardrail may arrive from it; the responder re-checks.
        if self.responder == "bedrock" and not (self.bedrock_guardrail_id or self.secret_id):
            raise ValueError(
                "FAITH_RESPONDER=bedrock needs FAITH_BEDROCK_GUARDRAIL_ID (or bedrock_guardrail_id "
                "in the FAITH_SECRET_ID secret): replies are never generated without a guardrail"
            )
        return self

    @property
    def table_names(self) -> dict[str, str]:
        """Table names by their logical name (UserProfiles, ...)."""
        return {suffix: getattr(self, field) for field, suffix in TABLE_SUFFIXES.items()}


@lru_cache
def get_settings() -> Settings:
    """The process's settings; a FastAPI dependency that tests override."""
    return Settings()
