"""The limit: a bare ASGI callable that answers each path with the status, headers and body bytes the
project sent for it, and does nothing else. No framework can serve those bytes faster on the same
uvicorn flags, so the cached path is measured against it.

The responses come from the JSON file named by LIMIT_RESPONSES: {path: [status, [[name, value]...], body]},
with the body as latin-1 text so that any bytes survive the round trip.
"""

import json
import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Message = MutableMapping[str, Any]

_RESPONSES: dict[str, tuple[Message, Message]] = {}
with open(os.environ["LIMIT_RESPONSES"], encoding="utf-8") as _file:
    for _path, (_status, _headers, _body) in json.load(_file).items():
        _RESPONSES[_path] = (
            {
                "type": "http.response.start",
                "status": _status,
                "headers": [(n.encode("latin-1"), v.encode("latin-1")) for n, v in _headers],
            },
            {"type": "http.response.body", "body": _body.encode("latin-1")},
        )
_MISSING = ({"type": "http.response.start", "status": 404, "headers": []}, {"type": "http.response.body", "body": b""})


async def app(
    scope: MutableMapping[str, Any],
    receive: Callable[[], Awaitable[Message]],
    send: Callable[[Message], Awaitable[None]],
) -> None:
    """Send the recorded answer for the path (the query string is part of it)."""
    if scope["type"] != "http":
        return
    query = scope["query_string"].decode("latin-1")
    start, body = _RESPONSES.get(scope["path"] + ("?" + query if query else ""), _MISSING)
    await send(start)
    await send(body)
