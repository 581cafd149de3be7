"""One error format: RFC 9457 problem+json for every 4xx and 5xx response."""

import json
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

PROBLEM_JSON = "application/problem+json"


class ProblemError(Exception):
    """Raised anywhere to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []
        self.headers = headers or {}


def bad_parameter(
    name: str, problem: str, allowed: str | None = None, location: str = "query", status: int = 400
) -> ProblemError:
    """A 4xx naming one parameter (or header, or the URL), what is wrong with it and what is allowed."""
    error = {"name": name, "in": location, "problem": problem}
    if allowed is not None:
        error["allowed"] = allowed
    detail = f"{location} parameter '{name}': {problem}" + (f"; allowed: {allowed}" if allowed else "")
    return ProblemError(status, detail, [error])


def problem_body(status: int, detail: str, errors: list[dict[str, Any]] | None = None) -> bytes:
    """The bytes of a problem document."""
    document: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "errors": errors or [],
    }
    return json.dumps(document, ensure_ascii=False).encode()


def problem_response(error: ProblemError) -> Response:
    """The response for a ProblemError."""
    return Response(
        problem_body(error.status, error.detail, error.errors),
        status_code=error.status,
        media_type=PROBLEM_JSON,
        headers=error.headers,
    )


def _validation_problem(exc: RequestValidationError) -> ProblemError:
    """A 400 naming each parameter that failed validation and what is allowed: a query model's own rules
    (an unknown parameter, a date no calendar has, a range backwards) say it as `bad_parameter` does,
    naming the parameter in their context; pydantic's own checks (an enum, a bound) as pydantic words them."""
    problems = []
    for error in exc.errors():
        location, *rest = error["loc"]
        context = error.get("ctx") or {}
        name = context.get("name") or ".".join(str(part) for part in rest) or str(location)
        if "allowed" in context:
            problems.append(bad_parameter(name, error["msg"], str(context["allowed"]), location))
            continue
        entry = {"name": name, "in": location, "problem": error["msg"]}
        expected = context.get("expected")
        if expected is not None:  # an enum: say what is allowed, as every other parameter problem does
            entry["allowed"] = str(expected).replace("'", "").replace(" or ", ", ")
        problems.append(ProblemError(400, f"{location} parameter '{name}': {error['msg']}", [entry]))
    return ProblemError(400, "; ".join(p.detail for p in problems), [e for p in problems for e in p.errors])


def install(app: FastAPI) -> None:
    """Make every error the app raises a problem document."""

    async def on_problem(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ProblemError)
        return problem_response(exc)

    async def on_validation(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return problem_response(_validation_problem(exc))

    async def on_http(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        if exc.status_code == 404 and detail == "Not Found":
            detail = "No such path. GET / lists every endpoint; the API is described at /docs."
        return problem_response(ProblemError(exc.status_code, detail, headers=dict(exc.headers or {})))

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
