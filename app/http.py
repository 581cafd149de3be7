"""The HTTP layer around the app: one pure ASGI middleware, in three parts by what they do.

- Limits: a request too costly or too odd to route (URL, headers, query, encoded separators, a
  parameter given twice) or a method this read-only API does not take is answered here.
- CORS: every response carries the headers a browser on another origin needs; OPTIONS is the preflight.
- Answers: the request is parsed once (app.headers: a header the answer depends on given twice, or a
  Host not allowed, is refused); a 200 rendered for a (dataset, that parse) key is final while that
  dataset is served, so it is kept with its ETag and compressed variants in a byte-bounded LRU;
  conditional requests get a 304, HEAD no body. The app renders from the same parse (scope state
  `asked`), and sees the configured public address as its Host, so its own URLs name it too.

Starlette's CORSMiddleware and GZipMiddleware would redo their work per request and leave CORS headers
off a request without Origin, which a shared cache would then serve to browsers.
"""

import datetime as dt
import gzip
import hashlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar, Protocol
from urllib.parse import unquote_to_bytes

import brotli

from app.config import Settings
from app.headers import Address, Asked, RequestRefusedError, netloc, parse
from app.problems import PROBLEM_JSON, ProblemError, bad_parameter, problem_body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Headers = list[tuple[bytes, bytes]]

READ_METHODS = "GET, HEAD, OPTIONS"
COMPRESS_FROM = 1024  # bytes; smaller bodies gain less than the header costs
# Brotli's quality for answers made on a miss: 5 costs a tenth of 9's time for a few per cent more bytes,
# so a miss (or an answer too large to keep) is cheap to compress.
BROTLI_QUALITY = 5
# What an entry costs beside its body (its key, headers and variants' messages), so that the cache's
# bound is its memory, not only its bodies.
ENTRY_OVERHEAD = 4096
# HTML pages get a strict policy unless the route sets its own.
HTML_HEADERS: Headers = [
    (
        b"content-security-policy",
        b"default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        b"frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    ),
    (b"referrer-policy", b"no-referrer"),
]
# A 304 repeats the 200's headers except those that describe the body it does not send.
NOT_MODIFIED_DROPS = (b"content-length", b"content-type", b"content-encoding", b"content-disposition")


class Served(Protocol):
    """What the HTTP layer knows of the dataset being served: its identity and its date."""

    @property
    def digest(self) -> str: ...

    @property
    def modified_at(self) -> dt.datetime: ...

    @property
    def last_modified(self) -> str: ...


def cache_control(settings: Settings) -> bytes:
    """Every 200's Cache-Control, from the operator's settings (the one place it is built)."""
    swr = settings.cache_stale_while_revalidate
    return f"public, max-age={settings.cache_max_age}, stale-while-revalidate={swr}".encode()


