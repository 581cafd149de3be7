"""Self-contained SVG charts: geometry as plain data (tested), then markup with inline styles."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from itertools import groupby, pairwise

from app.i18n import N_, Words, words
from app.schemas import ExchangeRow, MonthlyRow, PublishedTotalRow, UnitRow, UnitsMeta, YearlyRow, label
from app.sentences import nth, site

WIDTH = 640
FONT = "Arial, Helvetica, sans-serif"  # present on every system, or substituted by a metric twin
INK = "#1a1a1a"  # text: 17:1 on white
MUTED = "#4d4d4d"  # secondary text: 8.4:1 on white
BAR = "#1f4e79"  # bars: 8.6:1 on white
INNER = "#9cbbd9"  # rows inside a bar, drawn on the bar
BACKGROUND = "#ffffff"
PATTERNS = (
    '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
    f'<rect width="6" height="6" fill="{BACKGROUND}"/><rect width="3" height="6" fill="{BAR}"/></pattern>'
    '<pattern id="grey" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
    f'<rect width="6" height="6" fill="{BACKGROUND}"/><rect width="2" height="6" fill="#767676"/></pattern></defs>'
)


@dataclass(frozen=True)
class Rect:
    """One drawn bar: where it is and what it stands for."""

    x: float
    y: float
    width: float
    height: float
    value: int
    label: str


def column_bars(
    values: Sequence[int], labels: Sequence[str], *, left: float, top: float, width: float, height: float
) -> list[Rect]:
    """Vertical bars on a shared zero baseline; each height is proportional to its value."""
    top_value = max(values, default=0) or 1
    slot = width / max(len(values), 1)
    bar = min(slot * 0.6, 90)
    return [
        Rect(
            x=left + i * slot + (slot - bar) / 2,
            y=top + height - value / top_value * height,
            width=bar,
            height=value / top_value * height,
            value=value,
            label=label,
        )
        for i, (value, label) in enumerate(zip(values, labels, strict=True))
    ]


def row_bars(
    values: Sequence[int],
    labels: Sequence[str],
    *,
    left: float,
    top: float,
    width: float,
    row: float,
    thickness: float,
) -> list[Rect]:
    """Horizontal bars, one per row of height `row`, from a shared zero line; lengths proportional to values."""
    top_value = max(values, default=0) or 1
    return [
        Rect(x=left, y=top + i * row, width=value / top_value * width, height=thickness, value=value, label=label)
        for i, (value, label) in enumerate(zip(values, labels, strict=True))
    ]


def _text(
    x: float, y: float, content: str, size: int = 12, anchor: str = "start", color: str = INK, weight: str = "normal"
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{color}" '
        f'font-weight="{weight}">{escape(content)}</text>'
    )


def _rect(rect: Rect, fill: str, w: Words) -> str:
    """A bar, its label and figure as its tooltip."""
    return (
        f'<rect x="{rect.x:.1f}" y="{rect.y:.1f}" width="{rect.width:.1f}" height="{rect.height:.1f}" '
        f'fill="{fill}"><title>{escape(rect.label)}: {w.number(rect.value)}</title></rect>'
    )


def publishers(urls: Sequence[str]) -> str:
    """The first three distinct publishing sites among source URLs."""
    hosts = list(dict.fromkeys(site(url) for url in urls))
    return ", ".join(hosts[:3]) + (" …" if len(hosts) > 3 else "")


# The line under a chart that names its source, then (after a line break) where it was published.
SOURCE_LINE = N_("Source: Coordination Headquarters for the Treatment of Prisoners of War,\nvia {publishers}")


def _source(w: Words, urls: Sequence[str], line: str = SOURCE_LINE) -> str:
    """The source line (`line`, a catalog phrase with a line break before the publishing sites)."""
    return w.gettext(line).format(publishers=publishers(urls))


# Character widths in em, at least those of the widest sans-serif a browser may put in Arial's place
# (DejaVu Sans, measured in Chromium), so that a line measured to fit fits in every face.
NARROW = frozenset(" \u00a0.,:;'’!|()[]ijlrtf-")
WIDE = frozenset("mwMWЖжШшЩщЮюФф—…%@")
LEADING = 13  # px from the baseline of one line of 10 px text to the next


def text_width(text: str, size: float, bold: bool = False) -> float:
    """A generous estimate of a line's width in px at `size` (bold text is a tenth wider)."""
    em = sum(
        0.36 if ch in NARROW else 0.98 if ch in WIDE else 0.72 if ch.isupper() else 0.64 if ch.isdigit() else 0.62
        for ch in text
    )
    return em * size * (1.11 if bold else 1.0)


