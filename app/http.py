"""The HTTP layer around the app: methods, CORS, caching headers, 304s, compression, HEAD.

It is one pure ASGI middleware because the data are read-only: a response, once rendered for a
(path, query, Accept) triple, is final for the life of the process, so it is kept with its ETag and
its compressed variants and every later request for it is answered from memory. Starlette's
CORSMiddleware and GZipMiddleware would each redo their work per request and omit CORS headers
when a request has no Origin, which a shared cache would then serve to browsers.
"""

import gzip
import hashlib
from collections.abc import Awaitable, Callable, Hashable, MutableMapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

import brotli
from starlette.responses import Response

from app.cache import Recent, SegmentedCache
from app.fastlane import Lane
from app.problems import PROBLEM_JSON, ProblemError, bad_parameter, problem_body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Headers = list[tuple[bytes, bytes]]

READ_METHODS = "GET, HEAD, OPTIONS"
EXPOSED = "ETag, Last-Modified, Link, X-Total-Count, Content-Disposition"
SUFFIX_FORMATS = (".csv", ".svg")
COMPRESS_FROM = 1024  # bytes; smaller bodies gain less than the header costs
TAG_KEPT_FROM = 8 * 1024  # bytes: a body this large has its ETag kept by request (hashing it: ~5 us)
TAGS_KEPT = 4096  # ~300 bytes each
# Requests repeated byte for byte, answered with the messages sent before: a browser's or a script's
# headers are ~300 bytes (at most MAX_HEADERS_BYTES), and the messages are the cache's own.
ANSWERS_KEPT = 1024
# What an entry costs beside its body: its key, headers, ETag and the ASGI messages of a variant
# (measured: ~3.2 kB an entry with tracemalloc), so that the cache's bound is its memory, not only bodies.
ENTRY_OVERHEAD = 4096
# What one request may cost: no legitimate client of this API comes near these.
MAX_URL_BYTES = 2048
MAX_HEADER_BYTES = 4096
MAX_HEADERS_BYTES = 8192
MAX_QUERY_PARAMETERS = 16
# Encoded slashes, backslashes and NULs in a path only ever serve to confuse routing.
ENCODED_SEPARATORS = (b"%2f", b"%5c", b"%00")
PERCENT = ord("%")
# HTML pages (the docs) get a strict policy unless the route sets its own.
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


EMPTY_BODY: Message = {"type": "http.response.body", "body": b""}


@dataclass(frozen=True)
class Variant:
    """One content coding of an entry as the ASGI messages that send it (200 and 304) and its ETag."""

    start: Message
    body: Message
    not_modified: Message
    tag: str


@dataclass
class Entry:
    """A rendered 200 response and its encodings, keyed by the coding a client asked for."""

    headers: Headers
    body: bytes
    tag: str
    variants: dict[str, Variant] = field(default_factory=dict)
    # A route that names its own entity (the database file, by its digest) is sent as it is.
    compressible: bool = True

    @property
    def size(self) -> int:
        return len(self.body) + ENTRY_OVERHEAD


def _coding(accept_encoding: str) -> str:
    """The best content coding the client takes: br, then gzip, then identity."""
    accepted: dict[str, float] = {}
    for part in accept_encoding.lower().split(","):
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


def _plain(response: Response) -> bool:
    """A response whose messages are its status, headers and body (no streaming, no background task)."""
    return type(response).__call__ is Response.__call__ and response.background is None


