"""The page a reporter sees at `/`: figures, charts with their tables, sources. No script, no outside asset."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from app import charts
from app.i18n import TEXT, label, number
from app.schemas import (
    ExchangeRow,
    OtherTotal,
    PublishedTotalRow,
    ReconciliationRow,
    SourceRow,
    Summary,
    UnitRow,
    UnitsMeta,
    YearlyRow,
)

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
nav.years {{ margin-top: 2rem; font-size: 1.05rem; }}
.quote {{ user-select: all; background: #f3f3f3; border-left: 4px solid {charts.BAR}; padding: .4rem .6rem;
          margin: .4rem 0; font-size: .95rem; }}
ol.sources {{ font-size: .85rem; columns: 2; }}
@media print {{
  nav, .embed {{ display: none; }}
  figure, table {{ break-inside: avoid; }}
  a[href^="http"]::after {{ content: " (" attr(href) ")"; font-size: .8em; }}
  body {{ max-width: none; }}
}}
"""


@dataclass(frozen=True)
class English:
    """A note shown on the Ukrainian page in English, because no Ukrainian version is written yet:
    marked as English for screen readers and translation tools, and said to be English."""

    text: str

    def html(self) -> str:
        return f'<span lang="en">{escape(self.text)}</span> <small>({escape(TEXT["uk"]["in_english"])})</small>'


def _cell(cell: object) -> str:
    """A table cell's HTML: text escaped, an English note marked, a tuple of such parts joined."""
    if isinstance(cell, tuple):
        return "".join(_cell(part) for part in cell)
    if isinstance(cell, English):
        return cell.html()
    return escape("" if cell is None else str(cell))


def _note(row: YearlyRow | PublishedTotalRow | ReconciliationRow, name: str) -> str | English:
    """One note of a row as the page shows it: marked where it is English on a Ukrainian page."""
    text: str = getattr(row, name)
    return English(text) if name in row.notes_in_english else text


def _table(caption: str, head: Sequence[tuple[str, bool]], rows: Sequence[Sequence[object]]) -> str:
    """An HTML table; numeric columns (flag True) are right-aligned."""
    th = "".join(f'<th scope="col"{" class=n" if numeric else ""}>{escape(name)}</th>' for name, numeric in head)
    body = "".join(
        "<tr>"
        + "".join(f"<td{' class=n' if head[i][1] else ''}>{_cell(cell)}</td>" for i, cell in enumerate(row))
        + "</tr>"
        for row in rows
    )
    return f"<table><caption>{escape(caption)}</caption><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _quotes(label: str, sentences: Sequence[str], shown: bool = False) -> str:
    """Quote-ready sentences, each in a block that one click selects whole, for copying."""
    items = "".join(f'<p class="quote">{escape(sentence)}</p>' for sentence in sentences if sentence)
    state = " open" if shown else ""
    return f'<details class="quotes"{state}><summary>{escape(label)}</summary>{items}</details>' if items else ""


def _embed(label: str, url: str, alt: str) -> str:
    """A folded HTML snippet that embeds one chart in another page."""
    snippet = f'<img src="{url}" alt="{escape(alt)}" width="640">'  # all of it escaped for display below
    return (
        f'<details class="embed"><summary>{escape(label)}</summary><pre><code>{escape(snippet)}</code></pre></details>'
    )


@dataclass(frozen=True)
class PageFacts:
    """Everything the page shows, read from the database by the route."""

    summary: Summary
    yearly: Sequence[YearlyRow]
    event_years: Sequence[int]
    event_year: int | None
    events: Sequence[ExchangeRow]
    units: Sequence[UnitRow]
    units_meta: UnitsMeta | None
    totals: Sequence[PublishedTotalRow]
    reconciliation: Sequence[ReconciliationRow]
    sources: Sequence[SourceRow]
    record_ends: dt.date | None


