"""Consent and data-rights schemas."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    StrictBool,
    StringConstraints,
    model_validator,
)

from faith_motivator.models.chat import HistoryOut
from faith_motivator.models.common import StrictIn
from faith_motivator.models.prayer import PrayerRequestRecordOut

# No whitespace or control characters anywhere (a class both Python and JSON Schema spell
# the same way); lower-cased after validation, so the schema's limits are the app's.
EmailAddress = Annotated[
    str,
    StringConstraints(
        max_length=254, pattern=r"^[^@\x00-\x20\x7f]+@[^@\x00-\x20\x7f]+\.[^@\x00-\x20\x7f]+$"
    ),
    AfterValidator(str.lower),
]


class ConsentPurpose(StrEnum):
    """What a person can agree to, one purpose at a time."""

    STORE_CONVERSATIONS = "store_conversations"
    PRAYER_FOLLOW_UP = "prayer_follow_up"
    CONTACT_BY_EMAIL = "contact_by_email"


class ConsentIn(StrictIn):
    """Grant or withdraw one purpose; an e-mail address is only accepted with a grant of
    ``contact_by_email``."""

    # The same rule as the validator below, in the schema, so clients see it in the contract.
    model_config = ConfigDict(
        json_schema_extra={
            "if": {
                "properties": {
                    "purpose": {"const": "contact_by_email"},
                    "granted": {"const": True},
                },
                "required": ["purpose", "granted"],
            },
            "then": {},
            "else": {"properties": {"email": {"type": "null"}}},
        }
    )

    purpose: ConsentPurpose
    # Strict: "yes", 1 or "true" are errors, not consent.
    granted: StrictBool
    policy_version: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]{1,32}$")] = "1"
    email: EmailAddress | None = None

    @model_validator(mode="after")
    def _email_only_with_contact_grant(self) -> ConsentIn:
        if self.email is not None and not (
            self.purpose is ConsentPurpose.CONTACT_BY_EMAIL and self.granted
        ):
            raise ValueError("email is only accepted when granting contact_by_email")
        return self


class ConsentOut(BaseModel):
    """One entry of the consent log."""

    action: str
    purpose: str
    granted: bool
    policy_version: str
    recorded_at: datetime


class ProfileOut(BaseModel):
    """What the service keeps about a person besides conversations and requests."""

    user_id: str
    email: str | None
    consents: dict[str, bool]
    created_at: datetime | None
    updated_at: datetime | None


class DataExportOut(BaseModel):
    """Everything stored about the caller."""

    user_id: str
    exported_at: datetime
    profile: ProfileOut | None
    consents: list[ConsentOut]
    conversations: list[HistoryOut]
    prayer_requests: list[PrayerRequestRecordOut]


class ErasureOut(BaseModel):
    """What an erasure removed: after it, an export of the same credential is empty."""

    user_id: str
    erased_at: datetime
    conversations: int
    exchanges: int
    prayer_requests: int
    consent_log_entries: int
    profile: bool
