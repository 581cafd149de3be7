"""Start the server: prove the database is servable, then run uvicorn.

    python -m app.serve        # HOST, PORT, WEB_CONCURRENCY, DATABASE_URL from the environment

A missing, foreign, outdated or inconsistent database stops it here with one line naming the file
and the fix, before any worker starts.
"""

import sys
from typing import Any

import uvicorn

from app.config import Settings, get_settings
from app.db import UnusableDatabaseError, open_dataset
from app.i18n import LANGUAGES, CatalogMissingError, words
from app.main import create_app


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """Server flags, shared with the benchmark's floor app so both run identically."""
    return {
        "host": settings.host,
        "port": settings.port,
        "access_log": settings.access_log,
        "server_header": False,
        "proxy_headers": True,
        "log_level": "info",
        # An idle connection is closed this long after its last answer; past max_connections open
        # connections (or requests in flight) a worker answers 503 instead of queueing without bound.
        # Neither bounds a client that sends its request slowly: nginx's client timeouts do that
        # (docs/operations.md).
        "timeout_keep_alive": settings.keep_alive_seconds,
        "limit_concurrency": settings.max_connections,
    }


def main() -> int:
    """Check the database and the compiled catalogs, then serve until stopped."""
    settings = get_settings()
    try:
        for lang in LANGUAGES:
            words(lang)
        dataset = open_dataset(settings)
    except (UnusableDatabaseError, CatalogMissingError) as error:
        print(f"serve: {error}", file=sys.stderr)
        return 2
    if settings.web_concurrency == 1:
        # One worker: serve the dataset just verified instead of verifying it twice.
        uvicorn.run(create_app(settings, dataset), **uvicorn_options(settings))
    else:
        dataset.close()  # each worker process opens and verifies its own
        uvicorn.run("app.main:app", workers=settings.web_concurrency, **uvicorn_options(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