def wrap(text: str, width: float) -> list[str]:
    """10 px text in lines of at most `width` px, broken between words (a longer word stands alone)."""
    lines: list[str] = []
    used, space = 0.0, text_width(" ", 10)  # widths add up, so each word is measured once
    for word in text.split(" "):
        wide = text_width(word, 10)
        if lines and used + space + wide <= width:
            lines[-1], used = f"{lines[-1]} {word}", used + space + wide
        else:
            lines.append(word)
            used = wide
    return lines


def _lines(x: float, y: float, lines: Sequence[str], anchor: str = "start") -> list[str]:
    """Lines of muted 10 px text from baseline `y` down, one LEADING apart."""
    return [_text(x, y + LEADING * i, line, 10, anchor, MUTED) for i, line in enumerate(lines)]


def _frame(bottom: float, title: str, desc: str, body: list[str], notes: Sequence[str], source: str, lang: str) -> str:
    """The whole chart: its title, the plot (`body`), then from baseline `bottom` down the notes and the
    source line, each wrapped to the chart's width; the chart is as tall as they need."""
    noted = [line for note in notes for line in wrap(note, WIDTH - 32)]
    sourced = [line for part in source.split("\n") for line in wrap(part, WIDTH - 32)]
    source_top = bottom + LEADING * len(noted) + (8 if noted else 0)
    height = source_top + LEADING * (len(sourced) - 1) + 14
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" '
            f'height="{height:.0f}" role="img" aria-labelledby="chart-title chart-desc" lang="{lang}" '
            f'font-family="{FONT}" style="font-family:{FONT};background:{BACKGROUND}">',
            f'<title id="chart-title">{escape(title)}</title>',
            f'<desc id="chart-desc">{escape(desc)}</desc>',
            PATTERNS,
            f'<rect width="{WIDTH}" height="{height:.0f}" fill="{BACKGROUND}"/>',
            _text(16, 28, title, 17, weight="bold"),
            *body,
            *_lines(16, bottom, noted),
            *_lines(16, source_top, sourced),
            "</svg>",
        ]
    )


def _outline(rect: Rect, dashed: bool = False, color: str = BAR) -> str:
    dash = ' stroke-dasharray="5 3"' if dashed else ""
    return (
        f'<rect x="{rect.x:.1f}" y="{rect.y:.1f}" width="{rect.width:.1f}" height="{rect.height:.1f}" '
        f'fill="none" stroke="{color}" stroke-width="2"{dash}/>'
    )


def exchanges_of(row: YearlyRow, w: Words) -> str:
    """A year's exchange count as the chart writes it: the number, or unknown."""
    return w.number(row.exchanges) if row.exchanges is not None else w.gettext("unknown")


