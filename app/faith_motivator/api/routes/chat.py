"""Chat: a message in, a reply with verses out; conversation history."""

from __future__ import annotations

import uuid
from typing import Annotated

import anyio
from fastapi import APIRouter, Depends, HTTPException, Query, status

from faith_motivator.api.deps import ChatPrincipalDep, ChatServiceDep, PrincipalDep, rate_limited
from faith_motivator.api.responses import BODY_ERRORS, OPTIONAL_CREDENTIAL, errors
from faith_motivator.api.routing import JSONBodyRoute
from faith_motivator.models.chat import ChatIn, ChatOut, HistoryOut
from faith_motivator.services.chat import ConversationNotFound

router = APIRouter(prefix="/v1/chat", tags=["chat"], route_class=JSONBodyRoute)

NOT_YOURS = "no such conversation for this credential"


@router.post(
    "",
    response_model=ChatOut,
    dependencies=[Depends(rate_limited("chat"))],
    responses={
        200: {
            "description": "The reply",
            "links": {
                "History": {
                    "operationId": "get_history",
                    "parameters": {"session_id": "$response.body#/session_id"},
                    "description": "The conversation this reply was added to.",
                }
            },
        },
        **errors(*BODY_ERRORS, 401, 404, 429, 503),
    },
    openapi_extra=OPTIONAL_CREDENTIAL,
    summary="Send a message and get encouragement with verses",
)
async def post_chat(payload: ChatIn, chat: ChatServiceDep, principal: ChatPrincipalDep):
    """Without a credential, a new anonymous one is issued as the session cookie.
    ``session_id`` continues a conversation of the same credential; another's is a 404."""
    try:
        return await chat.chat(payload, principal.id)
    except ConversationNotFound:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=NOT_YOURS) from None


@router.get(
    "/history",
    response_model=HistoryOut,
    operation_id="get_history",
    responses=errors(401, 404, 422, 503),
    summary="A conversation, oldest first",
)
async def get_history(
    session_id: Annotated[uuid.UUID, Query(description="The session id a chat reply returned.")],
    chat: ChatServiceDep,
    principal: PrincipalDep,
):
    history = await anyio.to_thread.run_sync(chat.history, session_id, principal.id)
    if history is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=NOT_YOURS)
    return history
