"""Into the tools data desks use: the served data package (frictionless), the SQLite file
(Datasette), the wide breakdown (Datawrapper, Flourish) and docs that work offline (Chromium)."""

import csv
import hashlib
import io
import json
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from frictionless import Package

from app import vocabulary
from app.config import Settings
from app.main import create_app
from tests.browser import chromium
from tests.conftest import FIXTURE

RESOURCES = [
    "events",
    "breakdown",
    "yearly",
    "published_totals",
    "reconciliation",
    "categories",
    "publishers",
    "sources",
]


def test_the_served_data_package_validates_with_frictionless_resources_included(live_server: str) -> None:
    package = Package(f"{live_server}/datapackage.json")
    assert [resource.path for resource in package.resources] == [f"{live_server}/data/{r}.csv" for r in RESOURCES]
    report = package.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert [task.stats["rows"] for task in report.tasks] == [83, 305, 4, 44, 12, 19, 8, 383]


def test_the_package_names_its_licence_sources_as_of_and_version(client: TestClient) -> None:
    body = client.get("/datapackage.json").json()
    assert (body["as_of"], body["version"]) == ("2026-05-15", "2026.05.15")
    assert body["licenses"][0]["name"] == "CC-BY-4.0" and body["sources"]
    assert body["resources"][0]["path"] == "http://testserver/data/events.csv"
    schema = vocabulary.for_validators(vocabulary.descriptor())["resources"][0]["schema"]
    assert body["resources"][0]["schema"] == schema  # data/datapackage.json's Table Schemas, enums stated
    kind = next(field for field in schema["fields"] if field["name"] == "kind")
    assert kind["constraints"]["enum"] == ["exchange", "local_swap", "release"]
    assert kind["categories"][1] == {"value": "local_swap", "label": "local swap", "label_uk": "місцевий обмін"}


def test_package_urls_follow_the_allowed_host_the_reader_used(client: TestClient) -> None:
    body = client.get("/datapackage.json", headers={"Host": "localhost:8000"}).json()
    assert body["resources"][0]["path"] == "http://localhost:8000/data/events.csv"


@pytest.mark.parametrize("name", ["events", "breakdown", "yearly", "published_totals", "reconciliation"])
def test_each_served_resource_holds_the_rows_of_its_data_file(client: TestClient, name: str) -> None:
    served = list(csv.reader(io.StringIO(client.get(f"/data/{name}.csv").text)))
    with (FIXTURE / f"{name}.csv").open(encoding="utf-8", newline="") as file:
        assert served == list(csv.reader(file))


def test_every_csv_points_at_the_package_that_describes_it(client: TestClient) -> None:
    for path in ("/stats/yearly.csv", "/exchanges.csv?year=2024", "/data/events.csv", "/exchanges/units.csv"):
        assert '</datapackage.json>; rel="describedby"' in client.get(path).headers["link"], path
    paged = client.get("/exchanges.csv", params={"limit": 10}).headers["link"]
    assert 'rel="next"' in paged and 'rel="describedby"' in paged
    assert "link" not in client.get("/stats/yearly").headers  # JSON is not described by the CSV package


def test_the_database_file_downloads_with_the_health_digest_as_its_etag(client: TestClient) -> None:
    response = client.get("/data/returns.db")
    digest = client.get("/health").json()["dataset_digest"]
    assert response.headers["etag"] == f'"{digest}"'
    assert response.headers["content-disposition"] == 'attachment; filename="returns.db"'
    assert response.headers["content-type"] == "application/vnd.sqlite3"
    assert response.content.startswith(b"SQLite format 3\x00")
    assert client.get("/data/returns.db", headers={"If-None-Match": f'"{digest}"'}).status_code == 304


def test_datasette_opens_the_downloaded_file_and_reads_an_event(live_server: str, tmp_path: Path) -> None:
    if shutil.which("datasette", path=str(Path(sys.executable).parent)) is None:
        pytest.fail("datasette is a test dependency: `make test` installs it")
    target = tmp_path / "returns.db"
    with urllib.request.urlopen(f"{live_server}/data/returns.db") as response:
        target.write_bytes(response.read())
    command = [str(Path(sys.executable).parent / "datasette"), str(target), "--get"]
    got = subprocess.run(
        [*command, "/returns/return_event/2024-12-30.json?_shape=objects"], capture_output=True, text=True, check=True
    )
    row = json.loads(got.stdout)["rows"][0]
    assert (row["id"], row["returned_to_ukraine"], row["exchange_ordinal"], row["running_total_after"]) == (
        "2024-12-30",
        189,
        59,
        3956,
    )
    tables = subprocess.run([*command, "/returns.json"], capture_output=True, text=True, check=True).stdout
    assert "published_total" in tables


