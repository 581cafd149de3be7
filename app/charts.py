"""Self-contained SVG charts: geometry as plain data (tested), then markup with inline styles."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from itertools import groupby
from urllib.parse import urlsplit

from app.i18n import TEXT
from app.schemas import ExchangeRow, UnitRow, UnitsMeta, YearlyRow

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


def short_date(day: dt.date, lang: str) -> str:
    """A day and month no reader can misread: 3 Jan / 3 січ (never 03.01, day or month first?)."""
    return f"{day.day} {TEXT[lang]['months'].split()[day.month - 1]}"


def number(value: int, lang: str) -> str:
    """Digits grouped as each language prints them: 3,956 / 3 956."""
    return f"{value:,}".replace(",", "\u00a0" if lang == "uk" else ",")


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


def _rect(rect: Rect, fill: str) -> str:
    return (
        f'<rect x="{rect.x:.1f}" y="{rect.y:.1f}" width="{rect.width:.1f}" height="{rect.height:.1f}" '
        f'fill="{fill}"><title>{escape(rect.label)}: {rect.value}</title></rect>'
    )


def publishers(urls: Sequence[str], most: int = 3) -> str:
    """The first few distinct publishing sites among source URLs."""
    hosts: list[str] = []
    for url in urls:
        host = urlsplit(url).netloc.removeprefix("www.")
        if host not in hosts:
            hosts.append(host)
    return ", ".join(hosts[:most]) + (" …" if len(hosts) > most else "")


def _source(t: dict[str, str], urls: Sequence[str]) -> str:
    """The source line, as two lines: who reported the figures, and where they were published."""
    return (
        t["source_line"]
        .format(publishers=publishers(urls))
        .replace(", via ", ",\nvia ")
        .replace(", через ", ",\nчерез ")
    )


def _frame(height: float, title: str, desc: str, body: list[str], source: str, lang: str) -> str:
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
            *(_text(16, height - 24 + 12 * i, line, 10, color=MUTED) for i, line in enumerate(source.split("\n"))),
            "</svg>",
        ]
    )


def yearly_chart(rows: Sequence[YearlyRow], lang: str) -> str:
    """People returned per year; derived years hatched and labelled, unknown exchange counts said so."""
    t = TEXT[lang]
    height = 360.0
    bars = column_bars(
        [r.returned_to_ukraine for r in rows],
        [str(r.year) for r in rows],
        left=40,
        top=70,
        width=WIDTH - 60,
        height=height - 170,
    )
    body = []
    for row, rect in zip(rows, bars, strict=True):
        derived = row.basis == "derived"
        centre = rect.x + rect.width / 2
        body.append(_rect(rect, "url(#hatch)" if derived else BAR))
        if derived:
            body.append(
                f'<rect x="{rect.x:.1f}" y="{rect.y:.1f}" width="{rect.width:.1f}" height="{rect.height:.1f}" '
                f'fill="none" stroke="{BAR}" stroke-width="2"/>'
            )
        label = number(row.returned_to_ukraine, lang) + (f" ({t['derived']})" if derived else "")
        body.append(_text(centre, rect.y - 8, label, 14, "middle", weight="bold"))
        body.append(_text(centre, height - 78, str(row.year), 13, "middle"))
        exchanges = number(row.exchanges, lang) if row.exchanges is not None else t["unknown"]
        body.append(_text(centre, height - 60, f"{t['exchanges']}: {exchanges}", 11, "middle", MUTED))
    if any(r.basis == "derived" for r in rows):
        body.append(_text(16, height - 42, t["derived_note"], 11, color=MUTED))
    urls = [u for r in rows for u in r.source_urls]
    desc = t["yearly_desc"] + " " + "; ".join(f"{r.year}: {r.returned_to_ukraine} ({t[r.basis]})" for r in rows)
    return _frame(height, t["yearly"], desc, body, _source(t, urls), lang)


def timeline_chart(events: Sequence[ExchangeRow], year: int | str, lang: str) -> str:
    """One bar per exchange in date order; an exchange in stages is one bar split by stage."""
    t = TEXT[lang]
    height = 380.0
    exchanges = [list(group) for _, group in groupby(events, key=lambda e: e.exchange_ordinal)]
    totals = [sum(e.returned_to_ukraine for e in group) for group in exchanges]
    labels = [f"{t['exchange']} {group[0].exchange_ordinal}" for group in exchanges]
    bars = column_bars(totals, labels, left=30, top=70, width=WIDTH - 50, height=height - 180)
    body = []
    for group, rect in zip(exchanges, bars, strict=True):
        centre = rect.x + rect.width / 2
        bottom = rect.y + rect.height
        for event in group:  # stages stacked from the baseline up, split by a white line
            part = rect.height * event.returned_to_ukraine / rect.value
            stage = Rect(
                rect.x,
                bottom - part,
                rect.width,
                part,
                event.returned_to_ukraine,
                f"{event.id}" + (f", {t['stage']} {event.exchange_stage}" if event.exchange_stage else ""),
            )
            body.append(_rect(stage, BAR if (event.exchange_stage or 1) % 2 else "url(#hatch)"))
            body.append(
                f'<line x1="{rect.x:.1f}" x2="{rect.x + rect.width:.1f}" y1="{bottom - part:.1f}" '
                f'y2="{bottom - part:.1f}" stroke="{BACKGROUND}" stroke-width="1.5"/>'
            )
            bottom -= part
        value = "+".join(str(e.returned_to_ukraine) for e in group) if len(group) > 1 else str(rect.value)
        body.append(_text(centre, rect.y - 6, value, 11, "middle", weight="bold"))
        body.append(_text(centre, height - 88, str(group[0].exchange_ordinal), 11, "middle"))
        body.append(_text(centre, height - 74, short_date(group[0].date, lang), 10, "middle", MUTED))
    body.append(_text(16, height - 60, f"{t['exchange']} / {t['date']}", 10, color=MUTED))
    staged = [g for g in exchanges if len(g) > 1]
    for i, group in enumerate(staged):
        note = t["stages_note"].format(ordinal=group[0].exchange_ordinal, stages=len(group))
        body.append(_text(16, height - 44 + i * 12, note, 11, color=MUTED))
    urls = [u for e in events for u in e.source_urls]
    title = t["timeline"].format(year=year)
    desc = (
        t["timeline_desc"].format(events=len(events), year=year, exchanges=len(exchanges))
        + " "
        + "; ".join(f"{e.id}: {e.returned_to_ukraine}" for e in events)
    )
    return _frame(height, title, desc, body, _source(t, urls), lang)


def units_chart(rows: Sequence[UnitRow], meta: UnitsMeta, lang: str) -> str:
    """Top-level rows as bars, rows inside them drawn inside their bar, the unattributed rest in grey."""
    t = TEXT[lang]
    top_level = [r for r in rows if r.part_of is None]
    values = [r.people for r in top_level] + ([meta.unattributed] if meta.unattributed else [])
    names = [r.label_uk if lang == "uk" else r.label for r in top_level]
    labels = names + ([t["unattributed"]] if meta.unattributed else [])
    nested = any(r.part_of is not None for r in rows)
    row_height = 54.0 if nested else 40.0  # room for an "of them" line under a bar
    height = 120 + row_height * max(len(values), 1)
    # Each row: a label line, then the bar, then (for nested rows) an "of them" line.
    bars = row_bars(values, labels, left=16, top=74, width=WIDTH - 150, row=row_height, thickness=14)
    body = []
    for i, rect in enumerate(bars):
        unattributed = i >= len(top_level)
        body.append(_rect(rect, "url(#grey)" if unattributed else BAR))
        body.append(_text(rect.x + rect.width + 6, rect.y + 15, number(rect.value, lang), 13, weight="bold"))
        if unattributed:
            body.append(_text(rect.x, rect.y - 3, rect.label, 11, color=MUTED))
            continue
        offset = 0.0
        inside = [r for r in rows if r.part_of == top_level[i].unit]
        notes: list[str] = []
        for child in inside:  # drawn within the parent's bar, never added to it
            length = min(rect.width * child.people / rect.value, rect.width - offset) if rect.value else 0
            body.append(
                _rect(
                    Rect(
                        rect.x + offset,
                        rect.y + 5,
                        length,
                        6,
                        child.people,
                        child.label_uk if lang == "uk" else child.label,
                    ),
                    INNER,
                )
            )
            offset += length
            notes.append(f"{child.label_uk if lang == 'uk' else child.label} {number(child.people, lang)}")
        body.append(_text(rect.x, rect.y - 3, rect.label, 11))
        if notes:
            body.append(_text(rect.x, rect.y + 32, f"{t['inside']}: " + ", ".join(notes), 10, color=MUTED))
    date = meta.exchange_id
    title = t["units"].format(date=date)
    desc = (
        t["units_desc"].format(total=meta.total, date=date)
        + " "
        + "; ".join(f"{label}: {value}" for label, value in zip(labels, values, strict=True))
    )
    return _frame(height, title, desc, body, _source(t, meta.source_urls), lang)
