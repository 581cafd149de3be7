"""The API index and the health check."""

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import text
from starlette.responses import JSONResponse

from app.db import SessionDep
from app.openapi import DATA_RESPONSES
from app.schemas import Health

router = APIRouter(tags=["service"])

ENDPOINTS = {
    "/stats/yearly": "People returned per year, 2022 onwards (also .csv)",
    "/stats/yearly/{year}": "One year's figure",
    "/stats/summary": "Since 24 Feb 2022: people returned, exchanges held",
    "/exchanges": "Return events in date order; filters year, date_from, date_to, mediator",
    "/exchanges/{exchange_id}": "One event, e.g. /exchanges/2024-12-30",
    "/exchanges/{exchange_id}/units": "An event's breakdown by service, rank or sex",
    "/sources": "Every source and what it supports",
    "/health": "200 when the database is open, current and consistent",
    "/docs": "Interactive documentation (OpenAPI at /openapi.json)",
}


@router.get("/", summary="API index", responses={400: DATA_RESPONSES[400]})
def index() -> dict[str, Any]:
    """What this API serves and where: one line per endpoint."""
    return {
        "name": "Returns from Russian captivity to Ukraine",
        "description": "Sourced figures of people Ukraine brought back from Russian captivity, exchange by exchange.",
        "endpoints": ENDPOINTS,
        "formats": "JSON by default; CSV with a .csv suffix, ?format=csv or Accept: text/csv",
    }


@router.get("/health", response_model=Health, summary="Health")
def health(request: Request, session: SessionDep) -> JSONResponse:
    """200 only while the database is open, at the migration head and passing the data checks
    (both proven at start-up; the server refuses to start otherwise)."""
    dataset = request.app.state.dataset
    migration = session.execute(text("SELECT max(version_num) FROM alembic_version")).scalar_one()
    body = Health(
        status="ok",
        migration=migration,
        data_checks="passed",
        as_of=dataset.as_of,
        dataset_digest=dataset.digest,
    )
    return JSONResponse(body.model_dump(mode="json"), headers={"Cache-Control": "no-store"})
