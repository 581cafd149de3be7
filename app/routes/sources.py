"""The published sources behind every figure."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from app.formats import data_route, representation, respond
from app.openapi import DATA_RESPONSES
from app.params import Table
from app.record import RecordDep
from app.schemas import Meta, SourceList

router = APIRouter(tags=["sources"], responses=DATA_RESPONSES)


@data_route(router, "/sources", response_model=SourceList, summary="Sources")
async def sources(request: Request, record: RecordDep, query: Annotated[Table, Query()]) -> Response:
    """Every source (URL, publisher, date) and the years, events and totals it supports.

    Also at `/sources.csv`."""
    envelope = SourceList(data=list(record.sources), meta=Meta(as_of=record.dataset.as_of))
    return respond(representation(request, query), envelope, "sources")
