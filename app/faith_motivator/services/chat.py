"""A chat turn: crisis check, theme, responder, storage."""

from __future__ import annotations

import logging
import time
import uuid
from datetime import UTC, datetime
from typing import Literal

import anyio
from botocore.exceptions import BotoCoreError, ClientError

from faith_motivator.core.metrics import Metrics
from faith_motivator.models.chat import ChatIn, ChatOut, CrisisResourceOut, ExchangeOut, HistoryOut
from faith_motivator.models.common import Theme, VerseOut
from faith_motivator.services.consent import SessionOwners, StorageConsent
from faith_motivator.services.crisis import CRISIS_REPLY, CRISIS_RESOURCES, is_crisis
from faith_motivator.services.responders.base import Reply, Responder
from faith_motivator.services.scripture import ScriptureCatalogue
from faith_motivator.services.storage import ConversationStore, ProfileStore
from faith_motivator.services.themes import ThemeDetector

logger = logging.getLogger(__name__)


def crisis_resources() -> list[CrisisResourceOut]:
    """The fixed list of helplines."""
    return [CrisisResourceOut(name=r.name, contact=r.contact, url=r.url) for r in CRISIS_RESOURCES]


class ConversationNotFound(Exception):
    """No conversation with that id belongs to the caller (it may be someone else's)."""


class ChatService:
    """Answers chat messages and keeps the conversation."""

    def __init__(
        self,
        responder: Responder,
        detector: ThemeDetector,
        catalogue: ScriptureCatalogue,
        conversations: ConversationStore,
        profiles: ProfileStore,
        consent: StorageConsent,
        owners: SessionOwners,
        metrics: Metrics,
        history_limit: int,
    ) -> None:
        self.responder = responder
        self.detector = detector
        self.catalogue = catalogue
        self.conversations = conversations
        self.profiles = profiles
        self.consent = consent
        self.owners = owners
        self.metrics = metrics
        self.history_limit = history_limit

    async def reply(self, message: str) -> tuple[Reply, Theme | None]:
        """The reply to a message; ``None`` as theme means the crisis path answered."""
        # First, always, and before any responder sees the message.
        if is_crisis(message):
            self.metrics.crisis_responses.inc()
            return Reply(CRISIS_REPLY, [self.catalogue.crisis_verse], "crisis"), None
        theme = self.detector.detect(message)
        self.metrics.themes.labels(theme.value).inc()
        started = time.perf_counter()
        reply = await self.responder.respond(message, theme)
        outcome = "fallback" if reply.fallback else "ok"
        self.metrics.responder_latency.labels(self.responder.name, outcome).observe(
            time.perf_counter() - started
        )
        return reply, theme

    async def chat(self, payload: ChatIn, owner: str) -> ChatOut:
        """Answer one message of ``owner`` and store the exchange if its consent allows."""
        new_session = payload.session_id is None
        session_id = payload.session_id or uuid.uuid4()
        if not new_session:
            # Before any reply: a message is never answered into someone else's conversation.
            cached = await self.owners.cached(str(session_id))
            if cached is None:
                current = await anyio.to_thread.run_sync(
                    self.conversations.owner, str(session_id)
                )
                if current is not None:
                    await self.owners.remember(str(session_id), current)
                    cached = SessionOwners.digest(current)
            if cached is not None and cached != SessionOwners.digest(owner):
                raise ConversationNotFound(str(session_id))
            new_session = cached is None
        may_store = await self.consent.may_store(owner)
        reply, theme = await self.reply(payload.message)
        created = datetime.now(UTC)
        crisis = theme is None
        theme_label: Theme | Literal["crisis"] = "crisis" if theme is None else theme
        stored = may_store and await anyio.to_thread.run_sync(
            self._store,
            str(session_id),
            owner,
            payload.message,
            reply,
            theme_label,
            created,
            new_session,
        )
        if stored and new_session:
            await self.owners.remember(str(session_id), owner)
        return ChatOut(
            session_id=session_id,
            reply=reply.text,
            theme=theme_label,
            verses=reply.verses,
            responder=reply.responder,
            crisis=crisis,
            resources=crisis_resources() if crisis else [],
            stored=stored,
            created_at=created,
        )

    def _store(
        self,
        session_id: str,
        user_id: str,
        message: str,
        reply: Reply,
        theme: str,
        created: datetime,
        new_session: bool,
    ) -> bool:
        exchange = {
            "session_id": session_id,
            "user_id": user_id,
            "message": message,
            "reply": reply.text,
            "theme": theme,
            "responder": reply.responder,
            "crisis": theme == "crisis",
            "verses": [verse.model_dump() for verse in reply.verses],
        }
        try:
            # The link first (once per conversation): erasure finds sessions through it, so
            # no stored exchange is ever out of its owner's reach.
            if new_session:
                self.profiles.link_session(user_id, session_id, created)
            self.conversations.add_exchange(exchange, created)
        except (BotoCoreError, ClientError):
            # The person still gets their reply (a crisis reply above all); history is lost.
            logger.error(
                "conversation not stored",
                exc_info=True,
                extra={"fields": {"dependency": "dynamodb", "table": self.conversations.table}},
            )
            return False
        return True

    def history(self, session_id: uuid.UUID, owner: str) -> HistoryOut | None:
        """The session's exchanges, or None when it does not exist or is not the caller's."""
        items = self.conversations.exchanges(str(session_id), self.history_limit)
        if not items or any(item.get("user_id") != owner for item in items):
            return None
        return history_out(session_id, items)


def history_out(session_id: uuid.UUID | str, items: list[dict]) -> HistoryOut:
    """Stored exchanges as the history schema."""
    return HistoryOut(
        session_id=uuid.UUID(str(session_id)),
        exchanges=[
            ExchangeOut(
                created_at=item["created_at"],
                message=item["message"],
                reply=item["reply"],
                theme=item["theme"],
                verses=[VerseOut(**verse) for verse in item.get("verses", [])],
                crisis=bool(item.get("crisis", False)),
            )
            for item in items
        ],
    )
