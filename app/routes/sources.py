"""The published sources behind every figure."""

from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.responses import Response

from app.formats import Representation, data_route, representation, respond
from app.openapi import DATA_RESPONSES
from app.record import RecordDep
from app.schemas import Meta, SourceList

router = APIRouter(tags=["sources"], responses=DATA_RESPONSES)


@data_route(router, "/sources", response_model=SourceList, summary="Sources")
async def sources(record: RecordDep, rep: Annotated[Representation, Depends(representation)]) -> Response:
    """Every source (URL, publisher, date) and the years, events and totals it supports.

    Also at `/sources.csv`."""
    envelope = SourceList(data=list(record.sources), meta=Meta(as_of=record.dataset.as_of))
    return respond(rep, envelope, "sources")
