"""The prayer-request queue (SQS)."""

from __future__ import annotations

import json
import threading
from typing import Any


class PrayerQueue:
    """Announces new prayer requests to the prayer team's consumer.

    The message carries the request id and priority only; the consumer reads the request
    itself from DynamoDB, so prayer text never sits in a queue or its dead-letter queue.
    """

    def __init__(self, client: Any, queue_url: str | None, queue_name: str) -> None:
        self.client = client
        self.queue_name = queue_name
        self._queue_url = queue_url
        self._lock = threading.Lock()

    @property
    def queue_url(self) -> str:
        """The queue's URL, looked up once."""
        # Looked up on first use rather than at start-up, so a missing queue fails the
        # request that needs it instead of the whole service.
        with self._lock:
            if self._queue_url is None:
                self._queue_url = self.client.get_queue_url(QueueName=self.queue_name)["QueueUrl"]
            return self._queue_url

    def announce(self, request_id: str, priority: str, created_at: str) -> str:
        """Send the notification; returns the SQS message id."""
        response = self.client.send_message(
            QueueUrl=self.queue_url,
            MessageBody=json.dumps(
                {"type": "prayer_request.created", "request_id": request_id,
                 "created_at": created_at}
            ),
            MessageAttributes={"priority": {"DataType": "String", "StringValue": priority}},
        )
        return response["MessageId"]
