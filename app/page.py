"""The page a reporter sees at `/`: figures, charts with their tables, sources. No script, no outside asset."""

from collections.abc import Sequence
from html import escape

from app import charts
from app.i18n import TEXT
from app.schemas import ExchangeRow, SourceRow, Summary, UnitRow, UnitsMeta, YearlyRow

STYLE = f"""
body {{ font-family: {charts.FONT}; color: {charts.INK}; background: #fff; margin: 0 auto; max-width: 60rem;
        padding: 1rem 1.25rem 3rem; line-height: 1.45; }}
a {{ color: #0b4f8a; }}
header p {{ max-width: 44rem; }}
.key {{ font-size: 1.15rem; border-left: 6px solid {charts.BAR}; padding: .25rem 1rem; margin: 1.5rem 0; }}
.key strong {{ font-size: 2.4rem; display: block; }}
figure {{ margin: 2rem 0; }}
figure svg {{ max-width: 100%; height: auto; border: 1px solid #d0d0d0; }}
table {{ border-collapse: collapse; margin: .75rem 0; font-size: .95rem; }}
th, td {{ border-bottom: 1px solid #d0d0d0; padding: .25rem .6rem; text-align: left; }}
td.n, th.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
caption {{ text-align: left; font-weight: bold; padding: .25rem 0; }}
pre {{ background: #f3f3f3; padding: .6rem; overflow-x: auto; font-size: .85rem; }}
.muted {{ color: {charts.MUTED}; }}
nav a {{ margin-right: .75rem; }}
ol.sources {{ font-size: .85rem; columns: 2; }}
@media print {{
  nav, .embed {{ display: none; }}
  figure, table {{ break-inside: avoid; }}
  a[href^="http"]::after {{ content: " (" attr(href) ")"; font-size: .8em; }}
  body {{ max-width: none; }}
}}
"""


def _table(caption: str, head: Sequence[tuple[str, bool]], rows: Sequence[Sequence[object]]) -> str:
    """An HTML table; numeric columns (flag True) are right-aligned."""
    th = "".join(f'<th scope="col"{" class=n" if numeric else ""}>{escape(name)}</th>' for name, numeric in head)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{' class=n' if head[i][1] else ''}>{escape('' if cell is None else str(cell))}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><caption>{escape(caption)}</caption><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _embed(label: str, url: str, alt: str) -> str:
    """A folded HTML snippet that embeds one chart in another page."""
    snippet = f'<img src="{url}" alt="{escape(alt)}" width="640">'  # all of it escaped for display below
    return (
        f'<details class="embed"><summary>{escape(label)}</summary><pre><code>{escape(snippet)}</code></pre></details>'
    )


def render(
    *,
    lang: str,
    base: str,
    summary: Summary,
    yearly: Sequence[YearlyRow],
    events: Sequence[ExchangeRow],
    event_year: int | None,
    units: Sequence[UnitRow],
    units_meta: UnitsMeta | None,
    sources: Sequence[SourceRow],
) -> str:
    """The whole page in one language."""
    t = TEXT[lang]

    def n(value: int) -> str:
        return charts.number(value, lang)

    def embed(path: str, alt: str) -> str:
        return _embed(t["embed"], base + path, alt)

    other = "en" if lang == "uk" else "uk"
    q = f"?lang={lang}"
    yearly_table = _table(
        t["yearly"],
        [(t["year"], False), (t["people"], True), (t["exchanges"], True), ("", False)],
        [
            (
                r.year,
                n(r.returned_to_ukraine),
                n(r.exchanges) if r.exchanges is not None else t["unknown"],
                t[r.basis] + (f": {r.derivation}" if r.basis == "derived" else ""),
            )
            for r in yearly
        ],
    )
    links = [("/stats/yearly", "/stats/yearly.csv"), ("/stats/summary", "/stats/summary.csv")]
    timeline = units_figure = ""
    if event_year is not None and events:
        events_table = _table(
            t["timeline"].format(year=event_year),
            [(t["date"], False), (t["exchange"], True), (t["stage"], True), (t["people"], True)],
            [(e.id, e.exchange_ordinal, e.exchange_stage or "", n(e.returned_to_ukraine)) for e in events],
        )
        timeline = (
            f'<figure id="timeline">{charts.timeline_chart(events, event_year, lang)}'
            f"<figcaption>{events_table}</figcaption>"
            f"{embed(f'/exchanges.svg?year={event_year}&lang={lang}', t['timeline'].format(year=event_year))}</figure>"
        )
        links.append((f"/exchanges?year={event_year}", f"/exchanges.csv?year={event_year}"))
    if units_meta is not None:
        labels = {r.unit: (r.label_uk if lang == "uk" else r.label) for r in units}
        units_table = _table(
            t["units"].format(date=units_meta.exchange_id),
            [(t["unit"], False), (t["people"], True)],
            [((f"— {t['inside']}: " if r.part_of else "") + labels[r.unit], n(r.people)) for r in units]
            + ([(t["unattributed"], n(units_meta.unattributed))] if units_meta.unattributed else []),
        )
        path = f"/exchanges/{units_meta.exchange_id}/units"
        units_figure = (
            f'<figure id="units">{charts.units_chart(units, units_meta, lang)}'
            f"<figcaption>{units_table}</figcaption>"
            f"{embed(f'{path}.svg{q}', t['units'].format(date=units_meta.exchange_id))}</figure>"
        )
        links.append((path, f"{path}.csv"))
    links.append(("/sources", "/sources.csv"))
    data_list = (
        "".join(f'<li><a href="{escape(j)}">{escape(j)}</a> · <a href="{escape(c)}">CSV</a></li>' for j, c in links)
        + '<li><a href="/docs">/docs</a> · <a href="/openapi.json">/openapi.json</a></li>'
    )
    source_list = "".join(
        f'<li><a href="{escape(s.url)}">{escape(s.publisher)}</a>'
        f"{' · ' + s.published_on.isoformat() if s.published_on else ''}</li>"
        for s in sources
    )
    citation = (
        f"{t['title']}, 2022–{summary.as_of.year}: Coordination Headquarters for the Treatment of "
        f"Prisoners of War and the sources listed per figure; {t['as_of']} {summary.as_of.isoformat()}. "
        f"{base}/stats/yearly"
    )
    return f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{escape(t["title"])}</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<nav><a href="/?lang={other}" hreflang="{other}" lang="{other}">{escape(t["switch"])}</a>
<a href="#data">{escape(t["data"])}</a><a href="/docs">/docs</a></nav>
<h1>{escape(t["title"])}</h1>
<p>{escape(t["lede"])}</p>
<p class="muted">{escape(t["skip"])}</p>
</header>
<main>
<p class="key"><strong>{n(summary.returned_to_ukraine)}</strong>
{escape(t["since"])}, {escape(t["as_of"])} <time datetime="{summary.as_of}">{summary.as_of.isoformat()}</time>;
{n(summary.exchanges)} {escape(t["exchanges_held"])}.</p>
<figure id="yearly">{charts.yearly_chart(yearly, lang)}
<figcaption>{yearly_table}</figcaption>{embed(f"/stats/yearly.svg{q}", t["yearly"])}</figure>
{timeline}
{units_figure}
<p class="muted">{escape(t["not_covered"])}</p>
<section id="data"><h2>{escape(t["data"])}</h2><ul>{data_list}</ul></section>
<section id="cite"><h2>{escape(t["cite"])}</h2><p>{escape(citation)}</p></section>
<section id="sources"><h2>{escape(t["sources"])}</h2><ol class="sources">{source_list}</ol></section>
</main>
</body>
</html>
"""
