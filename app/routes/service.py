"""The health check."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from app.formats import json_document
from app.openapi import DATA_RESPONSES
from app.params import NoQuery
from app.record import RecordDep
from app.schemas import Health

router = APIRouter(tags=["service"])


@router.get("/health", response_model=Health, summary="Health", responses={400: DATA_RESPONSES[400]})
async def health(request: Request, record: RecordDep, query: Annotated[NoQuery, Query()]) -> Response:
    """200 only while the database is open, at the migration head and passing the data checks
    (both proven at start-up; the server refuses to start otherwise), and whether the latest rebuilt
    file was rejected."""
    dataset = record.dataset
    body = Health(
        status="ok",
        migration=dataset.migration,
        data_checks="passed",
        as_of=dataset.as_of,
        dataset_digest=dataset.digest,
        rebuild=getattr(request.app.state, "rebuild", None),
    )
    return json_document(body.model_dump(mode="json"), {"Cache-Control": "no-store"})
