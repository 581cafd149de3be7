"""Property-based fuzzing from our own OpenAPI contract (schemathesis) and of query parsing (hypothesis)."""

import asyncio
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.build_db import build
from app.config import Settings
from app.headers import Address, RequestRefusedError, coding, format_qualities, parse
from app.http import tags
from app.main import create_app
from tests.conftest import fixture_seed


def _app_on_a_fresh_database() -> Any:
    """The app on a database built the real way, ready before pytest collects the operations."""
    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='fuzz-')) / 'returns.db'}"
    build(url, fixture_seed())
    return create_app(Settings(database_url=url))  # its lifespan (run once, by `ask`) opens the file


APP = _app_on_a_fresh_database()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module")
def ask() -> Iterator[Callable[..., httpx.Response]]:
    """A request to the app in one event loop of this thread: TestClient's hop to its own thread for
    each request costs more than most of the answers fuzzing asks for."""
    with TestClient(APP), asyncio.Runner() as runner:  # TestClient: the lifespan, which opens the record
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=APP), base_url="http://testserver")
        yield lambda **request: runner.run(client.request(**request))
        runner.run(client.aclose())


# The checks the contract is held to. Left out: positive_data_acceptance, because rules across
# parameters (year_to >= year_from, date_to >= date_from) cannot be written in OpenAPI and we answer
# them with a 400 naming the parameter rather than an empty list; negative_data_rejection, because it
# counts a 414 for an over-long URL as a failure to reject (tests/test_hostile.py covers bad input).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms_to_its_contract(case: Any, ask: Callable[..., httpx.Response]) -> None:
    """No 5xx; documented status codes, content types, headers and response schemas; bad input rejected."""
    request = case.as_transport_kwargs()
    assert request.pop("cookies") == {}  # the API reads none (and httpx wants them on the client)
    case.validate_response(ask(**request), checks=CHECKS)


HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=200)


@given(HEADER_TEXT)
def test_media_ranges_are_read_in_any_case(accept: str) -> None:
    """RFC 9110: media types and the q parameter's name are case-insensitive."""
    assert format_qualities(accept) == format_qualities(accept.swapcase())


@given(HEADER_TEXT)
def test_any_accept_encoding_chooses_a_coding_we_have(accept_encoding: str) -> None:
    assert coding(accept_encoding) in {"br", "gzip", "identity"}


ONE_VALUE_NAMES = st.sampled_from([b"host", b"accept", b"accept-language", b"accept-encoding", b"origin"])


@given(st.lists(st.tuples(ONE_VALUE_NAMES, HEADER_TEXT.map(lambda text: text.encode("latin-1"))), max_size=6))
def test_any_headers_are_read_one_way_or_refused(headers: list[tuple[bytes, bytes]]) -> None:
    scope = {"headers": headers, "path": "/", "query_string": b"", "scheme": "http"}
    names = [name for name, _ in headers if name != b"origin"]
    try:
        asked = parse(scope, Address.of("", "*"))
    except RequestRefusedError as error:
        assert len(names) != len(set(names)) or error.name == "Host"  # missing, or not a host name
    else:
        assert len(names) == len(set(names)) and asked.coding in {"br", "gzip", "identity"}


@given(HEADER_TEXT)
def test_if_none_match_parsing_never_fails(if_none_match: str) -> None:
    assert all(not tag.startswith("W/") for tag in tags(if_none_match))


@given(
    st.dictionaries(
        st.sampled_from(["year", "limit", "offset", "date_from", "date_to", "mediator", "format", "x"]),
        st.text(max_size=30),
        max_size=5,
    )
)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_query_on_exchanges_is_answered_without_a_server_error(client: TestClient, params: dict[str, str]) -> None:
    response = client.get("/exchanges", params=params)
    assert response.status_code in {200, 400, 406}
    if response.status_code != 200:
        assert response.headers["content-type"] == "application/problem+json"