def render(*, lang: str, base: str, facts: PageFacts) -> str:
    """The whole page in one language."""
    t = TEXT[lang]
    summary = facts.summary

    def n(value: int | None) -> str:
        return "" if value is None else number(value, lang)

    def embed(path: str, alt: str) -> str:
        return _embed(t["embed"], base + path, alt)

    other = "en" if lang == "uk" else "uk"
    q = f"?lang={lang}"
    yearly_table = _table(
        t["yearly"],
        [
            (t["year"], False),
            (t["people"], True),
            (t["exchanges"], True),
            (t["on_record"], True),
            (t["remainder"], True),
            (t["undisclosed"], True),
            ("", False),
        ],
        [
            (
                r.year,
                n(r.returned_to_ukraine) if r.returned_to_ukraine is not None else t["no_official_total"],
                n(r.exchanges) if r.exchanges is not None else t["unknown"],
                n(r.on_record_returned_to_ukraine),
                n(r.unaccounted_remainder),
                r.events_undisclosed,
                (t[r.basis], ": ", _note(r, "derivation")) if r.basis == "derived" else t[r.basis],
            )
            for r in facts.yearly
        ],
    )
    links = [("/stats/yearly", "/stats/yearly.csv"), ("/stats/summary", "/stats/summary.csv")]
    timeline = units_figure = ""
    year = facts.event_year
    if year is not None and facts.events:
        year_links = " ".join(
            f"<strong>{y}</strong>" if y == year else f'<a href="/?year={y}&amp;lang={lang}">{y}</a>'
            for y in facts.event_years
        )
        events_table = _table(
            t["timeline"].format(year=year),
            [(t["date"], False), (t["exchange"], True), (t["stage"], True), (t["people"], True), (t["kind"], False)],
            [
                (
                    e.id,
                    e.exchange_ordinal,
                    e.exchange_stage or "",
                    n(e.returned_to_ukraine) if e.returned_to_ukraine is not None else t["undisclosed"],
                    label("kind", e.kind, lang) + (f", {label('agreement', e.agreement, lang)}" if e.agreement else ""),
                )
                for e in facts.events
            ],
        )
        timeline = (
            f'<nav class="years" aria-label="{escape(t["years"])}">{escape(t["years"])}: {year_links}</nav>'
            f'<figure id="timeline">{charts.timeline_chart(facts.events, year, lang)}'
            f"<figcaption>{events_table}{_quotes(t['copy'], [e.sentence for e in facts.events])}</figcaption>"
            f"{embed(f'/exchanges.svg?year={year}&lang={lang}', t['timeline'].format(year=year))}</figure>"
        )
        links.append((f"/exchanges?year={year}", f"/exchanges.csv?year={year}"))
    units_meta = facts.units_meta
    if units_meta is not None:
        labels = {r.unit: (r.label_uk if lang == "uk" else r.label) for r in facts.units}
        units_table = _table(
            t["units"].format(date=units_meta.exchange_id),
            [(t["unit"], False), (t["people"], True)],
            [((f"— {t['inside']}: " if r.part_of else "") + labels[r.unit], n(r.people)) for r in facts.units]
            + ([(t["unattributed"], n(units_meta.unattributed))] if units_meta.unattributed else []),
        )
        path = f"/exchanges/{units_meta.exchange_id}/units"
        units_figure = (
            f'<figure id="units">{charts.units_chart(facts.units, units_meta, lang)}'
            f"<figcaption>{units_table}</figcaption>"
            f"{embed(f'{path}.svg{q}', t['units'].format(date=units_meta.exchange_id))}</figure>"
        )
        links.append((path, f"{path}.csv"))

    def publisher(row: PublishedTotalRow | OtherTotal | Summary) -> str:
        return row.publisher_label_uk if lang == "uk" else row.publisher_label

    def figure(value: int, lower_bound: bool) -> str:
        return (f"{t['more_than']} " if lower_bound else "") + n(value)

    totals_table = _table(
        t["totals"],
        [
            (t["date"], False),
            (t["publisher"], False),
            (t["people"], True),
            (t["exchanges"], True),
            (t["on_record"], True),
            (t["note"], False),
        ],
        [
            (
                r.as_of.isoformat(),
                publisher(r),
                figure(r.returned_to_ukraine, r.returned_is_lower_bound),
                figure(r.exchanges, r.exchanges_is_lower_bound) if r.exchanges is not None else "",
                n(r.on_record_by_then),
                _note(r, "scope_note"),
            )
            for r in facts.totals
        ],
    )
    totals_figure = (
        f'<figure id="totals">{charts.totals_chart(facts.totals, lang)}'
        f"<figcaption>{totals_table}{_quotes(t['copy'], [r.sentence for r in facts.totals])}</figcaption>"
        f"{embed(f'/stats/totals.svg{q}', t['totals'])}</figure>"
    )
    gaps_table = _table(
        t["reconciliation"],
        [
            (t["kind"], False),
            (t["year"], True),
            (t["stated"], True),
            (t["on_record"], True),
            (t["gap"], True),
            (t["note"], False),
        ],
        [
            (
                (r.label_uk if lang == "uk" else r.label) + f" ({r.subject})",
                r.year,
                n(r.stated),
                n(r.on_record),
                n(r.unaccounted),
                _note(r, "note"),
            )
            for r in facts.reconciliation
        ],
    )
    links += [
        ("/stats/totals", "/stats/totals.csv"),
        ("/stats/monthly", "/stats/monthly.csv"),
        ("/stats/reconciliation", "/stats/reconciliation.csv"),
        ("/exchanges/units", "/exchanges/units.csv"),
        ("/sources", "/sources.csv"),
    ]
    data_list = (
        "".join(f'<li><a href="{escape(j)}">{escape(j)}</a> · <a href="{escape(c)}">CSV</a></li>' for j, c in links)
        + '<li><a href="/datapackage.json">/datapackage.json</a> · <a href="/data/returns.db">returns.db</a> · '
        f'<a href="/feed.atom?lang={lang}">/feed.atom</a></li>'
        + '<li><a href="/docs">/docs</a> · <a href="/openapi.json">/openapi.json</a></li>'
    )
    source_list = "".join(
        f'<li><a href="{escape(s.url)}">{escape(s.publisher)}</a>'
        f"{' · ' + s.published_on.isoformat() if s.published_on else ''}</li>"
        for s in facts.sources
    )
    others = "".join(
        f"<li>{escape(publisher(o))}: <strong>{figure(o.returned_to_ukraine, o.returned_is_lower_bound)}</strong>, "
        f'<time datetime="{o.as_of}">{o.as_of.isoformat()}</time></li>'
        for o in summary.other_publishers_latest
    )
    headline = t["headline"].format(publisher=publisher(summary), date=summary.as_of.isoformat())
    ends = t["record_ends"].format(date=facts.record_ends.isoformat()) if facts.record_ends else ""
    citation = (
        f"{t['title']}, 2022–{facts.record_ends.year if facts.record_ends else summary.as_of.year}: "
        f"{t['cite_bodies']}; {t['as_of']} {(facts.record_ends or summary.as_of).isoformat()}. "
        f"{base}/stats/yearly"
    )
    return f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<link rel="alternate" type="application/atom+xml" href="/feed.atom?lang={lang}" title="{escape(t["feed_title"])}">
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
<p class="key"><strong>{figure(summary.returned_to_ukraine, summary.returned_is_lower_bound)}</strong>
{escape(t["since"])}, {escape(headline)}; {n(summary.exchanges)} {escape(t["exchanges_held"])}.</p>
{_quotes(t["copy"], [summary.sentence], shown=True)}
<section id="others"><h2>{escape(t["others"])}</h2><ul>{others}</ul>
<p class="muted">{escape(t["totals_note"])} {escape(ends)}</p></section>
<figure id="yearly">{charts.yearly_chart(facts.yearly, lang)}
<figcaption>{yearly_table}{_quotes(t["copy"], [r.sentence for r in facts.yearly])}</figcaption>
{embed(f"/stats/yearly.svg{q}", t["yearly"])}</figure>
{timeline}
{units_figure}
{totals_figure}
<section id="reconciliation">{gaps_table}</section>
<p class="muted">{escape(t["not_covered"])}</p>
<section id="data"><h2>{escape(t["data"])}</h2><ul>{data_list}</ul></section>
<section id="cite"><h2>{escape(t["cite"])}</h2><p>{escape(citation)}</p></section>
<section id="sources"><h2>{escape(t["sources"])}</h2><ol class="sources">{source_list}</ol></section>
</main>
</body>
</html>
"""
