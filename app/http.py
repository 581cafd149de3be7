"""The HTTP layer around the app: limits, methods, CORS, caching headers, 304s, compression, HEAD.

One pure ASGI middleware, because the data are read-only: a 200 rendered for a (path, query, Accept,
Accept-Language, host, scheme) key is final while the database file is served, so it is kept with its
ETag and compressed variants in a byte-bounded LRU, emptied when the dataset changes. Starlette's
CORSMiddleware and GZipMiddleware would redo their work per request and leave CORS headers off a
request without Origin, which a shared cache would then serve to browsers.
"""

import functools
import gzip
import hashlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

import brotli

from app.problems import PROBLEM_JSON, ProblemError, bad_parameter, problem_body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Headers = list[tuple[bytes, bytes]]

READ_METHODS = "GET, HEAD, OPTIONS"
EXPOSED = "ETag, Last-Modified, Link, X-Total-Count, Content-Disposition"
COMPRESS_FROM = 1024  # bytes; smaller bodies gain less than the header costs
# What an entry costs beside its body (its key, headers and variants' messages), so that the cache's
# bound is its memory, not only its bodies.
ENTRY_OVERHEAD = 4096
# What one request may cost: no legitimate client of this API comes near these.
MAX_URL_BYTES = 2048
MAX_HEADER_BYTES = 4096
MAX_HEADERS_BYTES = 8192
MAX_QUERY_PARAMETERS = 16
# Encoded slashes, backslashes and NULs in a path only ever serve to confuse routing.
ENCODED_SEPARATORS = (b"%2f", b"%5c", b"%00")
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
# Sent on every response, errors included.
COMMON_HEADERS: Headers = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-expose-headers", EXPOSED.encode()),
    (b"x-content-type-options", b"nosniff"),
]


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


@functools.lru_cache(maxsize=256)  # clients send a handful of distinct values
def _coding(accept_encoding: bytes) -> str:
    """The best content coding the client takes: br, then gzip, then identity."""
    accepted: dict[str, float] = {}
    for part in accept_encoding.decode("latin-1").lower().split(","):
        name, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        accepted[name.strip()] = quality
    for coding in ("br", "gzip"):
        if accepted.get(coding, accepted.get("*", 0.0)) > 0:
            return coding
    return "identity"


def _tags(if_none_match: str) -> set[str]:
    """The entity tags of an If-None-Match header, weak markers removed."""
    return {tag.strip().removeprefix("W/") for tag in if_none_match.split(",") if tag.strip()}


def _refusal(scope: Scope) -> ProblemError | None:
    """The problem with a request too costly or too odd to route, else None."""
    raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
    query: bytes = scope["query_string"]
    headers = scope["headers"]
    if (  # the usual request, far from every limit, is told at a glance
        len(raw_path) + len(query) <= MAX_URL_BYTES
        and b"%" not in raw_path
        and query.count(b"&") + 1 < MAX_QUERY_PARAMETERS
        and sum([len(name) + len(value) for name, value in headers]) <= MAX_HEADER_BYTES
    ):
        return None
    if query.count(b"&") + 1 > MAX_QUERY_PARAMETERS:
        return bad_parameter("query", "too many parameters", f"at most {MAX_QUERY_PARAMETERS}")
    if len(raw_path) + len(query) > MAX_URL_BYTES:
        return bad_parameter("URL", "too long", f"at most {MAX_URL_BYTES} bytes", "path", 414)
    sizes = [len(name) + len(value) for name, value in scope["headers"]]
    if sum(sizes) > MAX_HEADERS_BYTES or max(sizes, default=0) > MAX_HEADER_BYTES:
        name = max(scope["headers"], key=lambda h: len(h[0]) + len(h[1]))[0].decode("latin-1")
        allowed = f"at most {MAX_HEADER_BYTES} bytes a header, {MAX_HEADERS_BYTES} in all"
        return bad_parameter(name, "too large", allowed, "header", 431)
    if any(separator in raw_path.lower() for separator in ENCODED_SEPARATORS):
        return bad_parameter("path", "holds an encoded '/', '\\' or NUL", "plain path segments", "path")
    return None


async def _send(
    send: Send, status: int, headers: Headers, body: bytes, head: bool, media_type: str | None = None
) -> None:
    """Send a whole response, with the headers every response carries."""
    names = {name for name, _ in headers}
    full = [*headers, *((n, v) for n, v in COMMON_HEADERS if n not in names)]
    if media_type:
        full.append((b"content-type", media_type.encode()))
    if status not in {204, 304}:
        full.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": full})
    await send({"type": "http.response.body", "body": b"" if head else body})


