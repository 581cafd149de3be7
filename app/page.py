"""The page a reporter sees at `/`: figures, charts with their tables, sources. No script, no outside asset."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from app import charts
from app.i18n import Words, words
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
    label,
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


# The link to the page in the other language, in that language's own words.
SWITCH = {"en": "In English", "uk": "Українською"}


@dataclass(frozen=True)
class English:
    """A note shown on the Ukrainian page in English, because no Ukrainian version is written yet:
    marked as English for screen readers and translation tools, and said to be English."""

    text: str

    def html(self) -> str:
        marked = escape(words("uk").gettext("in English"))
        return f'<span lang="en">{escape(self.text)}</span> <small>({marked})</small>'


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


def _quotes(w: Words, sentences: Sequence[str], shown: bool = False) -> str:
    """Quote-ready sentences, each in a block that one click selects whole, for copying."""
    items = "".join(f'<p class="quote">{escape(sentence)}</p>' for sentence in sentences if sentence)
    state = " open" if shown else ""
    label = escape(w.gettext("Quote"))
    return f'<details class="quotes"{state}><summary>{label}</summary>{items}</details>' if items else ""


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


@dataclass(frozen=True)
class Writer:
    """The page's language and host: how it writes a number, a figure, a body's name, an embed snippet."""

    lang: str
    base: str

    @property
    def w(self) -> Words:
        return words(self.lang)

    def n(self, value: int | None) -> str:
        return "" if value is None else self.w.number(value)

    def figure(self, value: int, lower_bound: bool) -> str:
        """A stated figure, with "more than" where the body said so."""
        stated = self.n(value)
        return self.w.gettext("more than {count}").format(count=stated) if lower_bound else stated

    def publisher(self, row: PublishedTotalRow | OtherTotal | Summary) -> str:
        return row.publisher_label_uk if self.lang == "uk" else row.publisher_label

    def embed(self, path: str, alt: str) -> str:
        """A folded HTML snippet that embeds one chart in another page."""
        snippet = f'<img src="{self.base}{path}" alt="{escape(alt)}" width="640">'  # escaped whole for display
        summary = escape(self.w.gettext("Embed this chart"))
        return f'<details class="embed"><summary>{summary}</summary><pre><code>{escape(snippet)}</code></pre></details>'


def _head(page: Writer) -> str:
    """From the doctype to the page's header: its title, the language switch, the lede."""
    w, lang = page.w, page.lang
    other = "en" if lang == "uk" else "uk"
    title = escape(w.gettext("Returns from Russian captivity to Ukraine"))
    lede = w.gettext(
        "People Ukraine has brought back from Russian captivity since the full-scale invasion, as reported by "
        "the Coordination Headquarters for the Treatment of Prisoners of War."
    )
    feed = escape(w.gettext("Returns from Russian captivity to Ukraine: new records"))
    data, tables = escape(w.gettext("Data and API")), escape(w.gettext("Figures in tables follow each chart."))
    return f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<link rel="alternate" type="application/atom+xml" href="/feed.atom?lang={lang}" title="{feed}">
<title>{title}</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<nav><a href="/?lang={other}" hreflang="{other}" lang="{other}">{SWITCH[other]}</a>
<a href="#data">{data}</a><a href="/docs">/docs</a></nav>
<h1>{title}</h1>
<p>{escape(lede)}</p>
<p class="muted">{tables}</p>
</header>"""


def _headline(page: Writer, facts: PageFacts) -> str:
    """The headline total with its quote, and every other body's latest beside it."""
    w, summary = page.w, facts.summary
    said = w.gettext("Returned since 24 February 2022, according to the {publisher}, stated on {date}").format(
        publisher=page.publisher(summary), date=w.date(summary.as_of)
    )
    held = w.ngettext("{count} exchange held", "{count} exchanges held", summary.exchanges or 0)
    others = "".join(
        f"<li>{escape(page.publisher(o))}: <strong>{page.figure(o.returned_to_ukraine, o.returned_is_lower_bound)}"
        f'</strong>, <time datetime="{o.as_of}">{w.date(o.as_of)}</time></li>'
        for o in summary.other_publishers_latest
    )
    ends = ""
    if facts.record_ends:
        ends = w.gettext("The event records end on {date}; returns after it may be missing.")
        ends = " " + ends.format(date=w.date(facts.record_ends))
    note = w.gettext("The bodies count differently (exchanges only, or every return); none is the total.")
    other_bodies = w.gettext("Other bodies’ latest totals")
    return (
        f'<p class="key"><strong>{page.figure(summary.returned_to_ukraine, summary.returned_is_lower_bound)}'
        f"</strong>\n{escape(said)}; {escape(held)}.</p>\n"
        f"{_quotes(w, [summary.sentence], shown=True)}\n"
        f'<section id="others"><h2>{escape(other_bodies)}</h2><ul>{others}</ul>\n'
        f'<p class="muted">{escape(note)}{escape(ends)}</p></section>'
    )


