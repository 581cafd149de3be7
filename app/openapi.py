"""OpenAPI additions: problem responses, the CSV media type, and no FastAPI 422s."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from app.formats import SUFFIXES
from app.problems import PROBLEM_JSON
from app.schemas import Problem

_PROBLEM = {"model": Problem, "content": {PROBLEM_JSON: {}}}

# Every data route answers JSON or CSV, and can fail in these ways.
DATA_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}, "example": "year,returned_to_ukraine,...\r\n"}}},
    400: {**_PROBLEM, "description": "A parameter is invalid, unknown or repeated; `errors` names it."},
    404: {**_PROBLEM, "description": "No such resource."},
    406: {**_PROBLEM, "description": "The format or Accept header asks for something not offered."},
}
# Routes that also draw their data as an SVG chart.
CHART_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {**DATA_RESPONSES[200]["content"], "image/svg+xml": {"schema": {"type": "string"}}}},
}


def install(app: FastAPI) -> None:
    """Generate the schema once, dropping the 422 FastAPI adds: we answer 400 instead."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
                tags=app.openapi_tags,
            )
            problem = {"$ref": "#/components/schemas/Problem"}
            limits = {
                "414": "The URL is longer than 2,048 bytes.",
                "431": "A request header is over 4 KiB, or all of them over 8 KiB.",
            }
            for path, item in schema["paths"].items():
                suffix = path.rpartition("/")[2].rpartition(".")[2] if "." in path.rpartition("/")[2] else None
                for operation in item.values():
                    for parameter in operation.get("parameters", []):
                        if suffix in SUFFIXES and parameter["name"] == "format":  # the path's suffix alone
                            only = f"Only `{suffix}` here, the path's suffix (or leave it out)."
                            parameter["description"] = only
                            parameter["schema"] = {**parameter["schema"], "enum": [suffix], "description": only}
                    responses = operation.setdefault("responses", {})
                    responses.pop("422", None)
                    for status, description in limits.items():  # the HTTP layer's caps apply everywhere
                        responses[status] = {"description": description, "content": {PROBLEM_JSON: {"schema": problem}}}
            components = schema.get("components", {}).get("schemas", {})
            components.pop("HTTPValidationError", None)
            components.pop("ValidationError", None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
