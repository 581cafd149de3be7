"""The floor: a FastAPI app whose routes return constant bodies, the fastest a route can answer.

Routes `/b{size}` return `size` bytes; the sizes come from FLOOR_SIZES (comma-separated), so each
project endpoint is compared with a constant body of its own size.
"""

import os

from fastapi import FastAPI
from starlette.responses import Response

app = FastAPI()


def _constant_route(size: int) -> None:
    body = b"x" * size

    @app.get(f"/b{size}")
    async def constant() -> Response:  # async: no threadpool hop, the fastest route FastAPI has
        return Response(body, media_type="application/json")


for _size in {int(s) for s in os.environ.get("FLOOR_SIZES", "0").split(",") if s}:
    _constant_route(_size)