def _yearly(page: Writer, facts: PageFacts) -> str:
    """The yearly chart, its table and quotes."""
    w, n = page.w, page.n
    head = [
        (w.gettext("Year"), False),
        (w.gettext("People returned"), True),
        (w.gettext("Exchanges"), True),
        (w.gettext("on record"), True),
        (w.gettext("not on record"), True),
        (w.gettext("undisclosed figures"), True),
        ("", False),
    ]
    rows = [
        (
            r.year,
            n(r.returned_to_ukraine) if r.returned_to_ukraine is not None else w.gettext("no official total"),
            n(r.exchanges) if r.exchanges is not None else w.gettext("unknown"),
            n(r.on_record_returned_to_ukraine),
            n(r.unaccounted_remainder),
            r.events_undisclosed,
            (label("basis", r.basis, page.lang), ": ", _note(r, "derivation"))
            if r.basis == "derived"
            else label("basis", r.basis, page.lang),
        )
        for r in facts.yearly
    ]
    title = w.gettext("People returned per year")
    table = _table(title, head, rows)
    return (
        f'<figure id="yearly">{charts.yearly_chart(facts.yearly, page.lang)}\n'
        f"<figcaption>{table}{_quotes(w, [r.sentence for r in facts.yearly])}</figcaption>\n"
        f"{page.embed(f'/stats/yearly.svg?lang={page.lang}', title)}</figure>"
    )


def _timeline(page: Writer, facts: PageFacts, year: int) -> str:
    """The year's timeline with links to the other years, its table of events and their quotes."""
    w, lang = page.w, page.lang
    years = " ".join(
        f"<strong>{y}</strong>" if y == year else f'<a href="/?year={y}&amp;lang={lang}">{y}</a>'
        for y in facts.event_years
    )
    title = w.gettext("Returns in {year}, exchange by exchange").format(year=year)
    named = w.gettext("Years")
    head = [
        (w.gettext("Date"), False),
        (w.gettext("Exchange"), True),
        (w.gettext("stage"), True),
        (w.gettext("People returned"), True),
        (w.gettext("Kind"), False),
    ]
    rows = [
        (
            e.id,
            e.exchange_ordinal,
            e.exchange_stage or "",
            page.n(e.returned_to_ukraine) if e.returned_to_ukraine is not None else w.gettext("undisclosed"),
            label("kind", e.kind, lang)
            + (
                w.gettext(", {agreement}").format(agreement=label("agreement", e.agreement, lang))
                if e.agreement
                else ""
            ),
        )
        for e in facts.events
    ]
    return (
        f'<nav class="years" aria-label="{escape(named)}">{escape(named)}: {years}</nav>'
        f'<figure id="timeline">{charts.timeline_chart(facts.events, year, lang)}'
        f"<figcaption>{_table(title, head, rows)}{_quotes(w, [e.sentence for e in facts.events])}"
        f"</figcaption>{page.embed(f'/exchanges.svg?year={year}&lang={lang}', title)}</figure>"
    )


def _units(page: Writer, rows: Sequence[UnitRow], meta: UnitsMeta) -> str:
    """An event's breakdown: its chart and table."""
    w = page.w
    names = {r.unit: (r.label_uk if page.lang == "uk" else r.label) for r in rows}
    title = w.gettext("Who came back on {date}").format(date=w.date(dt.date.fromisoformat(meta.exchange_id[:10])))
    inside = w.gettext("— of them: {row}")
    cells = [(inside.format(row=names[r.unit]) if r.part_of else names[r.unit], page.n(r.people)) for r in rows]
    if meta.unattributed:
        cells.append((w.gettext("not attributed in the published breakdown"), page.n(meta.unattributed)))
    table = _table(title, [(w.gettext("Service or status"), False), (w.gettext("People returned"), True)], cells)
    path = f"/exchanges/{meta.exchange_id}/units"
    return (
        f'<figure id="units">{charts.units_chart(rows, meta, page.lang)}'
        f"<figcaption>{table}</figcaption>"
        f"{page.embed(f'{path}.svg?lang={page.lang}', title)}</figure>"
    )


def _totals(page: Writer, facts: PageFacts) -> str:
    """Every body's totals: the step chart, its table and quotes."""
    w, n = page.w, page.n
    head = [
        (w.gettext("Date"), False),
        (w.gettext("Body"), False),
        (w.gettext("People returned"), True),
        (w.gettext("Exchanges"), True),
        (w.gettext("on record"), True),
        (w.gettext("Note"), False),
    ]
    rows = [
        (
            r.as_of.isoformat(),
            page.publisher(r),
            page.figure(r.returned_to_ukraine, r.returned_is_lower_bound),
            page.figure(r.exchanges, r.exchanges_is_lower_bound) if r.exchanges is not None else "",
            n(r.on_record_by_then),
            _note(r, "scope_note"),
        )
        for r in facts.totals
    ]
    title = w.gettext("Official totals since 2022, by body")
    return (
        f'<figure id="totals">{charts.totals_chart(facts.totals, page.lang)}'
        f"<figcaption>{_table(title, head, rows)}{_quotes(w, [r.sentence for r in facts.totals])}"
        f"</figcaption>{page.embed(f'/stats/totals.svg?lang={page.lang}', title)}</figure>"
    )


