"""Calling a route without FastAPI's per-request parameter machinery, with the answer FastAPI would give.

FastAPI works out, for every request, how to read and check each parameter: on this machine a route
with the seven parameters of /stats/yearly spends about 80 µs there before its own code runs, more
than the whole constant-body floor route. The routes here are plain: `async` functions whose
parameters are query or path parameters, the Request, or other such functions (dependencies). For
those, a `Lane` works out each route's parameter tree once and, per request, checks each parameter
with the very pydantic field FastAPI would use, then calls the same functions with the same values.

Whatever it cannot do as FastAPI would, it leaves to FastAPI: a route it cannot compile, a
parameter that fails its check, any exception (a 400 or 404 the route raises, or a bug), or an
answer that is not a Response. FastAPI then answers the request from the start, as it always did,
so errors keep their exact documents and the lane can only ever produce FastAPI's own answer.
"""

import inspect
import re
from collections.abc import Awaitable, Callable, Coroutine, MutableMapping
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.requests import Request
from starlette.responses import Response

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]


class _UnanswerableError(Exception):
    """This request is FastAPI's to answer."""


@dataclass(frozen=True)
class _Param:
    name: str
    alias: str
    field: Any  # FastAPI's ModelField: .validate(value, values, loc=...) -> (value, errors)
    required: bool
    default: Any


@dataclass(frozen=True)
class _Plan:
    """How to call one function: its query and path parameters, its dependencies, where the Request goes."""

    call: Callable[..., Coroutine[Any, Any, Any]]
    name: str | None
    query: tuple[_Param, ...]
    path: tuple[_Param, ...]
    dependencies: tuple["_Plan", ...]
    request_name: str | None


def _params(fields: list[Any]) -> tuple[_Param, ...]:
    params = []
    for field in fields:
        required = field.field_info.is_required()
        default = None if required else field.default
        if field.field_info.validate_default or not isinstance(default, str | int | float | bool | type(None)):
            raise TypeError(f"parameter {field.name}: a default the lane cannot share between requests")
        params.append(_Param(field.name, field.alias, field, required, default))
    return tuple(params)


def _plan(dependant: Dependant) -> _Plan:
    """A dependant's plan, or TypeError if it uses anything beyond query/path parameters and Request."""
    unsupported = (
        dependant.header_params,
        dependant.cookie_params,
        dependant.body_params,
        dependant.websocket_param_name,
        dependant.http_connection_param_name,
        dependant.response_param_name,
        dependant.background_tasks_param_name,
        dependant.security_scopes_param_name,
        dependant.own_oauth_scopes,
    )
    if any(unsupported) or not dependant.use_cache:
        raise TypeError("a parameter kind the lane leaves to FastAPI")
    call = dependant.call
    if call is None or not inspect.iscoroutinefunction(call):
        raise TypeError("not an async function")
    if any(getattr(field.field_info.annotation, "__origin__", None) is list for field in dependant.query_params):
        raise TypeError("a repeated (list) parameter")
    return _Plan(
        call,
        dependant.name,
        _params(dependant.query_params),
        _params(dependant.path_params),
        tuple(_plan(sub) for sub in dependant.dependencies),
        dependant.request_param_name,
    )


@dataclass(frozen=True)
class _Step:
    """One call of a route's plan, in the order FastAPI makes them: the values of the earlier steps
    it takes (by name and step index), then its own query and path parameters and the Request."""

    call: Callable[..., Coroutine[Any, Any, Any]]
    takes: tuple[tuple[str, int], ...]
    query: tuple[_Param, ...]
    path: tuple[_Param, ...]
    request_name: str | None


