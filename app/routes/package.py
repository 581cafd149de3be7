"""The data as files: the Frictionless Data Package, its CSV resources, and the SQLite file itself."""

import copy
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request
from starlette.responses import JSONResponse, Response

from app import queries
from app.config import ROOT
from app.db import Dataset, DatasetDep, Db
from app.formats import HOST_MARK, Representation, csv_table, representation, table_response
from app.openapi import DATA_RESPONSES
from app.schemas import ResourceRows

router = APIRouter(tags=["data"])
# The descriptor the data editors keep (types, keys, enums); served with this server's URLs.
DESCRIPTOR: dict[str, Any] = json.loads((ROOT / "data" / "datapackage.json").read_text("utf-8"))
Resource = Literal[
    "events", "breakdown", "yearly", "published_totals", "reconciliation", "categories", "publishers", "sources"
]
SQLITE = "application/vnd.sqlite3"
HOST_IN_JSON = json.dumps(HOST_MARK)[1:-1].encode()  # how JSON writes the host's mark
KEEP_BYTES = 4 * 1024 * 1024


def fields(resource: str) -> list[str]:
    """The columns of a resource, in its Table Schema's order."""
    for entry in DESCRIPTOR["resources"]:
        if entry["name"] == resource:
            return [field["name"] for field in entry["schema"]["fields"]]
    raise KeyError(resource)


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
async def datapackage(request: Request, dataset: DatasetDep) -> Response:
    """The dataset as a Frictionless Data Package: the Table Schemas of `data/datapackage.json`,
    each resource's `path` the absolute URL of its CSV on this server (`/data/{resource}.csv`), the
    licence, the sources, the as-of date and the version. Load it with `frictionless` in Python or R."""
    body = dataset.once("datapackage", lambda: _package(dataset))
    host = json.dumps(str(request.base_url).rstrip("/"), ensure_ascii=False)[1:-1].encode()
    return Response(body.replace(HOST_IN_JSON, host), media_type="application/json")


def _package(dataset: Dataset) -> bytes:
    """The package as JSONResponse would write it, with HOST_MARK where this server's scheme and host go."""
    package = copy.deepcopy(DESCRIPTOR)
    package["version"] = dataset.as_of.strftime("%Y.%m.%d")
    package["as_of"] = dataset.as_of.isoformat()
    package["homepage"] = f"{HOST_MARK}/"
    for resource in package["resources"]:
        resource["path"] = f"{HOST_MARK}/data/{resource['name']}.csv"
        resource["format"], resource["mediatype"], resource["encoding"] = "csv", "text/csv", "utf-8"
    return bytes(JSONResponse(package).body)


@router.get(
    "/data/returns.db",
    summary="The SQLite database",
    responses={200: {"content": {SQLITE: {"schema": {"type": "string", "format": "binary"}}}}},
)
async def database_file(dataset: DatasetDep) -> Response:
    """The served SQLite database itself, read-only, to open in Datasette, sqlite3 or any SQLite
    client. Its ETag is the dataset digest that `/health` reports."""
    return Response(
        dataset.path.read_bytes(),
        media_type=SQLITE,
        headers={"Content-Disposition": 'attachment; filename="returns.db"', "ETag": f'"{dataset.digest}"'},
    )


@router.get(
    "/data/{resource}",
    response_model=ResourceRows,
    summary="One resource of the data package",
    responses={
        **DATA_RESPONSES,
        200: {"content": {"text/csv": {"schema": {"type": "string"}, "example": "code,label_en,label_uk\r\n"}}},
    },
)
async def resource_rows(
    db: Db,
    dataset: DatasetDep,
    rep: Annotated[Representation, Depends(representation)],
    resource: Annotated[Resource, Path(description="A resource of `/datapackage.json`, e.g. `events`.")],
) -> Response:
    """One resource of the data package, rendered from the database in the columns of its Table
    Schema: `/data/events.csv` is what `data/events.csv` holds. JSON gives the same rows as objects."""
    columns = fields(resource)
    if rep.format == "csv":
        table = dataset.once(
            f"csv-{resource}", lambda: csv_table(columns, queries.package_rows(db, resource, columns)), _small
        )
        return table_response(rep, resource, table)
    headers = {"Content-Disposition": f'attachment; filename="{resource}.json"'} if rep.download else {}
    return Response(
        dataset.once(f"json-{resource}", lambda: _resource_json(dataset, resource, columns), _small),
        media_type="application/json",
        headers=headers,
    )


def _small(body: bytes) -> bool:
    """Whether a whole-resource body is kept: the real data's largest is 68 kB; 100,000 events make 19 MB."""
    return len(body) <= KEEP_BYTES


def _resource_json(dataset: Dataset, resource: str, columns: list[str]) -> bytes:
    rows = queries.package_rows(dataset.db, resource, columns)
    objects = [dict(zip(columns, row, strict=True)) for row in rows]
    return bytes(JSONResponse({"data": objects, "meta": {"as_of": dataset.as_of.isoformat()}}).body)
