"""Chat: a message in, a reply with verses out; conversation history."""

from __future__ import annotations

import uuid
from typing import Annotated

import anyio
from fastapi import APIRouter, Depends, HTTPException, Query, status

from faith_motivator.api.deps import ChatServiceDep, OptionalUserId, rate_limited
from faith_motivator.models.chat import ChatIn, ChatOut, HistoryOut

router = APIRouter(prefix="/v1/chat", tags=["chat"])


@router.post(
    "",
    response_model=ChatOut,
    dependencies=[Depends(rate_limited("chat"))],
    summary="Send a message and get encouragement with verses",
)
async def post_chat(payload: ChatIn, chat: ChatServiceDep, user_id: OptionalUserId = None):
    return await chat.chat(payload, user_id)


@router.get("/history", response_model=HistoryOut, summary="A conversation, oldest first")
async def get_history(
    session_id: Annotated[uuid.UUID, Query(description="The session id a chat reply returned.")],
    chat: ChatServiceDep,
    user_id: OptionalUserId = None,
):
    history = await anyio.to_thread.run_sync(chat.history, session_id, user_id)
    if history is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="no such conversation")
    return history