def yearly_chart(rows: Sequence[YearlyRow], lang: str) -> str:
    """People returned per year: reported totals solid, derived ones hatched, a year without an
    official total drawn as a dashed outline of what is on record; inside each bar a light band
    shows how much of the total the event records hold."""
    w = words(lang)
    height = 400.0
    # A year without an official total is drawn at what its records hold, never at zero.
    shown = [
        r.returned_to_ukraine if r.returned_to_ukraine is not None else r.on_record_returned_to_ukraine or 0
        for r in rows
    ]
    bars = column_bars(shown, [str(r.year) for r in rows], left=40, top=70, width=WIDTH - 60, height=height - 210)
    top_value = max(shown, default=0) or 1
    slot = (WIDTH - 60) / max(len(rows), 1)  # each year's column, which its labels must fit
    body: list[str] = []
    bottom = height - 60
    for row, rect in zip(rows, bars, strict=True):
        centre = rect.x + rect.width / 2
        if row.basis == "no_official_total":
            body.append(_rect(rect, INNER, w))
            body.append(_outline(rect, dashed=True))
            figure = w.gettext("{count} on record").format(count=w.number(rect.value))
        else:
            figure = w.number(rect.value)
            body.append(_rect(rect, "url(#hatch)" if row.basis == "derived" else BAR, w))
            if row.basis == "derived":
                body.append(_outline(rect))
                figure += f" ({label('basis', row.basis, lang)})"
            on_record = row.on_record_returned_to_ukraine
            if on_record is not None:  # the records' share, as a band up the middle of the bar
                band = on_record / top_value * (height - 210)
                name = w.gettext("{year} on record").format(year=row.year)
                body.append(_rect(Rect(centre - 4, rect.y + rect.height - band, 8, band, on_record, name), INNER, w))
        body.append(_text(centre, rect.y - 8, figure, 13, "middle", weight="bold"))
        body.append(_text(centre, height - 118, str(row.year), 13, "middle"))
        column = [w.gettext("Exchanges: {count}").format(count=exchanges_of(row, w))]
        if row.basis == "no_official_total":
            column.append(w.gettext("no official total"))
        elif row.unaccounted_remainder is not None:
            column.append(w.gettext("not on record: {count}").format(count=w.number(row.unaccounted_remainder)))
        if row.events_undisclosed:
            column.append(w.gettext("undisclosed: {count}").format(count=row.events_undisclosed))
        lines = [line for item in column for line in wrap(item, slot - 2)]
        body += _lines(centre, height - 102, lines, "middle")
        bottom = max(bottom, height - 102 + LEADING * len(lines) + 6)
    notes = [w.gettext("Light band: what the event records add up to; the rest of the bar is not on record.")]
    if any(r.basis == "derived" for r in rows):
        notes.append(w.gettext("Derived figure: no source states it directly."))
    if any(r.basis == "no_official_total" for r in rows):
        notes.append(w.gettext("Dashed: no official total for the year; the bar is what the records hold so far."))
    urls = [u for r in rows for u in r.source_urls]
    desc = (
        w.gettext("Bar chart of people returned to Ukraine from Russian captivity per calendar year.")
        + " "
        + "; ".join(
            f"{r.year}: {w.number(r.returned_to_ukraine)} ({label('basis', r.basis, lang)})"
            if r.returned_to_ukraine is not None
            else f"{r.year}: {label('basis', r.basis, lang)}, "
            + w.gettext("{count} on record").format(count=w.number(r.on_record_returned_to_ukraine or 0))
            for r in rows
        )
    )
    title = w.gettext("People returned per year")
    return _frame(bottom, title, desc, body, notes, _source(w, urls), lang)


def exchange_groups(events: Sequence[ExchangeRow]) -> list[list[ExchangeRow]]:
    """Events grouped as one bar each: the stages of one exchange (one ordinal) or of one agreement
    without ordinals together, every other event alone; in date order."""

    def key(event: ExchangeRow) -> str:
        if event.exchange_ordinal is not None:
            return f"ordinal {event.exchange_ordinal}"
        if event.agreement is not None and event.exchange_stage is not None:
            return f"agreement {event.agreement}"
        return f"event {event.id}"

    return [list(group) for _, group in groupby(events, key=key)]


