"""The gunicorn worker class: uvicorn's, without its Server header or proxy-header handling.

The app resolves the client address itself (core/middleware.py), trusting only the hop the
trusted proxy appended; uvicorn's own handling would first rewrite the address by a looser
rule ("*" believes the client-written, leftmost hop).
"""

from __future__ import annotations

from typing import Any

from uvicorn_worker import UvicornWorker


class FaithWorker(UvicornWorker):
    """UvicornWorker with the server banner and proxy headers off."""

    CONFIG_KWARGS: dict[str, Any] = {
        **UvicornWorker.CONFIG_KWARGS,
        "server_header": False,
        "proxy_headers": False,
    }