class HttpLayer:
    """Read-only HTTP semantics and a response cache keyed by the dataset's content."""

    def __init__(self, app: ASGIApp, max_bytes: int = 32 * 1024 * 1024) -> None:
        self.app = app
        # The messages sent for a request (method, raw path, query, scheme and every header, as
        # received), kept only while its entry is protected, so that the cache's bound holds for them.
        self.answers: dict[Hashable, tuple[Message, Message]] = {}
        self.cache: SegmentedCache[Entry] = SegmentedCache(max_bytes, on_demote=self.answers.clear)
        # A response is kept from its second rendering: the first leaves only its key's hash, so that a
        # one-off URL's body is freed once sent (unique URLs: 2-11% more req/s, measured). The
        # doorkeeper remembers as many keys as probation could ever hold entries (1,638 for 32 MB,
        # ~130 kB): a URL asked for again while probation could still have held it is kept.
        self.cache.doorkeeper = self.cache.probation_bytes_max // ENTRY_OVERHEAD
        self.dataset_key: object = None
        self.codings: dict[bytes, str] = {}
        # ETags of large bodies by request: the cache cannot keep every large body, and hashing one
        # costs ~0.6 ms a MB on every request; a request's body depends on the dataset alone, as the
        # cache itself relies on, so its tag is made once per dataset.
        self.tags: Recent[str] = Recent(TAGS_KEPT)
        self.lane: Lane | None = None  # the app's routes, compiled on the first request

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # A request repeated byte for byte: its answer depends on nothing else but the dataset, so it is
        # sent the messages it was sent before (kept once its entry is protected: asked for twice).
        request = (
            scope["method"],
            scope["path"],
            scope.get("raw_path"),  # "/a%2Fb" is refused where "/a/b" is not
            scope["query_string"],
            scope["scheme"],
            tuple(scope["headers"]),
        )
        answer = self.answers.get(request)
        if answer is not None and scope["app"].state._state.get("dataset") is self.dataset_key:
            await send(answer[0])
            await send(answer[1])
            return
        await self._respond(scope, receive, send, request)

    async def _respond(self, scope: Scope, receive: Receive, send: Send, request: Hashable) -> None:
        """Answer any other request: its limits, its method, then the cache or the app."""
        # Written for the hit path: each line here runs for the first hits of a request.
        raw_headers = scope["headers"]
        headers = dict(raw_headers)
        raw_path: bytes = scope.get("raw_path") or b""
        query: bytes = scope["query_string"]
        method = scope["method"]
        if (  # only a request near a limit is looked at closely (a header can only be too large if all are)
            len(raw_path) + len(query) > MAX_URL_BYTES
            or PERCENT in raw_path  # an int: a byte search without making a one-byte pattern
            or not raw_path
            or query.count(b"&") >= MAX_QUERY_PARAMETERS
            or sum([len(name) + len(value) for name, value in raw_headers]) > MAX_HEADER_BYTES
        ) and (refusal := self._refusal(scope)) is not None:
            body = problem_body(refusal.status, refusal.detail, refusal.errors)
            await self._send(send, refusal.status, [], body, PROBLEM_JSON, method == "HEAD")
            return
        head = method == "HEAD"
        if not head and method != "GET":
            await self._other_method(method, headers, send)
            return
        # The app's state, read directly: State.__getattr__ costs a failed lookup per request.
        dataset = scope["app"].state._state.get("dataset")
        if dataset is not self.dataset_key:  # a new dataset (tests swap it): forget everything
            self.cache.clear()
            self.tags.clear()
            self.answers.clear()
            self.dataset_key = dataset
        get = headers.get
        key = (
            scope["path"],
            query,
            get(b"accept", b""),
            get(b"accept-language", b""),
            get(b"host", b""),  # the page's embed snippets and the package's URLs name the host
            scope["scheme"],  # and the scheme, which a trusted proxy may set
        )
        protected = self.cache.protected  # a hot entry: SegmentedCache.get's first branch, inlined
        entry = protected.get(key)
        if entry is not None:
            protected.move_to_end(key)
        else:
            entry = self.cache.get(key)
        hit = entry is not None  # and now protected: asked for at least twice
        if entry is None:
            entry = await self._render(scope, receive, send, head, dataset, key)
            if entry is None:
                return
            self.cache.put(key, entry)
            # A body too large to keep would be compressed afresh for every request: send it as it is.
            entry.compressible = entry.compressible and self.cache.fits(entry)
        # A hit is a lookup and a send: the messages of each coding are built once, on first use.
        accept_encoding = get(b"accept-encoding", b"")
        asked = self.codings.get(accept_encoding) or self._coding(accept_encoding)
        variant = entry.variants.get(asked) or self._variant(entry, asked, dataset)
        if (b"if-none-match" in headers or b"if-modified-since" in headers) and self._not_modified(
            headers, variant.tag, dataset
        ):
            answer = variant.not_modified, EMPTY_BODY
        else:
            answer = variant.start, EMPTY_BODY if head else variant.body
        if hit:
            if len(self.answers) >= ANSWERS_KEPT:
                self.answers.clear()
            self.answers[request] = answer
        await send(answer[0])
        await send(answer[1])

    def _coding(self, accept_encoding: bytes) -> str:
        """The coding for an Accept-Encoding value, parsed once per distinct value."""
        coding = self.codings.get(accept_encoding)
        if coding is None:
            coding = _coding(accept_encoding.decode("latin-1"))
            if len(self.codings) < 256:  # browsers send a handful of distinct values
                self.codings[accept_encoding] = coding
        return coding

    async def _other_method(self, method: str, headers: dict[bytes, bytes], send: Send) -> None:
        """OPTIONS (CORS preflight) or a 405 for any method that would write."""
        if method == "OPTIONS":
            await self._options(headers, send)
            return
        detail = f"{method} is not allowed: this API is read-only; allowed: {READ_METHODS}"
        await self._send(send, 405, [(b"allow", READ_METHODS.encode())], problem_body(405, detail), PROBLEM_JSON, False)

    @staticmethod
    def _refusal(scope: Scope) -> ProblemError | None:
        """The problem with a request too costly or too odd to route, else None."""
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
        query: bytes = scope["query_string"]
        if query.count(b"&") + 1 > MAX_QUERY_PARAMETERS:
            return bad_parameter("query", "too many parameters", f"at most {MAX_QUERY_PARAMETERS}")
        if len(raw_path) + len(query) > MAX_URL_BYTES:
            return bad_parameter("URL", "too long", f"at most {MAX_URL_BYTES} bytes", "path", 414)
        sizes = [len(name) + len(value) for name, value in scope["headers"]]
        if sum(sizes) > MAX_HEADERS_BYTES or max(sizes, default=0) > MAX_HEADER_BYTES:
            name = max(scope["headers"], key=lambda h: len(h[0]) + len(h[1]))[0].decode("latin-1")
            allowed = f"at most {MAX_HEADER_BYTES} bytes a header, {MAX_HEADERS_BYTES} in all"
            return bad_parameter(name, "too large", allowed, "header", 431)
        if b"%" in raw_path and any(separator in raw_path.lower() for separator in ENCODED_SEPARATORS):
            return bad_parameter("path", "holds an encoded '/', '\\' or NUL", "plain path segments", "path")
        return None

    async def _render(
        self, scope: Scope, receive: Receive, send: Send, head: bool, dataset: Any, key: Hashable
    ) -> Entry | None:
        """Run the app; return a cacheable 200 as an Entry, or send any other answer and return None."""
        inner = dict(scope)
        inner["method"] = "GET"
        path: str = scope["path"]
        for suffix in SUFFIX_FORMATS:
            if path.endswith(suffix) and len(path) > len(suffix) + 1:
                inner["path"] = path[: -len(suffix)]
                inner["raw_path"] = inner["path"].encode()
                inner["state"] = {**scope.get("state", {}), "suffix_format": suffix[1:]}
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        try:
            if self.lane is None:
                self.lane = Lane(scope["app"])
            answered = await self.lane.response(inner, receive)
            if answered is not None and _plain(answered[1]):
                # What Response.__call__ would send, read from it: no messages, no copy of the body.
                status, raw, body = answered[1].status_code, answered[1].raw_headers, bytes(answered[1].body)
            else:
                if answered is not None:
                    await answered[1](answered[0], receive, capture)
                else:
                    await self.app(inner, receive, capture)
                status, raw, body = start.get("status", 500), start.get("headers", []), b"".join(chunks)
        except Exception:
            body = problem_body(500, "The server failed to answer this request; it has been logged.")
            await self._send(send, 500, [], body, PROBLEM_JSON, head)
            raise
        app_headers = [(n, v) for n, v in raw if n != b"content-length"]
        cacheable = status == 200 and dataset is not None and not any(n == b"cache-control" for n, _ in app_headers)
        if any(n == b"content-type" and v.startswith(b"text/html") for n, v in app_headers):
            names = {n for n, _ in app_headers}
            app_headers += [(n, v) for n, v in HTML_HEADERS if n not in names]
        if not cacheable:
            await self._send(send, status, app_headers, body, None, head)
            return None
        own_tag = next((v for n, v in app_headers if n == b"etag"), None)
        if own_tag is not None:  # the route names its entity (the database file: its digest)
            app_headers = [(n, v) for n, v in app_headers if n != b"etag"]
            return Entry(app_headers, body, own_tag.decode("latin-1").strip('"'), compressible=False)

        def tag() -> str:
            content_type = next((v for n, v in app_headers if n == b"content-type"), b"")
            digest = hashlib.sha256(dataset.digest.encode() + b"\0" + content_type + b"\0")
            digest.update(body)
            return digest.hexdigest()[:32]

        return Entry(app_headers, body, self.tags.get(key, tag) if len(body) >= TAG_KEPT_FROM else tag())

    def _variant(self, entry: Entry, asked: str, dataset: Any) -> Variant:
        """The variant of an entry for the coding a client asked for (made once, then reused)."""
        coding = asked if len(entry.body) >= COMPRESS_FROM and entry.compressible else "identity"
        variant = entry.variants.get(coding)
        if variant is None:
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
            unchanged = [(n, v) for n, v in headers if n not in NOT_MODIFIED_DROPS]
            variant = Variant(
                {"type": "http.response.start", "status": 200, "headers": headers},
                {"type": "http.response.body", "body": body},
                {"type": "http.response.start", "status": 304, "headers": unchanged},
                tag,
            )
            entry.variants[coding] = variant
        entry.variants[asked] = variant
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

    async def _options(self, headers: dict[bytes, bytes], send: Send) -> None:
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
        await self._send(send, 204, extra, b"", None, False)

    @staticmethod
    async def _send(send: Send, status: int, headers: Headers, body: bytes, media_type: str | None, head: bool) -> None:
        names = {name for name, _ in headers}
        full = [*headers, *((n, v) for n, v in COMMON_HEADERS if n not in names)]
        if media_type:
            full.append((b"content-type", media_type.encode()))
        if status not in {204, 304}:
            full.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": full})
        await send({"type": "http.response.body", "body": b"" if head else body})