def _timeline_notes(groups: Sequence[Sequence[ExchangeRow]], w: Words) -> list[str]:
    """The lines under a timeline that say how stages, swaps, releases and unknowns are drawn."""
    notes = []
    for group in groups:
        if len(group) > 1 and group[0].exchange_ordinal is not None:
            ordinal = group[0].exchange_ordinal
            notes.append(
                w.ngettext(
                    "The {ordinal} exchange came in {count} stage, drawn as one bar.",
                    "The {ordinal} exchange came in {count} stages, drawn as one bar.",
                    len(group),
                ).format(ordinal=nth(ordinal), ordinal_number=ordinal)
            )
        elif len(group) > 1:
            agreement = label("agreement", group[0].agreement or "", w.lang)
            notes.append(
                w.ngettext(
                    "The {count} stage of {agreement} is drawn as one bar.",
                    "The {count} stages of {agreement} are drawn as one bar.",
                    len(group),
                ).format(agreement=agreement)
            )
    kinds = {e.kind for group in groups for e in group}
    if "local_swap" in kinds:
        notes.append(w.gettext("Hatched: local swaps arranged by a region or a military command."))
    if "release" in kinds:
        notes.append(w.gettext("Grey: people freed outside an exchange (not in the exchange totals)."))
    if any(e.returned_to_ukraine is None for group in groups for e in group):
        notes.append(w.gettext("Dashed box with ?: a figure that was never disclosed (unknown, not zero)."))
    return notes


def _stages(group: Sequence[ExchangeRow], rect: Rect, w: Words) -> tuple[list[str], float]:
    """One bar's stages stacked from the baseline up, split by a white line, and an undisclosed figure
    as an empty dashed box above them; with the top of what is drawn."""
    body: list[str] = []
    bottom = rect.y + rect.height
    for event in group:
        if event.returned_to_ukraine is None:
            continue
        part = rect.height * event.returned_to_ukraine / rect.value
        name = w.gettext("{id}, stage {stage}").format(id=event.id, stage=event.exchange_stage)
        name = name if event.exchange_stage else event.id
        stage = Rect(rect.x, bottom - part, rect.width, part, event.returned_to_ukraine, name)
        fill = {"release": "url(#grey)", "local_swap": "url(#hatch)"}.get(event.kind)
        body.append(_rect(stage, fill or (BAR if (event.exchange_stage or 1) % 2 else "url(#hatch)"), w))
        body.append(
            f'<line x1="{rect.x:.1f}" x2="{rect.x + rect.width:.1f}" y1="{bottom - part:.1f}" '
            f'y2="{bottom - part:.1f}" stroke="{BACKGROUND}" stroke-width="1.5"/>'
        )
        bottom -= part
    undisclosed = [e for e in group if e.returned_to_ukraine is None]
    if undisclosed:  # unknown, never a height
        unknown = w.gettext("{id}: undisclosed").format(id=undisclosed[0].id)
        body.append(_outline(Rect(rect.x, bottom - 14, rect.width, 14, 0, unknown), dashed=True, color=MUTED))
        bottom -= 14
    return body, min(rect.y, bottom)


def _bar_figure(group: Sequence[ExchangeRow], total: int) -> str:
    """What stands above a bar: its stages' figures added (? for an unknown), or their count and sum."""
    figures = [str(e.returned_to_ukraine) if e.returned_to_ukraine is not None else "?" for e in group]
    if len(group) <= 3:
        return "+".join(figures)
    return f"{len(group)}×?" if "?" in figures else str(total)


