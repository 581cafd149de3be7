"""`/`: the page for browsers in English and Ukrainian, and the JSON index for everyone else."""

import re

from fastapi.testclient import TestClient

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_browsers_get_the_page_with_the_figures(client: TestClient) -> None:
    response = client.get("/", headers=HTML)
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = response.text
    for figure in ("3,956", "1,596", "1,002", "1,358", "59 exchanges held", "2024-12-30", "90+10"):
        assert figure in page
    assert page.count("<svg") == 3 and page.count("<table>") == 3
    assert "derived: No source states 1,002 directly" in page  # derived figure marked and explained
    assert "not attributed" not in page  # the latest exchange is fully attributed


def test_page_has_no_script_and_no_outside_asset(client: TestClient) -> None:
    page = client.get("/", headers=HTML).text
    assert "<script" not in page
    assert not re.search(r'<(link|img|iframe)[^>]+(href|src)="https?:', page)


def test_page_links_every_endpoint_and_the_docs(client: TestClient) -> None:
    page = client.get("/", headers=HTML).text
    for link in (
        'href="/stats/yearly"',
        'href="/stats/yearly.csv"',
        'href="/stats/summary"',
        'href="/exchanges?year=2024"',
        'href="/exchanges.csv?year=2024"',
        'href="/exchanges/2024-12-30/units"',
        'href="/sources"',
        'href="/docs"',
    ):
        assert link in page


def test_page_shows_how_to_embed_each_chart(client: TestClient) -> None:
    page = client.get("/", headers=HTML).text
    assert "&lt;img src=&quot;http://testserver/stats/yearly.svg?lang=en&quot;" in page
    assert "/exchanges.svg?year=2024&amp;lang=en" in page
    assert "/exchanges/2024-12-30/units.svg?lang=en" in page


def test_page_lists_the_sources_and_a_citation(client: TestClient) -> None:
    page = client.get("/", headers=HTML).text
    assert (
        'href="https://kyivindependent.com/ukraine-has-brought-back-1-358-people-from-russian-captivity-in-2024/"'
        in page
    )
    assert "How to cite" in page


def test_page_has_security_headers(client: TestClient) -> None:
    headers = client.get("/", headers=HTML).headers
    assert "default-src 'none'" in headers["content-security-policy"]
    assert "script-src" not in headers["content-security-policy"]
    assert headers["referrer-policy"] == "no-referrer"
    assert "Accept-Language" in headers["vary"]


def test_docs_page_has_a_strict_policy(client: TestClient) -> None:
    headers = client.get("/docs").headers
    assert "script-src https://cdn.jsdelivr.net 'sha256-" in headers["content-security-policy"]
    assert headers["referrer-policy"] == "no-referrer"


def test_ukrainian_page_by_parameter_and_by_header(client: TestClient) -> None:
    for response in (
        client.get("/", params={"lang": "uk"}, headers=HTML),
        client.get("/", headers={**HTML, "Accept-Language": "uk-UA,uk;q=0.9"}),
    ):
        page = response.text
        assert '<html lang="uk">' in page
        assert "Повернення з російського полону в Україну" in page
        assert "Збройні сили України" in page and "3\u00a0956" in page


def test_english_is_the_default_and_unknown_languages_are_refused(client: TestClient) -> None:
    assert '<html lang="en">' in client.get("/", headers={**HTML, "Accept-Language": "fr"}).text
    response = client.get("/", params={"lang": "fr"}, headers=HTML)
    assert response.status_code == 400 and response.json()["errors"][0]["name"] == "lang"


def test_everyone_else_gets_a_json_index(client: TestClient) -> None:
    body = client.get("/").json()
    assert "/stats/yearly" in body["endpoints"] and "/docs" in body["endpoints"]