class Limits:
    """What one request may cost and do: no legitimate client of this API comes near these."""

    MAX_URL_BYTES = 2048
    MAX_HEADER_BYTES = 4096
    MAX_HEADERS_BYTES = 8192
    MAX_QUERY_PARAMETERS = 16
    # Encoded slashes, backslashes and NULs in a path only ever serve to confuse routing.
    ENCODED_SEPARATORS = (b"%2f", b"%5c", b"%00")

    @classmethod
    def refusal(cls, scope: Scope) -> ProblemError | None:
        """The problem with a request this API does not take, else None."""
        method = scope["method"]
        if method not in ("GET", "HEAD", "OPTIONS"):
            detail = f"{method} is not allowed: this API is read-only; allowed: {READ_METHODS}"
            return ProblemError(405, detail, headers={"Allow": READ_METHODS})
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
        query: bytes = scope["query_string"]
        if (  # the usual request, far from every limit, is told at a glance
            len(raw_path) + len(query) <= cls.MAX_URL_BYTES
            and b"%" not in raw_path
            and b"&" not in query
            and sum([len(name) + len(value) for name, value in scope["headers"]]) <= cls.MAX_HEADER_BYTES
        ):
            return None
        return cls._too_costly(raw_path, query, scope["headers"]) or cls._given_twice(query)

    @classmethod
    def _too_costly(cls, raw_path: bytes, query: bytes, headers: Headers) -> ProblemError | None:
        if query.count(b"&") + 1 > cls.MAX_QUERY_PARAMETERS:
            return bad_parameter("query", "too many parameters", f"at most {cls.MAX_QUERY_PARAMETERS}")
        if len(raw_path) + len(query) > cls.MAX_URL_BYTES:
            return bad_parameter("URL", "too long", f"at most {cls.MAX_URL_BYTES} bytes", "path", 414)
        sizes = [len(name) + len(value) for name, value in headers]
        if sum(sizes) > cls.MAX_HEADERS_BYTES or max(sizes, default=0) > cls.MAX_HEADER_BYTES:
            name = max(headers, key=lambda h: len(h[0]) + len(h[1]))[0].decode("latin-1")
            allowed = f"at most {cls.MAX_HEADER_BYTES} bytes a header, {cls.MAX_HEADERS_BYTES} in all"
            return bad_parameter(name, "too large", allowed, "header", 431)
        if any(separator in raw_path.lower() for separator in cls.ENCODED_SEPARATORS):
            return bad_parameter("path", "holds an encoded '/', '\\' or NUL", "plain path segments", "path")
        return None

    @staticmethod
    def _given_twice(query: bytes) -> ProblemError | None:
        """A query parameter given twice: a route's query model reads one value a name, so the other
        would silently go unread."""
        # Compared as the framework reads them: `year` and `%79ear` are one name.
        names = [unquote_to_bytes(part.partition(b"=")[0].replace(b"+", b" ")) for part in query.split(b"&")]
        twice = next((name for i, name in enumerate(names) if name in names[:i]), None)
        return (
            None if twice is None else bad_parameter(twice.decode("latin-1"), "given more than once", "a single value")
        )


class Cors:
    """Cross-origin reading: the headers on every response, and the answer to a preflight."""

    EXPOSED = b"ETag, Last-Modified, Link, X-Total-Count, Content-Disposition"
    HEADERS: ClassVar[Headers] = [
        (b"access-control-allow-origin", b"*"),
        (b"access-control-expose-headers", EXPOSED),
        (b"x-content-type-options", b"nosniff"),
    ]

    @classmethod
    def preflight(cls, headers: dict[bytes, bytes]) -> Headers:
        """OPTIONS: the methods allowed, and for a CORS preflight (GET or HEAD asked) what it may send."""
        answer = [(b"allow", READ_METHODS.encode())]
        if b"access-control-request-method" in headers:
            answer += [(b"access-control-allow-methods", READ_METHODS.encode()), (b"access-control-max-age", b"86400")]
            requested = headers.get(b"access-control-request-headers", b"")
            if requested:
                answer.append((b"access-control-allow-headers", requested[:1024]))
        return answer


async def _send(send: Send, status: int, headers: Headers, body: bytes, head: bool, media_type: str = "") -> None:
    """Send a whole response, with the headers every response carries."""
    names = {name for name, _ in headers}
    full = [*headers, *((n, v) for n, v in Cors.HEADERS if n not in names)]
    if media_type:
        full.append((b"content-type", media_type.encode()))
    if status not in {204, 304}:
        full.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": full})
    await send({"type": "http.response.body", "body": b"" if head else body})


@dataclass(frozen=True)
class Variant:
    """One content coding of an entry: its 200 headers, body and ETag."""

    headers: Headers
    body: bytes
    tag: str


@dataclass
class Entry:
    """A rendered 200 response and its encodings, made on first use per coding."""

    headers: Headers
    body: bytes
    tag: str
    compressible: bool  # False for a route that names its own entity (the database file)
    variants: dict[str, Variant] = field(default_factory=dict)

    @property
    def size(self) -> int:
        encoded = sum(len(variant.body) for coding, variant in self.variants.items() if coding != "identity")
        return ENTRY_OVERHEAD + len(self.body) + encoded


