"""The one parser of the request headers that rank what a client takes: Accept, Accept-Encoding and
Accept-Language."""

import functools


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
