"""A dashboard on another origin fetches JSON and CSV from the API in a real browser."""

import json

from tests.browser import chromium, page_server

DASHBOARD = """<!doctype html><meta charset="utf-8"><title>dashboard</title><pre id="out"></pre>
<script>
(async () => {
  const api = %s;
  const json = await fetch(api + "/stats/yearly").then(r => r.json());
  const csv = await fetch(api + "/stats/yearly.csv").then(r => r.text());
  const paged = await fetch(api + "/exchanges?year=2024&limit=5");
  const etag = (await fetch(api + "/stats/yearly")).headers.get("ETag");
  const missing = await fetch(api + "/stats/yearly/1990");
  document.getElementById("out").textContent = JSON.stringify({
    totals: json.data.map(r => [r.year, r.returned_to_ukraine]),
    csvHeader: csv.split("\\r\\n")[0],
    csvRows: csv.trim().split("\\r\\n").length - 1,
    totalCount: paged.headers.get("X-Total-Count"),
    link: paged.headers.get("Link"),
    etag,
    missingStatus: missing.status,
    missingType: missing.headers.get("Content-Type"),
  });
  document.title = "done";
})().catch(e => { document.title = "failed: " + e; });
</script>"""


def test_dashboard_on_another_origin_fetches_json_and_csv(live_server: str) -> None:
    errors: list[str] = []
    with page_server(DASHBOARD % json.dumps(live_server)) as url, chromium() as browser:
        assert url.split("/")[2] != live_server.split("/")[2]  # a different origin
        page = browser.new_page()
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.goto(url)
        page.wait_for_function("document.title !== 'dashboard'", timeout=15000)
        assert page.title() == "done"
        result = json.loads(page.inner_text("#out"))
    assert result["totals"] == [[2022, 1596], [2023, 1002], [2024, 1358], [2025, 2310], [2026, None]]
    assert result["csvHeader"].startswith("year,returned_to_ukraine,exchanges,basis")
    assert result["csvRows"] == 5
    assert result["totalCount"] == "12"
    assert 'rel="next"' in result["link"]
    assert result["etag"].startswith('"')
    assert (result["missingStatus"], result["missingType"]) == (404, "application/problem+json")
    # The 404 is deliberate; Chromium logs every failed fetch as a console error, nothing else may appear.
    assert [e for e in errors if "404" not in e] == []
