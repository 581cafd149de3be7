"""Start the server: prove the database is servable, then run uvicorn.

    python -m app.serve        # HOST, PORT, WEB_CONCURRENCY, DATABASE_URL from the environment

A missing, foreign, outdated or inconsistent database stops it here with one line naming the file
and the fix, before any worker starts.
"""

import sys

import uvicorn

from app.config import get_settings
from app.db import UnusableDatabaseError, open_dataset


def main() -> int:
    """Check the database, then serve until stopped."""
    settings = get_settings()
    try:
        open_dataset(settings).engine.dispose()
    except UnusableDatabaseError as error:
        print(f"serve: {error}", file=sys.stderr)
        return 2
    uvicorn.run(
        "app.main:app",
        host=settings.host,
        port=settings.port,
        workers=settings.web_concurrency,
        access_log=settings.access_log,
        server_header=False,
        proxy_headers=True,
        log_level="info",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