def test_the_wide_breakdown_has_one_column_per_category_in_a_fixed_order(client: TestClient) -> None:
    text = client.get("/exchanges/units.csv").text
    header = text.splitlines()[0].split(",")
    assert header[:5] == ["id", "date", "exchange_ordinal", "kind", "kind_label_uk"]
    assert header[-3:] == ["total", "accounted_for", "unattributed"]
    body = client.get("/exchanges/units").json()
    assert header[5:-3] == body["meta"]["columns"]
    assert body["meta"]["columns"][:3] == ["armed_forces", "territorial_defence", "navy"]
    assert "territorial_defence_within_armed_forces" in body["meta"]["columns"]
    assert body["meta"]["labels"]["territorial_defence_within_armed_forces"] == {
        "label": "Territorial Defence Forces, within Armed Forces of Ukraine",
        "label_uk": "Сили територіальної оборони Збройних Сил України, у складі: Збройні Сили України",
    }
    assert body["meta"]["labels"]["military"]["label_uk"] == "військовослужбовці (службу не вказано)"
    assert len(body["data"]) == 83
    rank = client.get("/exchanges/units", params={"dimension": "rank"}).json()["meta"]["columns"]
    assert rank == ["civilians", "privates_and_sergeants", "officers"]


def test_the_wide_breakdown_adds_up_as_each_event_breakdown_does(client: TestClient) -> None:
    for dimension in vocabulary.codes("breakdown", "dimension"):
        wide = client.get("/exchanges/units", params={"dimension": dimension}).json()["data"]
        for row in wide:
            units = client.get(f"/exchanges/{row['id']}/units", params={"dimension": dimension}).json()
            expected = {
                (u["unit"] if u["part_of"] is None else f"{u['unit']}_within_{u['part_of']}"): u["people"]
                for u in units["data"]
            }
            assert {k: v for k, v in row["people"].items() if v is not None} == expected, row["id"]
            meta = units["meta"]
            assert (row["total"], row["accounted_for"], row["unattributed"]) == (
                meta["total"],
                meta["accounted_for"],
                meta["unattributed"],
            ), row["id"]
            top = sum(v for k, v in row["people"].items() if v is not None and "_within_" not in k)
            assert top == row["accounted_for"]


def test_the_wide_breakdown_filters_by_year(client: TestClient) -> None:
    rows = client.get("/exchanges/units.csv", params={"year": 2024}).text.strip().split("\r\n")
    assert len(rows) == 13 and rows[-1].startswith("2024-12-30,2024-12-30,59,exchange,обмін,87,")
    assert rows[-1].endswith(",189,189,0")


def test_docs_render_with_every_request_outside_the_server_blocked(live_server: str) -> None:
    outside: list[str] = []
    with chromium() as browser:
        page = browser.new_page()

        def only_this_server(route, request) -> None:  # type: ignore[no-untyped-def]
            if request.url.startswith(live_server):
                route.continue_()
            else:
                outside.append(request.url)
                route.abort()

        page.route("**/*", only_this_server)
        page.goto(f"{live_server}/docs")
        page.wait_for_selector(".opblock-summary-path", timeout=15000)
        paths = page.eval_on_selector_all(".opblock-summary-path", "els => els.map(e => e.textContent)")
    assert outside == []
    assert {"/stats/yearly", "/stats/monthly", "/exchanges/units", "/datapackage.json", "/feed.atom"} <= set(paths)


def test_docs_policy_allows_this_server_alone(client: TestClient) -> None:
    response = client.get("/docs")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "https:" not in policy and "unsafe-inline" not in policy
    assert "<script>" not in response.text  # no inline script: the start-up call is /docs/start.js
    assert client.get("/docs/assets/swagger-ui-bundle.js").headers["content-type"].startswith("text/javascript")


def test_the_database_file_is_the_verified_bytes_even_once_replaced_on_disk(database_url: str, tmp_path: Path) -> None:
    """Before the server switches to a rebuilt file, it sends the file it verified, under that file's
    digest (uncached, so the route itself answers)."""
    served = tmp_path / "served.db"
    shutil.copy(Path(database_url.removeprefix("sqlite:///")), served)
    settings = Settings(database_url=f"sqlite:///{served}", reload_seconds=0, response_cache_bytes=0)
    with TestClient(create_app(settings)) as client:
        before = client.get("/data/returns.db").content
        served.unlink()
        served.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
        response = client.get("/data/returns.db")
    assert response.content == before
    assert response.headers["etag"] == f'"{hashlib.sha256(before).hexdigest()}"'
