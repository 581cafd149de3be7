"""Chart geometry and content: proportional bars, printed figures, accessible text, enough contrast."""

import datetime as dt
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app import charts, i18n, vocabulary
from tests.browser import chromium

SVG = "{http://www.w3.org/2000/svg}"


def test_column_heights_are_proportional_to_values() -> None:
    bars = charts.column_bars([1596, 1002, 1358], ["2022", "2023", "2024"], left=0, top=0, width=600, height=200)
    assert bars[0].height == 200
    for bar in bars:
        assert bar.height / 200 == pytest.approx(bar.value / 1596)
        assert bar.y + bar.height == pytest.approx(200)  # a shared zero baseline


def test_row_lengths_are_proportional_to_values() -> None:
    bars = charts.row_bars([87, 43, 2], ["a", "b", "c"], left=10, top=0, width=500, row=40, thickness=14)
    assert [round(b.width, 6) for b in bars] == [500, round(500 * 43 / 87, 6), round(500 * 2 / 87, 6)]
    assert {b.x for b in bars} == {10} and {b.height for b in bars} == {14}
    assert [b.y for b in bars] == [0, 40, 80]


def test_no_values_give_no_bars() -> None:
    assert charts.column_bars([], [], left=0, top=0, width=100, height=100) == []


def test_dates_on_charts_cannot_be_misread() -> None:
    assert i18n.words("en").day_month(dt.date(2024, 1, 3)) == "3 Jan"
    assert i18n.words("uk").day_month(dt.date(2024, 12, 30)) == "30 груд."  # Ukrainian shortens with a full stop
    assert (i18n.words("en").month(5), i18n.words("uk").month(5)) == ("May", "трав.")


def test_numbers_are_grouped_per_language_with_a_space_that_never_breaks() -> None:
    assert (i18n.words("en").number(3956), i18n.words("uk").number(3956)) == ("3,956", "3\u00a0956")
    assert i18n.words("uk").number(1358000) == "1\u00a0358\u00a0000"


def test_dates_in_prose_are_written_out() -> None:
    day = dt.date(2026, 3, 11)
    assert (i18n.words("en").date(day), i18n.words("uk").date(day)) == ("11 March 2026", "11 березня 2026 року")


def _svg(client: TestClient, path: str) -> ET.Element:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    return ET.fromstring(response.content)


def _texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_yearly_chart_prints_figures_marks_derived_and_names_the_source(client: TestClient) -> None:
    root = _svg(client, "/stats/yearly.svg")
    assert root.find(f"{SVG}title").text == "People returned per year"  # type: ignore[union-attr]
    assert "2023: 1,002 (derived)" in (root.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]
    texts = _texts(root)
    assert {"1,596", "1,002 (derived)", "1,358"} <= set(texts)
    assert "Exchanges: unknown" in texts and "Exchanges: 11" in texts
    assert any("Coordination Headquarters for the Treatment of Prisoners of War" in t for t in texts)
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    heights = {r.find(f"{SVG}title").text: float(r.get("height", 0)) for r in bars}  # type: ignore[union-attr]
    assert heights["2023: 1,002"] / heights["2022: 1,596"] == pytest.approx(1002 / 1596, abs=0.01)


def test_timeline_draws_the_53rd_exchange_as_one_bar_of_two_stages(client: TestClient) -> None:
    root = _svg(client, "/exchanges.svg?year=2024")
    texts = _texts(root)
    assert "90+10" in texts
    dates = [i for i, t in enumerate(texts) if re.fullmatch(r"\d{1,2} [A-Z][a-z]{2}", t)]
    assert [texts[i - 1] for i in dates] == [str(n) for n in range(49, 60)]  # one bar per exchange
    assert (texts[dates[0]], texts[dates[4]]) == ("3 Jan", "25 Jun")  # the 53rd, at its first stage
    assert "Returns in 2024, exchange by exchange" in texts
    assert "Timeline of the 12 return events of 2024. 11 bars:" in (root.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]


def test_units_chart_draws_inner_rows_inside_their_parent(client: TestClient) -> None:
    root = _svg(client, "/exchanges/2024-12-30/units.svg")
    rects = {r.find(f"{SVG}title").text: r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None}  # type: ignore[union-attr]
    parent, child = rects["Armed Forces of Ukraine: 87"], rects["Territorial Defence Forces: 17"]
    px, pw = float(parent.get("x", 0)), float(parent.get("width", 0))
    cx, cw = float(child.get("x", 0)), float(child.get("width", 0))
    assert px <= cx and cx + cw <= px + pw
    assert cw / pw == pytest.approx(17 / 87, abs=0.01)
    assert "of them: Territorial Defence Forces 17" in _texts(root)


