"""The route class of every API router: JSON request bodies are checked before parsing.

FastAPI would otherwise read a text/plain or form body as a string ("Input should be a valid
dictionary") and answer invalid UTF-8 in its own format. Here a body route refuses a wrong
Content-Type with 415, a body over the limit with 413 (also without Content-Length), and bytes
that are not UTF-8 JSON with 400, each naming the problem, in the app's error format.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request, Response, status
from fastapi.routing import APIRoute

# Far above the largest valid body (a 2000-character message, 4 bytes a character at most).
MAX_BODY_BYTES = 64 * 1024
JSON_MEDIA_TYPE = "application/json"


class LimitedBodyRequest(Request):
    """A request whose body is read at most MAX_BODY_BYTES far."""

    async def body(self) -> bytes:
        if not hasattr(self, "_body"):
            declared = self.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
                raise _too_large()
            chunks: list[bytes] = []
            size = 0
            async for chunk in self.stream():
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise _too_large()
                chunks.append(chunk)
            # Starlette's own cache attribute: FastAPI's parser reads the body through it.
            self._body = b"".join(chunks)
        return self._body


def _too_large() -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_413_CONTENT_TOO_LARGE,
        detail=f"the request body is larger than {MAX_BODY_BYTES} bytes",
    )


def check_json_body(body: bytes, content_type: str) -> None:
    """Raise the HTTP error a body deserves, or nothing when it is a JSON document."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type != JSON_MEDIA_TYPE:
        raise HTTPException(
            status_code=status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            detail=f"Content-Type must be {JSON_MEDIA_TYPE}, not {media_type or 'missing'}",
        )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise HTTPException(
            status_code=status.HTTP_400_BAD_REQUEST,
            detail=f"the body is not valid UTF-8 (byte {error.start} cannot be decoded)",
        ) from None
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        raise HTTPException(
            status_code=status.HTTP_400_BAD_REQUEST,
            detail=f"the body is not valid JSON: {error.msg} (line {error.lineno}, "
            f"column {error.colno})",
        ) from None


class JSONBodyRoute(APIRoute):
    """An APIRoute that vets its JSON body (routes without a body are left as they are)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if self.body_field is None:
            return handler

        async def vetted_handler(request: Request) -> Response:
            limited = LimitedBodyRequest(request.scope, request.receive)
            body = await limited.body()
            check_json_body(body, limited.headers.get("content-type", ""))
            return await handler(limited)

        return vetted_handler