def timeline_chart(events: Sequence[ExchangeRow], year: int | str, lang: str) -> str:
    """One bar per exchange in date order; an exchange in stages is one bar split by stage; an
    undisclosed figure is a dashed outline marked "?", never a bar of zero; local swaps are hatched
    and releases outside exchanges grey."""
    w = words(lang)
    height = 390.0
    groups = exchange_groups(events)
    totals = [sum(e.returned_to_ukraine or 0 for e in group) for group in groups]
    labels = [
        w.gettext("Exchange {ordinal}").format(ordinal=g[0].exchange_ordinal) if g[0].exchange_ordinal else g[0].id
        for g in groups
    ]
    bars = column_bars(totals, labels, left=30, top=70, width=WIDTH - 50, height=height - 190)
    slot = (WIDTH - 50) / max(len(groups), 1)
    fits = all(text_width(_bar_figure(g, t), 11, True) <= slot for g, t in zip(groups, totals, strict=True))
    size = 11 if fits else 9
    crowded = any(text_width(w.day_month(g[0].date), 10) > slot - 2 for g in groups)  # dates fit under every bar?
    body: list[str] = []
    free = 0.0  # where the next month's name may start, when only months are named
    for group, total, rect in zip(groups, totals, bars, strict=True):
        centre = rect.x + rect.width / 2
        drawn, top = _stages(group, rect, w)
        body += drawn
        body.append(_text(centre, top - 6, _bar_figure(group, total), size, "middle", weight="bold"))
        if group[0].exchange_ordinal is not None:
            body.append(_text(centre, height - 98, str(group[0].exchange_ordinal), size, "middle"))
        if not crowded:
            body.append(_text(centre, height - 84, w.day_month(group[0].date), 10, "middle", MUTED))
        elif rect.x >= free and group is next(g for g in groups if g[0].date.month == group[0].date.month):
            name = w.month(group[0].date.month)  # the month under its first bar, where there is room
            body.append(_text(rect.x, height - 84, name, 10, color=MUTED))
            free = rect.x + text_width(name, 10) + 4
    body.append(_text(16, height - 70, w.gettext("Exchange / Date"), 10, color=MUTED))
    urls = [u for e in events for u in e.source_urls]
    title = w.gettext("Returns in {year}, exchange by exchange").format(year=year)
    desc = _timeline_desc(events, groups, year, w)
    return _frame(height - 56, title, desc, body, _timeline_notes(groups, w), _source(w, urls), lang)


def _timeline_desc(
    events: Sequence[ExchangeRow], groups: Sequence[Sequence[ExchangeRow]], year: int | str, w: Words
) -> str:
    """The timeline for a screen reader: what it draws, and every event's figure."""
    return (
        w.ngettext(
            "Timeline of the {count} return event of {year}.",
            "Timeline of the {count} return events of {year}.",
            len(events),
        ).format(year=year)
        + " "
        + w.ngettext(
            "{count} bar: one per exchange (split by stage where it came in stages), per local swap and per "
            "release outside exchanges.",
            "{count} bars: one per exchange (split by stage where it came in stages), per local swap and per "
            "release outside exchanges.",
            len(groups),
        )
        + " "
        + "; ".join(
            f"{e.id}: {w.number(e.returned_to_ukraine)}"
            if e.returned_to_ukraine is not None
            else w.gettext("{id}: undisclosed").format(id=e.id)
            for e in events
        )
    )