class ResponseCache:
    """A byte-bounded LRU of entries: the least recently used go first once `max_bytes` is passed."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.entries: OrderedDict[tuple[Any, ...], Entry] = OrderedDict()
        self.bytes = 0

    def get(self, key: tuple[Any, ...]) -> Entry | None:
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def fits(self, entry: Entry) -> bool:
        """Whether an entry is small enough to keep: at most a fifth of the cache."""
        return entry.size <= self.max_bytes // 5

    def put(self, key: tuple[Any, ...], entry: Entry) -> None:
        """Keep an entry that fits, dropping the least recently used ones to make room."""
        if not self.fits(entry) or key in self.entries:
            return
        self.entries[key] = entry
        self.bytes += entry.size
        self._trim()

    def grew(self, key: tuple[Any, ...], entry: Entry, added: int) -> None:
        """Count the bytes of a variant added to the entry kept for `key` (another is not kept)."""
        if self.entries.get(key) is entry:
            self.bytes += added
            self._trim()

    def _trim(self) -> None:
        while self.bytes > self.max_bytes and self.entries:
            _, dropped = self.entries.popitem(last=False)
            self.bytes -= dropped.size

    def clear(self) -> None:
        self.entries.clear()
        self.bytes = 0


def tags(if_none_match: str) -> set[str]:
    """The entity tags of an If-None-Match header, weak markers removed."""
    return {tag.strip().removeprefix("W/") for tag in if_none_match.split(",") if tag.strip()}


def not_modified(headers: dict[bytes, bytes], tag: str, served: Served) -> bool:
    """Whether a conditional request already holds this answer (If-None-Match first, as RFC 9110 says)."""
    if_none_match = headers.get(b"if-none-match")
    if if_none_match is not None:
        held = tags(if_none_match.decode("latin-1"))
        return "*" in held or tag in held
    if_modified_since = headers.get(b"if-modified-since")
    if if_modified_since is not None:
        try:
            since = parsedate_to_datetime(if_modified_since.decode("latin-1"))
        except (TypeError, ValueError):
            return False
        return since.tzinfo is not None and since >= served.modified_at
    return False


class Answers:
    """The response cache and what is derived from an entry: its variant per coding, with the
    headers every 200 carries (ETag, Last-Modified, Cache-Control, Vary, CORS)."""

    def __init__(self, max_bytes: int, cache_control: bytes) -> None:
        self.cache = ResponseCache(max_bytes)
        self.cache_control = cache_control
        self.digest: str | None = None  # the dataset the kept answers were made from

    def entry(self, status: int, headers: Headers, body: bytes, served: Served) -> Entry | None:
        """A cacheable 200 as an entry, or None (another status, or a route that set its own caching)."""
        if status != 200 or any(n == b"cache-control" for n, _ in headers):
            return None
        own_tag = next((v for n, v in headers if n == b"etag"), None)
        if own_tag is not None:  # the route names its entity (the database file: its digest)
            headers = [(n, v) for n, v in headers if n != b"etag"]
            return Entry(headers, body, own_tag.decode("latin-1").strip('"'), compressible=False)
        content_type = next((v for n, v in headers if n == b"content-type"), b"")
        digest = hashlib.sha256(served.digest.encode() + b"\0" + content_type + b"\0")
        digest.update(body)
        return Entry(headers, body, digest.hexdigest()[:32], compressible=True)

    def variant(self, key: tuple[Any, ...], entry: Entry, asked: str, served: Served) -> Variant:
        """The entry in the coding a client asked for (made once per coding, then reused)."""
        name = asked if len(entry.body) >= COMPRESS_FROM and entry.compressible else "identity"
        variant = entry.variants.get(name)
        if variant is not None:
            return variant
        if name == "br":
            body = brotli.compress(entry.body, quality=BROTLI_QUALITY)
        elif name == "gzip":
            body = gzip.compress(entry.body, compresslevel=6, mtime=0)
        else:
            body = entry.body
        tag = f'"{entry.tag}"' if name == "identity" else f'"{entry.tag}-{name}"'
        varies = b", ".join([b"Accept, Accept-Encoding", *(v for n, v in entry.headers if n == b"vary")])
        headers = [
            *(h for h in entry.headers if h[0] != b"vary"),
            *Cors.HEADERS,
            (b"etag", tag.encode()),
            (b"last-modified", served.last_modified.encode()),
            (b"cache-control", self.cache_control),
            (b"vary", varies),
            (b"content-length", str(len(body)).encode()),
        ]
        if name != "identity":
            headers.append((b"content-encoding", name.encode()))
        variant = entry.variants[name] = Variant(headers, body, tag)
        if name != "identity":
            self.cache.grew(key, entry, len(body))
        return variant


class HttpLayer:
    """Read-only HTTP semantics, CORS and the response cache around the app (see the module)."""

    def __init__(
        self, app: ASGIApp, current: Callable[[], Served], cache_control: bytes, max_bytes: int, address: Address
    ) -> None:
        self.app = app
        self.current = current  # the dataset being served, switched when the database file is rebuilt
        self.answers = Answers(max_bytes, cache_control)
        self.address = address

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        asked = self._asked(scope)
        if isinstance(asked, ProblemError):
            refusal = asked
            body = problem_body(refusal.status, refusal.detail, refusal.errors)
            answer = [(n.lower().encode(), v.encode()) for n, v in refusal.headers.items()]
            await _send(send, refusal.status, answer, body, head, PROBLEM_JSON)
            return
        headers = dict(scope["headers"])
        if scope["method"] == "OPTIONS":
            await _send(send, 204, Cors.preflight(headers), b"", False)
            return
        served = self.current()
        if served.digest != self.answers.digest:  # a new database file: forget every answer
            self.answers.cache.clear()
            self.answers.digest = served.digest
        key = (served.digest, *asked.key)
        entry = self.answers.cache.get(key)
        if entry is None:
            entry = await self._render(self._app_scope(scope, asked), receive, send, head, served)
            if entry is None:
                return
            self.answers.cache.put(key, entry)
        variant = self.answers.variant(key, entry, asked.coding, served)
        if not_modified(headers, variant.tag, served):
            unchanged = [(n, v) for n, v in variant.headers if n not in NOT_MODIFIED_DROPS]
            await send({"type": "http.response.start", "status": 304, "headers": unchanged})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": variant.headers})
        await send({"type": "http.response.body", "body": b"" if head else variant.body})

    def _asked(self, scope: Scope) -> Asked | ProblemError:
        """The one parse of the request, or the problem with a request this API does not take."""
        refusal = Limits.refusal(scope)
        if refusal is not None:
            return refusal
        try:
            return parse(scope, self.address)
        except RequestRefusedError as error:
            return bad_parameter(error.name, error.problem, error.allowed, "header")

    def _app_scope(self, scope: Scope, asked: Asked) -> Scope:
        """The request as the app sees it: always GET (HEAD is this layer's), the parse in its state,
        and with a configured public address, that address as its scheme and Host (so a redirect the
        framework makes names it too)."""
        app_scope = {**scope, "method": "GET", "state": {**scope.get("state", {}), "asked": asked}}
        if self.address.public_url:
            host = netloc(self.address.public_url).encode("latin-1")
            app_scope["scheme"] = self.address.public_url.partition("://")[0]
            app_scope["headers"] = [(n, v) for n, v in scope["headers"] if n != b"host"] + [(b"host", host)]
        return app_scope

    async def _render(self, scope: Scope, receive: Receive, send: Send, head: bool, served: Served) -> Entry | None:
        """Run the app; return a cacheable 200 as an entry, or send any other answer and return None."""
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        try:
            await self.app(scope, receive, capture)
        except Exception:
            body = problem_body(500, "The server failed to answer this request; it has been logged.")
            await _send(send, 500, [], body, head, PROBLEM_JSON)
            raise
        status, body = start.get("status", 500), b"".join(chunks)
        headers = [(n, v) for n, v in start.get("headers", []) if n != b"content-length"]
        if any(n == b"content-type" and v.startswith(b"text/html") for n, v in headers):
            names = {n for n, _ in headers}
            headers += [(n, v) for n, v in HTML_HEADERS if n not in names]
        entry = self.answers.entry(status, headers, body, served)
        if entry is None:
            await _send(send, status, headers, body, head)
        return entry