def _steps(plan: _Plan) -> tuple[_Step, ...]:
    """A plan as a flat list: each dependency before what takes it, each function called once per
    request (FastAPI's dependency cache), the route's own function last."""
    steps: list[_Step] = []
    made: dict[Callable[..., Any], int] = {}

    def add(one: _Plan) -> int:
        if one.call in made:
            return made[one.call]
        takes = [(sub.name, add(sub)) for sub in one.dependencies]
        steps.append(
            _Step(one.call, tuple((n, i) for n, i in takes if n is not None), one.query, one.path, one.request_name)
        )
        made[one.call] = len(steps) - 1
        return made[one.call]

    add(plan)
    return tuple(steps)


@dataclass(frozen=True)
class _Route:
    route: APIRoute
    pattern: re.Pattern[str]
    convertors: dict[str, Any]
    steps: tuple[_Step, ...]


class Lane:
    """The app's plain GET routes, compiled once, answered without FastAPI's request handling."""

    def __init__(self, app: FastAPI) -> None:
        # Every route in the router's order (a route FastAPI would try first stays first), each with
        # its effective parameter tree: its own and those its router was included with.
        self.routes: list[tuple[re.Pattern[str], _Route | None]] = []
        self.static: dict[str, _Route] = {}
        for context in iter_route_contexts(app.router.routes):
            pattern = getattr(context, "path_regex", None)
            if pattern is None:
                continue
            compiled: _Route | None = None
            original = context.original_route
            if isinstance(original, APIRoute) and "GET" in (context.methods or ()):
                try:
                    compiled = _Route(
                        original, pattern, dict(context.param_convertors), _steps(_plan(context.dependant))
                    )
                except TypeError:
                    compiled = None
            # A path without parameters is looked up directly, unless an earlier route matches it too.
            path = context.path or ""
            if (
                compiled is not None
                and not compiled.convertors
                and path not in self.static
                and not any(earlier.match(path) for earlier, _ in self.routes)
            ):
                self.static[path] = compiled
            self.routes.append((pattern, compiled))

    def _match(self, path: str) -> tuple[_Route, dict[str, Any]] | None:
        found = self.static.get(path)
        if found is not None:
            return found, {}
        for pattern, compiled in self.routes:
            match = pattern.match(path)
            if match is not None:
                if compiled is None:
                    return None
                params = {name: compiled.convertors[name].convert(value) for name, value in match.groupdict().items()}
                return compiled, params
        return None

    async def response(self, scope: Scope, receive: Receive) -> tuple[Scope, Response] | None:
        """The route's Response for a GET, with the scope it was made for; None leaves it to FastAPI."""
        matched = self._match(scope["path"])
        if matched is None:
            return None
        compiled, path_params = matched
        inner = {**scope, "route": compiled.route, "endpoint": compiled.route.endpoint, "path_params": path_params}
        request = Request(inner, receive)
        try:
            # A plain dict: QueryParams.get raises and catches a KeyError for each absent parameter
            # (most of a route's parameters are absent); the values are the same (the last given).
            query = dict(request.query_params.items()) if scope["query_string"] else {}
            response = await _call(compiled.steps, request, query)
        except Exception:  # noqa: BLE001 - FastAPI answers it again, and errors keep their exact documents
            return None
        return (inner, response) if isinstance(response, Response) else None


async def _call(steps: tuple[_Step, ...], request: Request, query: dict[str, str]) -> Any:
    """Make each step's call with the values FastAPI would pass; the last one's answer."""
    done: list[Any] = []
    for step in steps:
        values = {name: done[index] for name, index in step.takes} if step.takes else {}
        if step.query:
            _check(step.query, query, "query", values)
        if step.path:
            _check(step.path, request.path_params, "path", values)
        if step.request_name is not None:
            values[step.request_name] = request
        done.append(await step.call(**values))
    return done[-1]


def _check(params: tuple[_Param, ...], given: Any, where: str, values: dict[str, Any]) -> None:
    for param in params:
        raw = given.get(param.alias)
        if raw is None:
            if param.required:
                raise _UnanswerableError(param.alias)
            values[param.name] = param.default
            continue
        value, errors = param.field.validate(raw, values, loc=(where, param.alias))
        if errors:
            raise _UnanswerableError(param.alias)
        values[param.name] = value