def _months(first: str, last: str) -> list[str]:
    """Every YYYY-MM from first to last."""
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def monthly_chart(rows: Sequence[MonthlyRow], lang: str) -> str:
    """People on record per month: a column for each month with events, a gap (no column, no zero)
    for a month without, and a dashed box marked "?" where a month holds undisclosed figures."""
    w = words(lang)
    height = 380.0
    by_month = {row.month: row for row in rows}
    months = _months(rows[0].month, rows[-1].month) if rows else []
    values = [(by_month[m].on_record_returned_to_ukraine or 0) if m in by_month else 0 for m in months]
    bars = column_bars(values, months, left=40, top=70, width=WIDTH - 60, height=height - 190)
    crowded = len(months) > 14
    body = []
    for month, rect in zip(months, bars, strict=True):
        centre = rect.x + rect.width / 2
        row = by_month.get(month)
        top = rect.y
        if row is not None and rect.value:
            body.append(_rect(rect, BAR, w))
        if row is not None and row.events_undisclosed:  # unknown figures: a dashed box above, never a height
            unknown = w.ngettext(
                "{month}: {count} undisclosed figure", "{month}: {count} undisclosed figures", row.events_undisclosed
            ).format(month=month)
            body.append(_outline(Rect(rect.x, rect.y - 14, rect.width, 14, 0, unknown), dashed=True, color=MUTED))
            body.append(_text(centre, rect.y - 3, "?", 9, "middle", MUTED))
            top = rect.y - 14
        if row is not None and rect.value:
            label = w.number(rect.value)
            if crowded:  # upright numbers do not fit a narrow column: turn them
                body.append(
                    f'<text x="{centre + 3:.1f}" y="{top - 4:.1f}" font-size="8" fill="{INK}" '
                    f'transform="rotate(-90 {centre + 3:.1f} {top - 4:.1f})">{escape(label)}</text>'
                )
            else:
                body.append(_text(centre, top - 5, label, 11, "middle", weight="bold"))
        name = w.month(int(month[5:]))
        if not crowded:
            body.append(_text(centre, height - 108, name, 10, "middle", MUTED))
        elif month.endswith("-01") or month == months[0]:
            body.append(_text(rect.x, height - 108, month[:4], 10, color=MUTED))
    notes = [w.gettext("A month without a column had no event on record: a gap, not a zero.")]
    if any(row.events_undisclosed for row in rows):
        notes.append(w.gettext("Dashed box with ?: a figure that was never disclosed (unknown, not zero)."))
    desc = (
        w.gettext(
            "Column chart of the people on record as returned to Ukraine per month (exchanges and local swaps "
            "with figures); months without events are gaps, not zeros."
        )
        + " "
        + "; ".join(
            f"{r.month}: "
            + (w.number(r.on_record_returned_to_ukraine) if r.on_record_returned_to_ukraine is not None else "?")
            + (
                w.ngettext(" (+{count} undisclosed)", " (+{count} undisclosed)", r.events_undisclosed)
                if r.events_undisclosed
                else ""
            )
            for r in rows
        )
    )
    return _frame(
        height - 80,
        w.gettext("People returned per month, on record"),
        desc,
        body,
        notes,
        w.gettext(
            "Source: the event records of this service (exchanges and local swaps with figures),\n"
            "each sourced per event; see /exchanges"
        ),
        lang,
    )


# One colour per publisher (Okabe-Ito, readable by colour-blind readers), plus a dash pattern each.
PUBLISHER_STYLES = {
    "coordination_hq": ("#0072B2", ""),
    "ombudsman": ("#D55E00", "6 3"),
    "president": ("#009E73", "2 2"),
    "ministry_reintegration": ("#CC79A7", "8 2 2 2"),
    "defence_ministry": ("#B07000", "4 4"),
    "defence_intelligence": ("#3A8BC0", "1 3"),
    "sbu": ("#1a1a1a", "10 3"),
    "unnamed": ("#767676", "3 6"),
}


@dataclass(frozen=True)
class Point:
    """One total on the step chart."""

    x: float
    y: float
    value: int
    label: str


def step_lines(
    series: dict[str, list[tuple[dt.date, int]]],
    *,
    left: float,
    top: float,
    width: float,
    height: float,
    start: dt.date,
    end: dt.date,
) -> dict[str, list[Point]]:
    """Points of each series on shared axes: x proportional to the date, y to the value from zero."""
    top_value = max((v for points in series.values() for _, v in points), default=0) or 1
    days = max((end - start).days, 1)
    return {
        name: [
            Point(left + (day - start).days / days * width, top + height - value / top_value * height, value, str(day))
            for day, value in points
        ]
        for name, points in series.items()
    }


