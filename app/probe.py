"""The server's health probe, for the image's HEALTHCHECK and any supervisor:

    python -m app.probe        # exit 0 when this server's /health answers 200 within 2 s, else 1

It asks with a Host the server answers for (it refuses any other: ALLOWED_HOSTS, PUBLIC_URL), and
imports little, since it runs every 30 s beside the server.
"""

import sys
import urllib.request

from app.config import Settings, get_settings
from app.headers import Address

LOOPBACK = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}  # listening on every address: ask loopback


def probe(settings: Settings, seconds: float = 2.0) -> str | None:
    """None when the server at HOST:PORT answers /health with 200 within `seconds`, else why not."""
    address = LOOPBACK.get(settings.host, settings.host)
    bind = f"[{address}]:{settings.port}" if ":" in address else f"{address}:{settings.port}"
    host = Address.of(settings.public_url, settings.allowed_hosts).own_host(bind)
    request = urllib.request.Request(f"http://{bind}/health", headers={"Host": host})
    try:
        urllib.request.urlopen(request, timeout=seconds).close()
    except OSError as error:  # refused, timed out, or an HTTP error status
        return f"http://{bind}/health (Host: {host}): {error}"
    return None


def main() -> int:
    """Probe the server the environment describes; say why on stderr when it does not answer."""
    problem = probe(get_settings())
    if problem is not None:
        print(f"probe: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
