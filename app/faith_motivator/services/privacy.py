"""Consent records and the data rights: export and erasure."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from faith_motivator.models.prayer import PrayerRequestRecordOut
from faith_motivator.models.privacy import (
    ConsentIn,
    ConsentOut,
    DataExportOut,
    ErasureOut,
    ProfileOut,
)
from faith_motivator.services.chat import history_out
from faith_motivator.services.storage import (
    ConsentLogStore,
    ConversationStore,
    PrayerRequestStore,
    ProfileStore,
)

logger = logging.getLogger(__name__)


class PrivacyService:
    """All methods block (DynamoDB); routes run them on the thread pool."""

    def __init__(
        self,
        profiles: ProfileStore,
        consent_log: ConsentLogStore,
        conversations: ConversationStore,
        prayer_requests: PrayerRequestStore,
        policy_version: str = "1",
    ) -> None:
        self.profiles = profiles
        self.consent_log = consent_log
        self.conversations = conversations
        self.prayer_requests = prayer_requests
        self.policy_version = policy_version

    def record_consent(self, user_id: str, consent: ConsentIn) -> ConsentOut:
        """Log a grant or withdrawal and reflect it on the profile."""
        now = datetime.now(UTC)
        # The log first: if the profile update fails, the record of the choice still exists.
        self.consent_log.append(
            user_id,
            {
                "action": "grant" if consent.granted else "withdraw",
                "purpose": consent.purpose.value,
                "granted": consent.granted,
                "policy_version": consent.policy_version,
            },
            now,
        )
        self.profiles.record_consent(
            user_id, consent.purpose.value, consent.granted, consent.email, now
        )
        return ConsentOut(
            action="grant" if consent.granted else "withdraw",
            purpose=consent.purpose.value,
            granted=consent.granted,
            policy_version=consent.policy_version,
            recorded_at=now,
        )

    def export(self, user_id: str) -> DataExportOut:
        """Everything stored about ``user_id``."""
        profile = self.profiles.get(user_id)
        conversations = []
        prayer_requests = []
        if profile:
            for session_id in sorted(profile.get("session_ids", ())):
                items = self.conversations.all_exchanges(session_id)
                if items:
                    conversations.append(history_out(session_id, items))
            for request_id in sorted(profile.get("prayer_request_ids", ())):
                request = self.prayer_requests.get(request_id)
                if request:
                    prayer_requests.append(PrayerRequestRecordOut(**request))
        return DataExportOut(
            user_id=user_id,
            exported_at=datetime.now(UTC),
            profile=ProfileOut(
                user_id=user_id,
                email=profile.get("email"),
                consents=ProfileStore.consents(profile),
                created_at=profile.get("created_at"),
                updated_at=profile.get("updated_at"),
            )
            if profile
            else None,
            consents=[
                ConsentOut(
                    action=entry["action"],
                    purpose=entry["purpose"],
                    granted=entry["granted"],
                    policy_version=entry["policy_version"],
                    recorded_at=entry["recorded_at"],
                )
                for entry in self.consent_log.entries(user_id)
            ],
            conversations=conversations,
            prayer_requests=prayer_requests,
        )

    def erase(self, user_id: str) -> tuple[ErasureOut, list[str]]:
        """Delete everything of the user from every table: conversations, prayer requests,
        consent log and profile (last: it is the index of the rest, so an erasure that fails
        half-way can be repeated and finds what is left). Returns the summary and the ids of
        the erased conversations (for the cache)."""
        now = datetime.now(UTC)
        profile = self.profiles.get(user_id) or {}
        sessions = sorted(profile.get("session_ids", ()))
        exchanges = sum(self.conversations.delete_session(session_id) for session_id in sessions)
        requests = sum(
            self.prayer_requests.delete(request_id)
            for request_id in sorted(profile.get("prayer_request_ids", ()))
        )
        consent_entries = self.consent_log.delete_all(user_id)
        profile_deleted = self.profiles.delete(user_id) if profile else False
        # The record that an erasure happened holds counts only, never who.
        logger.info(
            "erasure",
            extra={"fields": {"outcome": f"{exchanges} exchanges, {requests} prayer requests"}},
        )
        summary = ErasureOut(
            user_id=user_id,
            erased_at=now,
            conversations=len(sessions),
            exchanges=exchanges,
            prayer_requests=requests,
            consent_log_entries=consent_entries,
            profile=profile_deleted,
        )
        return summary, sessions