def totals_chart(rows: Sequence[PublishedTotalRow], lang: str) -> str:
    """Every body's "since 2022" totals as a step line of its own, on one time axis from zero."""
    w = words(lang)
    series: dict[str, list[tuple[dt.date, int]]] = {}
    names: dict[str, str] = {}
    for row in rows:
        series.setdefault(row.publisher, []).append((row.as_of, row.returned_to_ukraine))
        names[row.publisher] = row.publisher_label_uk if lang == "uk" else row.publisher_label
    start = dt.date(min((r.as_of for r in rows), default=dt.date(2022, 2, 24)).year, 1, 1)
    end = dt.date(max((r.as_of for r in rows), default=start).year + 1, 1, 1)
    left, top, width, baseline = 56.0, 60.0, WIDTH - 76.0, 280.0  # the plot's edges: 220 px tall
    lines = step_lines(series, left=left, top=top, width=width, height=baseline - top, start=start, end=end)
    body = []
    for year in range(start.year, end.year + 1):  # year ticks along the time axis
        x = left + (dt.date(year, 1, 1) - start).days / max((end - start).days, 1) * width
        body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{baseline}" stroke="#d0d0d0"/>')
        if year < end.year:
            body.append(_text(x + 4, baseline + 14, str(year), 11, color=MUTED))
    body.append(f'<line x1="{left}" x2="{left + width}" y1="{baseline}" y2="{baseline}" stroke="{INK}"/>')
    body.append(_text(left - 4, baseline + 4, "0", 10, "end", MUTED))
    top_value = max((p.value for points in lines.values() for p in points), default=0)
    body.append(_text(left - 4, top + 4, w.number(top_value), 10, "end", MUTED))
    stated = {(r.publisher, str(r.as_of)): _stated(r, w) for r in rows}  # "more than" where the body said so
    for publisher, points in lines.items():
        color, dash = PUBLISHER_STYLES.get(publisher, (MUTED, ""))
        path = [f"M{points[0].x:.1f},{points[0].y:.1f}"]
        path += [f"H{after.x:.1f}V{after.y:.1f}" for _, after in pairwise(points)]  # a step: hold, then jump
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(f'<path d="{"".join(path)}" fill="none" stroke="{color}" stroke-width="2"{dashes}/>')
        for point in points:
            body.append(
                f'<circle cx="{point.x:.1f}" cy="{point.y:.1f}" r="3" fill="{color}">'
                f"<title>{escape(names[publisher])}, {point.label}: {stated[publisher, point.label]}</title></circle>"
            )
        last = points[-1]
        if last.label[:4] == str(end.year - 1):  # the latest figures are labelled; the table has the rest
            body.append(_text(last.x + 5, last.y - 5, w.number(last.value), 10, color=color, weight="bold"))
    body += _legend([(publisher, names[publisher]) for publisher in lines], baseline + 36)
    note = w.gettext("The bodies count differently (exchanges only, or every return); none is the total.")
    urls = [u for r in rows for u in r.source_urls]
    desc = (
        w.gettext(
            "Step chart of every official total of people returned since February 2022, one line per body; "
            "the bodies count differently."
        )
        + " "
        + "; ".join(f"{r.as_of} {names[r.publisher]}: {_stated(r, w)}" for r in rows)
    )
    return _frame(
        baseline + 36 + 15 * len(lines) + 6,
        w.gettext("Official totals since 2022, by body"),
        desc,
        body,
        [note],
        _source(w, urls, N_("Sources: the bodies named in the legend,\nvia {publishers}")),
        lang,
    )


def _stated(row: PublishedTotalRow, w: Words) -> str:
    """A body's figure as it stated it: "more than" where it said so."""
    figure = w.number(row.returned_to_ukraine)
    return w.gettext("more than {count}").format(count=figure) if row.returned_is_lower_bound else figure


