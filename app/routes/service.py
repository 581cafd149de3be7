"""The health check."""

from fastapi import APIRouter
from starlette.responses import JSONResponse

from app.openapi import DATA_RESPONSES
from app.record import RecordDep
from app.schemas import Health

router = APIRouter(tags=["service"])


@router.get("/health", response_model=Health, summary="Health", responses={400: DATA_RESPONSES[400]})
async def health(record: RecordDep) -> JSONResponse:
    """200 only while the database is open, at the migration head and passing the data checks
    (both proven at start-up; the server refuses to start otherwise)."""
    dataset = record.dataset
    body = Health(
        status="ok",
        migration=dataset.migration,
        data_checks="passed",
        as_of=dataset.as_of,
        dataset_digest=dataset.digest,
    )
    return JSONResponse(body.model_dump(mode="json"), headers={"Cache-Control": "no-store"})