class HttpLayer:
    """Read-only HTTP semantics and a response cache, emptied when the dataset changes."""

    def __init__(self, app: ASGIApp, max_bytes: int = 32 * 1024 * 1024) -> None:
        self.app = app
        self.cache = ResponseCache(max_bytes)
        self.digest: str | None = None  # the dataset the cached answers were made from

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        head = method == "HEAD"
        refusal = _refusal(scope)
        if refusal is not None:
            await _send(
                send,
                refusal.status,
                [],
                problem_body(refusal.status, refusal.detail, refusal.errors),
                head,
                PROBLEM_JSON,
            )
            return
        headers = dict(scope["headers"])
        if method == "OPTIONS":
            await self._options(headers, send)
            return
        if not head and method != "GET":
            detail = f"{method} is not allowed: this API is read-only; allowed: {READ_METHODS}"
            body = problem_body(405, detail)
            await _send(send, 405, [(b"allow", READ_METHODS.encode())], body, head, PROBLEM_JSON)
            return
        dataset = scope["app"].state.dataset
        if dataset.digest != self.digest:  # a new database file: forget every answer
            self.cache.clear()
            self.digest = dataset.digest
        key = (
            scope["path"],
            scope["query_string"],
            headers.get(b"accept", b""),
            headers.get(b"accept-language", b""),
            headers.get(b"host", b""),  # the page's embed snippets and the package's URLs name the host
            scope["scheme"],  # and the scheme, which a trusted proxy may set
        )
        entry = self.cache.get(key)
        if entry is None:
            entry = await self._render(scope, receive, send, head, dataset)
            if entry is None:
                return
            # A body too large to keep would be compressed afresh for every request: send it as it is.
            entry.compressible = entry.compressible and self.cache.fits(entry)
            self.cache.put(key, entry)
        variant = self._variant(key, entry, _coding(headers.get(b"accept-encoding", b"")), dataset)
        if self._not_modified(headers, variant.tag, dataset):
            unchanged = [(n, v) for n, v in variant.headers if n not in NOT_MODIFIED_DROPS]
            await send({"type": "http.response.start", "status": 304, "headers": unchanged})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": variant.headers})
        await send({"type": "http.response.body", "body": b"" if head else variant.body})

    async def _render(self, scope: Scope, receive: Receive, send: Send, head: bool, dataset: Any) -> Entry | None:
        """Run the app; return a cacheable 200 as an Entry, or send any other answer and return None."""
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        try:
            await self.app({**scope, "method": "GET"}, receive, capture)
        except Exception:
            body = problem_body(500, "The server failed to answer this request; it has been logged.")
            await _send(send, 500, [], body, head, PROBLEM_JSON)
            raise
        status, body = start.get("status", 500), b"".join(chunks)
        headers = [(n, v) for n, v in start.get("headers", []) if n != b"content-length"]
        if any(n == b"content-type" and v.startswith(b"text/html") for n, v in headers):
            names = {n for n, _ in headers}
            headers += [(n, v) for n, v in HTML_HEADERS if n not in names]
        if status != 200 or any(n == b"cache-control" for n, _ in headers):
            await _send(send, status, headers, body, head)
            return None
        own_tag = next((v for n, v in headers if n == b"etag"), None)
        if own_tag is not None:  # the route names its entity (the database file: its digest)
            headers = [(n, v) for n, v in headers if n != b"etag"]
            return Entry(headers, body, own_tag.decode("latin-1").strip('"'), compressible=False)
        content_type = next((v for n, v in headers if n == b"content-type"), b"")
        digest = hashlib.sha256(dataset.digest.encode() + b"\0" + content_type + b"\0")
        digest.update(body)
        return Entry(headers, body, digest.hexdigest()[:32], compressible=True)

    def _variant(self, key: tuple[Any, ...], entry: Entry, asked: str, dataset: Any) -> Variant:
        """The entry in the coding a client asked for (made once per coding, then reused)."""
        coding = asked if len(entry.body) >= COMPRESS_FROM and entry.compressible else "identity"
        variant = entry.variants.get(coding)
        if variant is not None:
            return variant
        if coding == "br":
            body = brotli.compress(entry.body, quality=9)
        elif coding == "gzip":
            body = gzip.compress(entry.body, compresslevel=6, mtime=0)
        else:
            body = entry.body
        tag = f'"{entry.tag}"' if coding == "identity" else f'"{entry.tag}-{coding}"'
        varies = b", ".join([b"Accept, Accept-Encoding", *(v for n, v in entry.headers if n == b"vary")])
        headers = [
            *(h for h in entry.headers if h[0] != b"vary"),
            *COMMON_HEADERS,
            (b"etag", tag.encode()),
            (b"last-modified", dataset.last_modified.encode()),
            (b"cache-control", dataset.cache_control.encode()),
            (b"vary", varies),
            (b"content-length", str(len(body)).encode()),
        ]
        if coding != "identity":
            headers.append((b"content-encoding", coding.encode()))
        variant = entry.variants[coding] = Variant(headers, body, tag)
        if coding != "identity":
            self.cache.grew(key, entry, len(body))
        return variant

    @staticmethod
    def _not_modified(headers: dict[bytes, bytes], tag: str, dataset: Any) -> bool:
        if_none_match = headers.get(b"if-none-match")
        if if_none_match is not None:
            tags = _tags(if_none_match.decode("latin-1"))
            return "*" in tags or tag in tags
        if_modified_since = headers.get(b"if-modified-since")
        if if_modified_since is not None:
            try:
                since = parsedate_to_datetime(if_modified_since.decode("latin-1"))
            except (TypeError, ValueError):
                return False
            return since.tzinfo is not None and since >= dataset.modified_at
        return False

    @staticmethod
    async def _options(headers: dict[bytes, bytes], send: Send) -> None:
        """CORS preflight for GET/HEAD, or the plain list of allowed methods."""
        extra = [(b"allow", READ_METHODS.encode())]
        if b"access-control-request-method" in headers:
            requested = headers.get(b"access-control-request-headers", b"")
            extra += [
                (b"access-control-allow-methods", READ_METHODS.encode()),
                (b"access-control-max-age", b"86400"),
            ]
            if requested:
                extra.append((b"access-control-allow-headers", requested[:1024]))
        await _send(send, 204, extra, b"", False)