def _legend(publishers: Sequence[tuple[str, str]], top: float) -> list[str]:
    """One line per body under the plot: its stroke and its name."""
    body = []
    for i, (publisher, name) in enumerate(publishers):
        color, dash = PUBLISHER_STYLES.get(publisher, (MUTED, ""))
        y = top + i * 15
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(f'<line x1="16" x2="40" y1="{y - 4}" y2="{y - 4}" stroke="{color}" stroke-width="2"{dashes}/>')
        body.append(_text(46, y, name, 10))
    return body


def _inside_lines(rows: Sequence[UnitRow], parent: UnitRow, w: Words) -> list[str]:
    """The wrapped "of them" lines under a parent's bar that name the rows counted inside it."""
    phrase = w.gettext("{name} {count}")
    inside = (r for r in rows if r.part_of == parent.unit)
    named = [phrase.format(name=r.label_uk if w.lang == "uk" else r.label, count=w.number(r.people)) for r in inside]
    return wrap(w.gettext("of them: {rows}").format(rows=", ".join(named)), WIDTH - 32) if named else []


def _inside(rows: Sequence[UnitRow], parent: UnitRow, rect: Rect, w: Words) -> list[str]:
    """The rows counted inside a parent's bar, drawn within it, never added to it."""
    body = []
    offset = 0.0
    for child in (r for r in rows if r.part_of == parent.unit):
        length = min(rect.width * child.people / rect.value, rect.width - offset) if rect.value else 0
        name = child.label_uk if w.lang == "uk" else child.label
        body.append(_rect(Rect(rect.x + offset, rect.y + 5, length, 6, child.people, name), INNER, w))
        offset += length
    return body


def units_chart(rows: Sequence[UnitRow], meta: UnitsMeta, lang: str) -> str:
    """Top-level rows as bars, rows inside them drawn inside their bar, the unattributed rest in grey."""
    w = words(lang)
    top_level = [r for r in rows if r.part_of is None]
    values = [r.people for r in top_level] + ([meta.unattributed] if meta.unattributed else [])
    names = [r.label_uk if lang == "uk" else r.label for r in top_level]
    labels = names + ([w.gettext("not attributed in the published breakdown")] if meta.unattributed else [])
    # Each row: a label line, then the bar, then (for rows with others inside) the lines that name them.
    most = max((len(_inside_lines(rows, parent, w)) for parent in top_level), default=0)
    row_height = 40.0 + (18 + LEADING * (most - 1) if most else 0)
    bars = row_bars(values, labels, left=16, top=74, width=WIDTH - 150, row=row_height, thickness=14)
    body = []
    for i, rect in enumerate(bars):
        unattributed = i >= len(top_level)
        body.append(_rect(rect, "url(#grey)" if unattributed else BAR, w))
        body.append(_text(rect.x + rect.width + 6, rect.y + 15, w.number(rect.value), 13, weight="bold"))
        body.append(_text(rect.x, rect.y - 3, rect.label, 11, color=MUTED if unattributed else INK))
        if not unattributed:
            body += _inside(rows, top_level[i], rect, w) + _lines(
                rect.x, rect.y + 32, _inside_lines(rows, top_level[i], w)
            )
    date = w.date(dt.date.fromisoformat(meta.exchange_id[:10]))
    title = w.gettext("Who came back on {date}").format(date=date)
    whole = (
        w.ngettext(
            "Bar chart of the {count} person returned on {date}, by service.",
            "Bar chart of the {count} people returned on {date}, by service.",
            meta.total,
        )
        if meta.total is not None
        else w.gettext("Bar chart of the people returned on {date}, whose number was not disclosed, by service.")
    )
    desc = (
        whole.format(date=date)
        + " "
        + w.gettext(
            "Rows inside another are drawn inside it; people the published breakdown does not place are shown "
            "as unattributed."
        )
        + " "
        + "; ".join(f"{label}: {w.number(value)}" for label, value in zip(labels, values, strict=True))
    )
    bottom = 74 + row_height * max(len(values), 1) + 10
    return _frame(bottom, title, desc, body, [], _source(w, meta.source_urls), lang)
