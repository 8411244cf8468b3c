"""Prayer requests: stored in DynamoDB, then announced on SQS."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Literal

from botocore.exceptions import BotoCoreError, ClientError

from faith_motivator.models.prayer import PrayerRequestIn, PrayerRequestOut
from faith_motivator.services.chat import crisis_resources
from faith_motivator.services.crisis import is_crisis
from faith_motivator.services.queue import PrayerQueue
from faith_motivator.services.storage import PrayerRequestStore, ProfileStore, timestamp

logger = logging.getLogger(__name__)


class PrayerQueueUnavailable(RuntimeError):
    """The request could not be announced; it was not kept either."""


class PrayerService:
    """Takes prayer requests for the prayer team."""
    def __init__(
        self, requests: PrayerRequestStore, profiles: ProfileStore, queue: PrayerQueue
    ) -> None:
        self.requests = requests
        self.profiles = profiles
        self.queue = queue

    def submit(self, payload: PrayerRequestIn, user_id: str) -> PrayerRequestOut:
        """Blocking: store, announce, link to the profile."""
        request_id = uuid.uuid4()
        created = datetime.now(UTC)
        # The team sees urgent requests first; the person sees helplines straight away.
        urgent = is_crisis(payload.request)
        priority: Literal["normal", "urgent"] = "urgent" if urgent else "normal"
        # Linked first, so erasure reaches every stored request (a dangling link is harmless).
        self.profiles.link_prayer_request(user_id, str(request_id), created)
        self.requests.put(
            {
                "request_id": str(request_id),
                "user_id": user_id,
                "request": payload.request,
                "display_name": payload.display_name,
                "share_with_team": payload.share_with_team,
                "priority": priority,
                "status": "received",
                "created_at": timestamp(created),
            }
        )
        try:
            self.queue.announce(str(request_id), priority, timestamp(created))
        except (BotoCoreError, ClientError) as error:
            # A request nobody will be told about must not linger as if it were in hand.
            self.requests.delete(str(request_id))
            logger.error(
                "prayer request not queued",
                exc_info=True,
                extra={"fields": {"dependency": "sqs"}},
            )
            raise PrayerQueueUnavailable("the prayer queue is unavailable") from error
        return PrayerRequestOut(
            request_id=request_id,
            status="received",
            priority=priority,
            created_at=created,
            resources=crisis_resources() if urgent else [],
        )