def _gaps(page: Writer, facts: PageFacts) -> str:
    """Every documented gap between the records and the official figures."""
    w, n = page.w, page.n
    head = [
        (w.gettext("Kind"), False),
        (w.gettext("Year"), True),
        (w.gettext("Stated"), True),
        (w.gettext("on record"), True),
        (w.gettext("Gap"), True),
        (w.gettext("Note"), False),
    ]
    rows = [
        (
            (r.label_uk if page.lang == "uk" else r.label) + f" ({r.subject})",
            r.year,
            n(r.stated),
            n(r.on_record),
            n(r.unaccounted),
            _note(r, "note"),
        )
        for r in facts.reconciliation
    ]
    title = w.gettext("Where the records and the official figures differ")
    return f'<section id="reconciliation">{_table(title, head, rows)}</section>'


def _data(page: Writer, facts: PageFacts) -> str:
    """Where the figures come from and how to take them: the API's links, the citation, the sources."""
    w, lang = page.w, page.lang
    links = [("/stats/yearly", "/stats/yearly.csv"), ("/stats/summary", "/stats/summary.csv")]
    if facts.event_year is not None and facts.events:
        links.append((f"/exchanges?year={facts.event_year}", f"/exchanges.csv?year={facts.event_year}"))
    if facts.units_meta is not None:
        path = f"/exchanges/{facts.units_meta.exchange_id}/units"
        links.append((path, f"{path}.csv"))
    more = ("/stats/totals", "/stats/monthly", "/stats/reconciliation", "/exchanges/units", "/sources")
    links += [(path, f"{path}.csv") for path in more]
    items = "".join(f'<li><a href="{escape(j)}">{escape(j)}</a> · <a href="{escape(c)}">CSV</a></li>' for j, c in links)
    items += (
        '<li><a href="/datapackage.json">/datapackage.json</a> · <a href="/data/returns.db">returns.db</a> · '
        f'<a href="/feed.atom?lang={lang}">/feed.atom</a></li>'
        '<li><a href="/docs">/docs</a> · <a href="/openapi.json">/openapi.json</a></li>'
    )
    ends = facts.record_ends or facts.summary.as_of
    citation = w.gettext(
        "Returns from Russian captivity to Ukraine, 2022–{year}: Coordination Headquarters for the Treatment of "
        "Prisoners of War, other official bodies and the sources listed per figure; as of {date}. {url}"
    ).format(year=ends.year, date=w.date(ends), url=f"{page.base}/stats/yearly")
    sources = "".join(
        f'<li><a href="{escape(s.url)}">{escape(s.publisher)}</a>'
        f"{' · ' + w.date(s.published_on) if s.published_on else ''}</li>"
        for s in facts.sources
    )
    not_covered = w.gettext(
        "People freed outside exchanges are on record only where a source itemises them (2025); repatriated "
        "bodies are not counted."
    )
    guide = f"/guide?lang={lang}"
    heads = [
        w.gettext("Data and API"),
        w.gettext("A reporter’s guide: which figure to publish, and how to cite it"),
        w.gettext("How to cite"),
        w.gettext("Sources"),
    ]
    return (
        f'<p class="muted">{escape(not_covered)}</p>\n'
        f'<section id="data"><h2>{escape(heads[0])}</h2><ul>{items}</ul>'
        f'<p><a href="{guide}">{escape(heads[1])}</a></p></section>\n'
        f'<section id="cite"><h2>{escape(heads[2])}</h2><p>{escape(citation)}</p></section>\n'
        f'<section id="sources"><h2>{escape(heads[3])}</h2><ol class="sources">{sources}</ol></section>'
    )


def render(*, lang: str, base: str, facts: PageFacts) -> str:
    """The whole page in one language."""
    page = Writer(lang, base)
    year = facts.event_year
    timeline = _timeline(page, facts, year) if year is not None and facts.events else ""
    units = _units(page, facts.units, facts.units_meta) if facts.units_meta is not None else ""
    return "\n".join(
        [
            _head(page),
            "<main>",
            _headline(page, facts),
            _yearly(page, facts),
            timeline,
            units,
            _totals(page, facts),
            _gaps(page, facts),
            _data(page, facts),
            "</main>\n</body>\n</html>\n",
        ]
    )
