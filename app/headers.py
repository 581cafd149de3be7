"""The one parse of a request: what an answer depends on besides its path and query (its formats,
language, content coding and address) read once, here, from Host, Accept, Accept-Language and
Accept-Encoding. The HTTP layer keys its cache on the result and the routes render from it; no other
code reads those headers. A request that gives one of them twice could be read two ways (a framework
keeps the first, a cache the last), so it is refused, never guessed."""

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

LANGUAGES = ("en", "uk")
# The media types the app renders, by format (the renderer adds charsets).
MEDIA = {"json": "application/json", "csv": "text/csv", "svg": "image/svg+xml", "html": "text/html"}
ONE_VALUE = frozenset((b"host", b"accept", b"accept-language", b"accept-encoding"))
# A Host value (RFC 9110 uri-host [":" port]) as this service takes it: a name or an IPv6 literal.
HOST = re.compile(r"(?P<name>[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?")
CODINGS = ("br", "gzip")


class RequestRefusedError(ValueError):
    """A request that cannot be read one way: the header, what is wrong, what is allowed."""

    def __init__(self, name: str, problem: str, allowed: str) -> None:
        super().__init__(f"header {name}: {problem}; allowed: {allowed}")
        self.name, self.problem, self.allowed = name, problem, allowed


class Asked(NamedTuple):
    """Everything a request asks for: the key of its answer (path, query, format preferences,
    language, address) and the coding it takes. (A tuple: it is made for every request, cached ones too.)"""

    path: str
    query: bytes
    formats: tuple[float, ...]  # each of MEDIA's formats' quality under Accept, in MEDIA's order
    language: str  # the best of LANGUAGES under Accept-Language, else English (`?lang=` overrides)
    coding: str  # br, gzip or identity
    base_url: str  # where every absolute URL starts: the configured address, else scheme://Host
    accept: str  # Accept as sent, only to name it in a 406

    @property
    def key(self) -> tuple[Any, ...]:
        """What the body depends on (not the coding: one entry holds every coding of one answer)."""
        return self.path, self.query, self.formats, self.language, self.base_url

    def quality(self, fmt: str) -> float:
        """How much the client takes `fmt` (0: not at all)."""
        return self.formats[list(MEDIA).index(fmt)]


@dataclass(frozen=True)
class Address:
    """Where the service is reached: its configured public URL (or none) and the hosts allowed in Host."""

    public_url: str
    allowed_hosts: frozenset[str]

    @classmethod
    def of(cls, public_url: str, allowed_hosts: str) -> "Address":
        """From the settings: `allowed_hosts` comma-separated; the public URL's host is allowed too."""
        names = [name.strip().lower() for name in [*allowed_hosts.split(","), netloc(public_url)]]
        return cls(public_url.strip().rstrip("/"), frozenset(_hostname(name) or name for name in names if name))

    @functools.cached_property
    def listed(self) -> str:
        """The allowed hosts as a refusal names them."""
        return ", ".join(sorted(self.allowed_hosts)) or "none configured"

    def own_host(self, bind: str) -> str:
        """A Host this service answers for, to ask itself with (a health probe of the server at `bind`,
        host:port): the public URL's host, else `bind` where it is allowed, else the first allowed name."""
        public = netloc(self.public_url)
        if public:
            return public
        if "*" in self.allowed_hosts or _hostname(bind) in self.allowed_hosts or not self.allowed_hosts:
            return bind
        return min(self.allowed_hosts)


def parse(scope: Mapping[str, Any], address: Address) -> Asked:
    """The request's `Asked`, or RequestRefusedError for a header given twice or a Host not allowed."""
    values: dict[bytes, bytes] = {}
    for name, value in scope["headers"]:
        if name in ONE_VALUE:
            if name in values:
                raise RequestRefusedError(name.decode(), "given more than once", "a single value")
            values[name] = value
    host = values.get(b"host", b"").decode("latin-1").strip()
    if not host:
        raise RequestRefusedError("Host", "missing", address.listed)
    name = _hostname(host)
    if name is None:  # it would stand in every absolute URL: `127.0.0.1:@evil.example` names evil.example
        raise RequestRefusedError("Host", f"'{host[:100]}' is not a host name", "a host name and an optional port")
    if "*" not in address.allowed_hosts and name not in address.allowed_hosts:
        raise RequestRefusedError("Host", f"'{host[:100]}' is not a host this service answers for", address.listed)
    accept = values.get(b"accept", b"").decode("latin-1").strip()
    return Asked(
        path=scope["path"],
        query=scope["query_string"],
        formats=format_qualities(accept),
        language=header_language(values.get(b"accept-language", b"").decode("latin-1")),
        coding=coding(values.get(b"accept-encoding", b"").decode("latin-1")),
        base_url=address.public_url or f"{scope['scheme']}://{host}",
        accept=accept,
    )


@functools.lru_cache(maxsize=256)  # clients send a handful of distinct values
def _hostname(host: str) -> str | None:
    """A Host value's name without its port, lower-cased (`[::1]:8000`: `[::1]`); None for a value that
    is not a host name, an IPv6 literal, and an optional port."""
    match = HOST.fullmatch(host.strip().lower())
    return match["name"] if match else None


def netloc(url: str) -> str:
    """A URL's host and port (`https://returns.example.org/`: `returns.example.org`)."""
    return url.strip().partition("://")[2].partition("/")[0].lower()


@functools.lru_cache(maxsize=512)  # clients send a handful of distinct values
def preferences(header: str) -> tuple[tuple[str, float], ...]:
    """Each value of the header, lower-cased, with its quality (`q=`; 1 where absent, 0 where it cannot
    be read), in the order given: `gzip, br;q=0.5` is (("gzip", 1.0), ("br", 0.5))."""
    ranked = []
    for part in header.split(","):
        value, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            key, _, number = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(number)
                except ValueError:
                    quality = 0.0
        if value:
            ranked.append((value.lower(), quality))
    return tuple(ranked)


@functools.lru_cache(maxsize=512)
def format_qualities(accept: str) -> tuple[float, ...]:
    """Each of MEDIA's formats' quality under an Accept header: that of the most specific range that
    matches it (a client that takes problem+json takes our JSON); every format 1 without the header."""
    if not accept:
        return tuple(1.0 for _ in MEDIA)
    ranges = preferences(accept)
    qualities = []
    for fmt, full in MEDIA.items():
        kind = full.split("/")[0]
        scores = [
            (3 if media == full else 2 if media == f"{kind}/*" else 1, quality)
            for media, quality in ranges
            if media in (full, f"{kind}/*", "*/*")
        ]
        if fmt == "json":
            scores += [(3, q) for media, q in ranges if media == "application/problem+json"]
        qualities.append(max(scores)[1] if scores else 0.0)
    return tuple(qualities)


@functools.lru_cache(maxsize=256)
def header_language(accept_language: str) -> str:
    """The best-ranked of LANGUAGES under an Accept-Language header, else English."""
    best, best_quality = "en", 0.0
    for tag, quality in preferences(accept_language):
        primary = tag.split("-")[0]
        if primary in LANGUAGES and quality > best_quality:
            best, best_quality = primary, quality
    return best


@functools.lru_cache(maxsize=256)
def coding(accept_encoding: str) -> str:
    """The best content coding the client takes: br, then gzip, then identity."""
    accepted = dict(preferences(accept_encoding))
    for name in CODINGS:
        if accepted.get(name, accepted.get("*", 0.0)) > 0:
            return name
    return "identity"
