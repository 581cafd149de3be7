"""The published sources behind every figure."""

from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.responses import Response

from app import kept
from app.db import DatasetDep, Db
from app.formats import Representation, representation, respond
from app.openapi import DATA_RESPONSES
from app.schemas import Meta, SourceList

router = APIRouter(tags=["sources"], responses=DATA_RESPONSES)


@router.get("/sources", response_model=SourceList, summary="Sources")
async def sources(db: Db, dataset: DatasetDep, rep: Annotated[Representation, Depends(representation)]) -> Response:
    """Every source (URL, publisher, date) and the years, events and totals it supports.

    Also at `/sources.csv`."""
    rows, rows_as = kept.sources(dataset).all()
    return respond(rep, SourceList(data=rows, meta=Meta(as_of=dataset.as_of)), "sources", rows_as=rows_as)