def test_units_chart_shows_the_unattributed_as_such(client: TestClient) -> None:
    texts = _texts(_svg(client, "/exchanges/2024-08-24/units.svg"))
    assert "not attributed in the published breakdown" in texts and "112" in texts


def test_charts_speak_ukrainian(client: TestClient) -> None:
    root = _svg(client, "/exchanges/2024-12-30/units.svg?lang=uk")
    assert root.get("lang") == "uk"
    texts = _texts(root)
    assert "Збройні Сили України" in texts and "Хто повернувся 30 грудня 2024 року" in texts
    assert any(t.startswith("Джерело: Координаційний штаб") for t in texts)
    by_header = _svg_header(client, "/stats/yearly.svg", "uk-UA,uk;q=0.9,en;q=0.5")
    assert "1\u00a0596" in by_header


def _svg_header(client: TestClient, path: str, accept_language: str) -> str:
    response = client.get(path, headers={"Accept-Language": accept_language})
    assert "Accept-Language" in response.headers["vary"]
    text: str = response.text
    return text


def test_charts_are_self_contained_and_cacheable(client: TestClient) -> None:
    response = client.get("/stats/yearly.svg", headers={"Origin": "https://paper.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["etag"] and response.headers["cache-control"].startswith("public")
    assert not re.search(r"(href|src)=\"http", response.text)  # no outside asset
    assert "<script" not in response.text
    assert client.get("/stats/yearly", params={"format": "svg"}).content == response.content
    assert client.get("/stats/yearly", headers={"Accept": "image/svg+xml"}).content == response.content


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_colours_pass_a_basic_contrast_check() -> None:
    assert contrast(charts.INK, charts.BACKGROUND) >= 7  # body text, AAA
    assert contrast(charts.MUTED, charts.BACKGROUND) >= 4.5  # small text, AA
    assert contrast(charts.BAR, charts.BACKGROUND) >= 3  # graphical objects, AA
    assert contrast(charts.INNER, charts.BAR) >= 3  # a row drawn inside its parent stays visible
    assert contrast("#0b4f8a", charts.BACKGROUND) >= 4.5  # links on the page


def test_yearly_chart_draws_each_basis_differently(client: TestClient) -> None:
    root = _svg(client, "/stats/yearly.svg")
    texts = _texts(root)
    assert {"2,310", "659 on record", "no official total", "not on record: 220", "undisclosed: 10"} <= set(texts)
    bars = {
        r.find(f"{SVG}title").text: r  # type: ignore[union-attr]
        for r in root.iter(f"{SVG}rect")
        if r.find(f"{SVG}title") is not None
    }
    assert bars["2024: 1,358"].get("fill") == charts.BAR  # reported: solid
    assert bars["2023: 1,002"].get("fill") == "url(#hatch)"  # derived: hatched
    assert bars["2026: 659"].get("fill") == charts.INNER  # no official total: what is on record, outlined
    assert 'stroke-dasharray="5 3"' in client.get("/stats/yearly.svg").text  # the 2026 outline
    # The records' band inside a bar is in proportion to the bar: 2,090 of 2,310.
    ratio = float(bars["2025 on record: 2,090"].get("height", 0)) / float(bars["2025: 2,310"].get("height", 0))
    assert ratio == pytest.approx(2090 / 2310, abs=0.01)
    assert "2026: no official total, 659 on record" in (root.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]


YEARS = {
    2022: (
        "Timeline of the 32 return events of 2022. 32 bars:",
        "Hatched: local swaps arranged by a region or a military command.",
    ),
    2023: ("Timeline of the 13 return events of 2023. 13 bars:", "Exchange / Date"),
    2024: (
        "Timeline of the 12 return events of 2024. 11 bars:",
        "The 53rd exchange came in 2 stages, drawn as one bar.",
    ),
    2025: ("Timeline of the 22 return events of 2025. 12 bars:", "The 9 stages of Istanbul-2 are drawn as one bar."),
    2026: (
        "Timeline of the 4 return events of 2026. 4 bars:",
        "Dashed box with ?: a figure that was never disclosed (unknown, not zero).",
    ),
}


@pytest.mark.parametrize("year", sorted(YEARS))
def test_timeline_of_every_year(client: TestClient, year: int) -> None:
    root = _svg(client, f"/exchanges.svg?year={year}")
    description, note = YEARS[year]
    assert description in (root.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]
    assert note in _texts(root)
    assert f"Returns in {year}, exchange by exchange" in _texts(root)


def test_undisclosed_figures_are_never_drawn_as_zero_bars(client: TestClient) -> None:
    root = _svg(client, "/exchanges.svg?year=2025")
    titles = [t.text or "" for t in root.iter(f"{SVG}title")]
    assert "2025-06-09: undisclosed" not in titles  # the stages are one dashed box, not nine zero bars
    assert "9×?" in _texts(root) and "?" in _texts(root)  # Istanbul-2 and the 68th exchange
    assert "2025-08-24: undisclosed" in (root.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]


def test_step_lines_are_proportional_to_dates_and_values() -> None:
    lines = charts.step_lines(
        {"a": [(dt.date(2022, 1, 1), 0), (dt.date(2023, 1, 1), 500)], "b": [(dt.date(2022, 7, 2), 1000)]},
        left=0,
        top=0,
        width=730,
        height=100,
        start=dt.date(2022, 1, 1),
        end=dt.date(2024, 1, 1),
    )
    assert [(p.x, p.y) for p in lines["a"]] == [(0, 100), (365, 50)]
    assert [(p.x, p.y) for p in lines["b"]] == [(182, 0)]


def test_totals_chart_draws_one_line_per_body(client: TestClient) -> None:
    root = _svg(client, "/stats/totals.svg")
    paths = list(root.iter(f"{SVG}path"))
    assert len(paths) == 8
    points = [t.text or "" for t in root.iter(f"{SVG}title")][1:]  # after the chart's own title
    assert len(points) == 44
    assert "Coordination Headquarters for the Treatment of Prisoners of War, 2026-03-11: 8,050" in points
    texts = _texts(root)
    assert "Official totals since 2022, by body" in texts and "8,050" in texts and "6,922" in texts
    uk = _texts(_svg(client, "/stats/totals.svg?lang=uk"))
    assert "Уповноважений Верховної Ради України з прав людини" in uk and "8\u00a0050" in uk
    ombudsman = _texts(_svg(client, "/stats/totals.svg?publisher=ombudsman"))
    assert "Ukrainian Parliament Commissioner for Human Rights" in ombudsman
    assert "Coordination Headquarters for the Treatment of Prisoners of War" not in ombudsman


# Every text box of each chart on the page (one per <div>) as the browser lays it out, after any
# transform, relative to its chart: (text, x, y, width, height).
BOXES = """() => [...document.querySelectorAll('body > div > svg')].map(svg => {
  const frame = svg.getBoundingClientRect();
  return {width: frame.width, height: frame.height, boxes: [...svg.querySelectorAll('text')].map(t => {
    const b = t.getBoundingClientRect(); return [t.textContent, b.x - frame.x, b.y - frame.y, b.width, b.height];
  })};
})"""


def _clashes(layout: dict[str, Any]) -> list[str]:
    """Text that leaves the chart, and pairs of texts that overlap (by more than half a pixel each way)."""
    boxes = [box for box in layout["boxes"] if box[3] > 0]
    found = []
    for i, (text, x, y, width, height) in enumerate(boxes):
        if x < -0.5 or y < -0.5 or x + width > layout["width"] + 0.5 or y + height > layout["height"] + 0.5:
            found.append(f"outside: {text}")
        for other, ox, oy, owidth, oheight in boxes[i + 1 :]:
            if min(x + width, ox + owidth) - max(x, ox) > 0.5 and min(y + height, oy + oheight) - max(y, oy) > 0.5:
                found.append(f"overlap: {text} / {other}")
    return found


def test_every_chart_fits_its_words_in_both_languages(client: TestClient) -> None:
    """Measured by a real browser: no text of any chart leaves it or runs into another, in English or Ukrainian."""
    years = range(2022, 2027)
    paths = ["/stats/yearly.svg", "/stats/monthly.svg", "/stats/totals.svg"]
    paths += [f"/exchanges.svg?year={year}" for year in years] + [f"/stats/monthly.svg?year={year}" for year in years]
    for event in client.get("/exchanges", params={"limit": 1000}).json()["data"]:
        paths += [
            f"/exchanges/{event['id']}/units.svg?dimension={d}" for d in vocabulary.codes("breakdown", "dimension")
        ]
    problems = {}
    with chromium() as browser:
        page = browser.new_page()
        for lang in ("en", "uk"):  # every chart of a language on one page: one layout, not 262
            drawn = [client.get(f"{path}{'&' if '?' in path else '?'}lang={lang}").text for path in paths]
            page.set_content("".join(f"<div>{chart}</div>" for chart in drawn))
            for path, layout in zip(paths, page.evaluate(BOXES), strict=True):
                found = _clashes(layout)
                if found:
                    problems[f"{path} {lang}"] = found
    assert problems == {}
    assert len(paths) == 262  # every chart of the fixture record, each drawn in both languages


def test_a_label_wider_than_its_column_wraps() -> None:
    assert charts.wrap("офіційного підсумку немає", 114) == ["офіційного", "підсумку немає"]
    assert charts.wrap("поза записами: 220", 114) == ["поза записами: 220"]
    assert charts.text_width("1 358", 10) < charts.text_width("1 358", 10, bold=True)
