"""`/`: the page for browsers in English and Ukrainian, and the JSON index for everyone else."""

import re

from fastapi.testclient import TestClient

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_browsers_get_the_page_with_the_figures(client: TestClient) -> None:
    response = client.get("/", headers=HTML)
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = response.text
    for figure in ("8,050", "1,596", "1,002", "1,358", "2,310", "659", "73 exchanges held", "2026-03-11"):
        assert figure in page
    assert "according to the Coordination Headquarters for the Treatment of Prisoners of War" in page
    assert page.count("<svg") == 4 and page.count("<table>") == 5  # every chart followed by its table
    assert "derived: No source states 1,002 directly" in page  # derived figure marked and explained
    assert "no official total" in page  # 2026


def test_headline_has_the_other_bodies_totals_beside_it(client: TestClient) -> None:
    page = client.get("/", headers=HTML).text
    others = page[page.index('<section id="others">') : page.index("</section>")]
    assert "Ukrainian Parliament Commissioner for Human Rights: <strong>6,922</strong>" in others
    assert "President of Ukraine: <strong>more than 7,000</strong>" in others
    assert "The event records end on 15 May 2026" in others


def test_the_timeline_of_every_year_by_plain_links(client: TestClient) -> None:
    latest = client.get("/", headers=HTML).text
    assert all(f'href="/?year={year}&amp;lang=en"' in latest for year in (2022, 2023, 2024, 2025))
    assert "<strong>2026</strong>" in latest and "Returns in 2026, exchange by exchange" in latest
    expected = {
        2022: ("31 December 2022", "Hatched: local swaps"),
        2023: ("6 July 2023", "Returns in 2023"),
        2024: ("30 December 2024", "90+10"),
        2025: ("2 October 2025", "390+307+303"),
        2026: ("6 March 2026", "Dashed box with ?"),
    }
    for year, (breakdown, mark) in expected.items():
        page = client.get("/", params={"year": year}, headers=HTML).text
        assert f"Returns in {year}, exchange by exchange" in page
        assert f"Who came back on {breakdown}" in page and mark in page
        assert page.count("<svg") == 4 and page.count("<table>") == 5


def test_a_year_without_events_is_a_400_listing_the_years(client: TestClient) -> None:
    response = client.get("/", params={"year": 2021}, headers=HTML)
    assert response.status_code == 400
    assert response.json()["errors"][0]["allowed"] == "2022, 2023, 2024, 2025, 2026"


def test_page_lays_the_totals_and_the_gaps_side_by_side(client: TestClient) -> None:
    page = client.get("/", headers=HTML).text
    assert "Official totals since 2022, by body" in page and "Where the records and the official figures differ" in page
    assert "exchange number that no event carries (70)" in page


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
        'href="/exchanges?year=2026"',
        'href="/exchanges.csv?year=2026"',
        'href="/exchanges/2026-03-06/units"',
        'href="/stats/totals.csv"',
        'href="/stats/reconciliation"',
        'href="/sources"',
        'href="/docs"',
    ):
        assert link in page


def test_page_shows_how_to_embed_each_chart(client: TestClient) -> None:
    page = client.get("/", headers=HTML).text
    assert "&lt;img src=&quot;http://testserver/stats/yearly.svg?lang=en&quot;" in page
    assert "/exchanges.svg?year=2026&amp;lang=en" in page
    assert "/exchanges/2026-03-06/units.svg?lang=en" in page
    assert "/stats/totals.svg?lang=en" in page


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
    assert headers["content-security-policy"].startswith("default-src 'none'; script-src 'self';")
    assert headers["referrer-policy"] == "no-referrer"


def test_ukrainian_page_by_parameter_and_by_header(client: TestClient) -> None:
    for response in (
        client.get("/", params={"lang": "uk"}, headers=HTML),
        client.get("/", headers={**HTML, "Accept-Language": "uk-UA,uk;q=0.9"}),
    ):
        page = response.text
        assert '<html lang="uk">' in page
        assert "Повернення з російського полону в Україну" in page
        assert "військовослужбовці" in page and "8\u00a0050" in page
        assert "офіційного підсумку немає" in page and "Офіційні підсумки від 2022 року за органами" in page


def test_english_is_the_default_and_unknown_languages_are_refused(client: TestClient) -> None:
    assert '<html lang="en">' in client.get("/", headers={**HTML, "Accept-Language": "fr"}).text
    response = client.get("/", params={"lang": "fr"}, headers=HTML)
    assert response.status_code == 400 and response.json()["errors"][0]["name"] == "lang"


def test_everyone_else_gets_a_json_index(client: TestClient) -> None:
    body = client.get("/").json()
    assert "/stats/yearly" in body["endpoints"] and "/docs" in body["endpoints"]


def test_page_shows_each_sentence_in_a_block_to_copy(client: TestClient) -> None:
    page = client.get("/", params={"year": 2025}, headers=HTML).text
    headline = (
        "The Coordination Headquarters for the Treatment of Prisoners of War said on 11 March 2026 that 8,050 "
        "people had been brought back from Russian captivity since February 2022."
    )
    assert f'<details class="quotes" open><summary>Quote</summary><p class="quote">{headline}</p>' in page
    assert '<p class="quote">Ukraine brought back 2,310 people from Russian captivity in 2025' in page
    assert '<p class="quote">22 people were freed from Russian captivity outside an exchange on 19 March 2025' in page
    assert ".quote { user-select: all;" in page
    assert '<p class="quote">The Ukrainian Parliament Commissioner for Human Rights said on 6 March 2026' in page
    uk = client.get("/", params={"lang": "uk"}, headers=HTML).text
    assert '<p class="quote">Координаційний штаб з питань поводження з військовополоненими: станом на' in uk


def test_the_page_links_the_reporters_guide_in_its_language(client: TestClient) -> None:
    for lang, heading in (("en", "# A reporter's guide"), ("uk", "# Посібник для журналістів")):
        page = client.get("/", params={"lang": lang}, headers=HTML).text
        assert f'<a href="/guide?lang={lang}">' in page
        guide = client.get("/guide", params={"lang": lang})
        assert guide.text.startswith(heading) and guide.headers["content-language"] == lang
        assert guide.headers["content-type"] == "text/plain; charset=utf-8"
    assert client.get("/guide", headers={"Accept-Language": "uk"}).text.startswith("# Посібник")
    assert client.get("/guide", params={"lang": "de"}).status_code == 400
