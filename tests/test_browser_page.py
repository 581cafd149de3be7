"""The page and the embeddable charts in real headless Chromium."""

import json
from pathlib import Path

from tests.browser import chromium, page_server


def test_page_renders_figures_and_charts_without_console_errors(live_server: str, tmp_path: Path) -> None:
    errors: list[str] = []
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1000, "height": 1400})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{live_server}/")
        assert page.title() == "Returns from Russian captivity to Ukraine"
        assert page.inner_text(".key strong") == "8,050"
        assert page.locator("figure svg").count() == 4
        bars = page.eval_on_selector_all("#yearly svg rect title", "ts => ts.map(t => t.textContent)")
        assert bars == [
            "2022: 1,596",
            "2022 on record: 1,563",
            "2023: 1,002",
            "2023 on record: 996",
            "2024: 1,358",
            "2024 on record: 1,358",
            "2025: 2,310",
            "2025 on record: 2,090",
            "2026: 659",
        ]
        page.click('nav.years a[href^="/?year=2024"]')  # a plain link to the year's timeline
        assert page.url.endswith("/?year=2024&lang=en")
        assert "Returns in 2024" in page.inner_text("#timeline")
        box = page.locator("#yearly svg").bounding_box()
        assert box is not None and box["width"] > 300
        page.screenshot(path=str(tmp_path / "page-en.png"), full_page=True)
        page.emulate_media(media="print")  # prints without the navigation and embed snippets
        assert page.is_hidden("nav") and page.is_hidden("details.embed")
        page.emulate_media(media="screen")
        page.goto(f"{live_server}/?lang=uk")
        assert "військовослужбовці" in page.inner_text("#units")
        assert page.inner_text("h1") == "Повернення з російського полону в Україну"
        page.screenshot(path=str(tmp_path / "page-uk.png"), full_page=True)
    assert errors == []
    assert (tmp_path / "page-en.png").stat().st_size > 10_000
    assert (tmp_path / "page-uk.png").stat().st_size > 10_000


EMBEDS = """<!doctype html><meta charset="utf-8"><title>story</title>
<img id="yearly" src="%(api)s/stats/yearly.svg" alt="yearly">
<img id="timeline" src="%(api)s/exchanges.svg?year=2024&lang=uk" alt="timeline">
<img id="units" src="%(api)s/exchanges/2024-12-30/units.svg" alt="units">"""


def test_charts_embed_in_a_page_from_another_origin(live_server: str, tmp_path: Path) -> None:
    with page_server(EMBEDS % {"api": live_server}) as url, chromium() as browser:
        page = browser.new_page()
        page.goto(url)
        page.wait_for_load_state("load")
        sizes = page.evaluate("[...document.images].map(i => [i.id, i.complete, i.naturalWidth, i.naturalHeight])")
        page.screenshot(path=str(tmp_path / "embeds.png"), full_page=True)
    assert [s[:3] for s in sizes] == [["yearly", True, 640], ["timeline", True, 640], ["units", True, 640]], json.dumps(
        sizes
    )
    assert all(s[3] > 200 for s in sizes)
