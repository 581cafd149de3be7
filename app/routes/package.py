"""The data as files: the Frictionless Data Package, its CSV resources, and the SQLite file itself."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from app import vocabulary
from app.formats import csv_table, data_route, json_document, representation, table_response
from app.openapi import DATA_RESPONSES
from app.params import NoQuery, Table, asked
from app.record import RecordDep
from app.schemas import Resource, ResourceRows

router = APIRouter(tags=["data"])
SQLITE = "application/vnd.sqlite3"


@router.get(
    "/datapackage.json",
    summary="The Frictionless Data Package",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "name": "returns-from-russian-captivity",
                        "version": "2026.05.15",
                        "as_of": "2026-05-15",
                        "resources": [{"name": "events", "path": "https://YOUR-HOST/data/events.csv", "schema": {}}],
                    }
                }
            }
        }
    },
)
async def datapackage(request: Request, record: RecordDep, query: Annotated[NoQuery, Query()]) -> Response:
    """The dataset as a Frictionless Data Package: the Table Schemas of `data/datapackage.json`,
    each resource's `path` the absolute URL of its CSV on this server (`/data/{resource}.csv`), the
    licence, the sources, the as-of date and the version. Load it with `frictionless` in Python or R."""
    base = asked(request).base_url
    as_of = record.dataset.as_of
    package = vocabulary.for_validators(vocabulary.descriptor())
    package["version"] = as_of.strftime("%Y.%m.%d")
    package["as_of"] = as_of.isoformat()
    package["homepage"] = f"{base}/"
    for resource in package["resources"]:
        resource["path"] = f"{base}/data/{resource['name']}.csv"
        resource["format"], resource["mediatype"], resource["encoding"] = "csv", "text/csv", "utf-8"
    return json_document(package)


@router.get(
    "/data/returns.db",
    summary="The SQLite database",
    responses={200: {"content": {SQLITE: {"schema": {"type": "string", "format": "binary"}}}}},
)
async def database_file(record: RecordDep, query: Annotated[NoQuery, Query()]) -> Response:
    """The served SQLite database itself, read-only, to open in Datasette, sqlite3 or any SQLite
    client. Its ETag is the dataset digest that `/health` reports."""
    dataset = record.dataset
    return Response(
        dataset.image,
        media_type=SQLITE,
        headers={"Content-Disposition": 'attachment; filename="returns.db"', "ETag": f'"{dataset.digest}"'},
    )


@data_route(
    router,
    "/data/{resource}",
    response_model=ResourceRows,
    summary="One resource of the data package",
    responses={
        **DATA_RESPONSES,
        200: {"content": {"text/csv": {"schema": {"type": "string"}, "example": "code,label_en,label_uk\r\n"}}},
    },
)
async def resource_rows(
    request: Request,
    record: RecordDep,
    resource: Annotated[Resource, Path(description="A resource of `/datapackage.json`, e.g. `events`.")],
    query: Annotated[Table, Query()],
) -> Response:
    """One resource of the data package, rendered from the database in the columns of its Table
    Schema: `/data/events.csv` is what `data/events.csv` holds. JSON gives the same rows as objects."""
    rep, columns = representation(request, query), vocabulary.columns(resource)
    rows = record.package[resource]
    if rep.format == "csv":
        return table_response(rep, resource, csv_table(columns, rows))
    headers = {"Content-Disposition": f'attachment; filename="{resource}.json"'} if rep.download else {}
    objects = [dict(zip(columns, row, strict=True)) for row in rows]
    return json_document({"data": objects, "meta": {"as_of": record.dataset.as_of.isoformat()}}, headers)
