"""`/feed.atom`: an Atom 1.0 feed of the newest events and published totals, for readers and alerts."""

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from app.i18n import words
from app.openapi import DATA_RESPONSES
from app.params import FeedQuery, asked
from app.record import RecordDep
from app.schemas import ExchangeRow, PublishedTotalRow

router = APIRouter(tags=["service"])
ATOM = "http://www.w3.org/2005/Atom"
# Entry ids are UUIDs named from what the entry is about, so they never change with the host name.
ID_SPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/returns-from-russian-captivity/feed")


def _stable_id(kind: str, key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(ID_SPACE, f'{kind}/{key}')}"


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _entry(feed: ET.Element, day: dt.date, row: ExchangeRow | PublishedTotalRow, lang: str, base: str) -> None:
    """Add one entry: its stable id, its sentence as the title, its date, links to its JSON and the page."""
    if isinstance(row, ExchangeRow):
        entry_id = _stable_id("event", row.id)
        links = [
            ("alternate", "application/json", f"{base}/exchanges/{row.id}"),
            ("related", "text/html", f"{base}/?year={row.date.year}&lang={lang}"),
        ]
    else:
        entry_id = _stable_id("total", row.id)
        query = f"publisher={row.publisher}&date_from={row.as_of}&date_to={row.as_of}"
        links = [
            ("alternate", "application/json", f"{base}/stats/totals?{query}"),
            ("related", "text/html", f"{base}/?lang={lang}#totals"),
        ]
    title = row.sentence
    entry = ET.SubElement(feed, "entry")
    ET.SubElement(entry, "id").text = entry_id
    ET.SubElement(entry, "title").text = title
    ET.SubElement(entry, "updated").text = _timestamp(day)
    for rel, media_type, href in links:
        ET.SubElement(entry, "link", rel=rel, type=media_type, href=href)
    ET.SubElement(entry, "summary").text = title


@router.get(
    "/feed.atom",
    summary="Feed of new records",
    responses={
        200: {
            "content": {
                "application/atom+xml": {
                    "schema": {"type": "string"},
                    "example": '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><entry><id>urn:uuid:…</id>'
                    "<title>Ukraine brought back 189 people from Russian captivity in the 59th exchange of 30 "
                    "December 2024, Ukraine's official figure.</title><updated>2024-12-30T00:00:00Z</updated>"
                    "</entry></feed>",
                }
            }
        },
        400: DATA_RESPONSES[400],
    },
)
async def feed(request: Request, record: RecordDep, query: Annotated[FeedQuery, Query()]) -> Response:
    """An Atom 1.0 feed of the newest return events and published totals, newest first: each entry
    has a stable id, its date as `updated`, its quote-ready sentence as the title (`?lang=uk` for
    Ukrainian), and links to its JSON and to the page."""
    chosen, entries = query.language(request), query.entries
    base = asked(request).base_url
    newest: list[tuple[dt.date, str, ExchangeRow | PublishedTotalRow]] = [
        *((event.date, f"event {event.id}", event) for event in record.newest_events(entries, chosen)),
        *((total.as_of, f"total {total.id}", total) for total in record.totals_in(chosen)),
    ]
    newest.sort(key=lambda item: (item[0], item[1]), reverse=True)
    root = ET.Element("feed", {"xmlns": ATOM, "xml:lang": chosen})
    ET.SubElement(root, "id").text = _stable_id("feed", chosen)
    ET.SubElement(root, "title").text = words(chosen).gettext("Returns from Russian captivity to Ukraine: new records")
    ET.SubElement(root, "updated").text = _timestamp(record.dataset.as_of)
    ET.SubElement(root, "link", rel="self", type="application/atom+xml", href=f"{base}/feed.atom?lang={chosen}")
    ET.SubElement(root, "link", rel="alternate", type="text/html", href=f"{base}/?lang={chosen}")
    author = ET.SubElement(root, "author")
    ET.SubElement(author, "name").text = words(chosen).gettext("Returns from Russian captivity to Ukraine")
    for day, _, row in newest[:entries]:
        _entry(root, day, row, chosen, base)
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return Response(body, media_type="application/atom+xml", headers={"Vary": "Accept-Language"})
