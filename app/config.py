"""Settings from the environment (DATABASE_URL, HOST, PORT, WEB_CONCURRENCY, ...)."""

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{ROOT / 'var' / 'returns.db'}"


class Settings(BaseSettings):
    """Everything an operator can set; each field is read from the env var of the same name."""

    model_config = SettingsConfigDict(extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = 8000
    web_concurrency: int = 1
    # Seconds a browser or CDN may serve a response without asking again, and the extra seconds
    # it may serve a stale copy while it revalidates in the background.
    cache_max_age: int = 300
    cache_stale_while_revalidate: int = 86400
    access_log: bool = False
    # Rendered responses kept in memory per worker (0 turns the cache off, for measuring).
    response_cache_bytes: int = 32 * 1024 * 1024
    # How often a worker looks whether `make db` replaced the database file, and switches to the new
    # one (seconds; 0: never, serve the file opened at start-up until restarted).
    reload_seconds: float = 2.0
    # The service's public address, e.g. https://returns.example.org: every absolute URL it writes
    # (data package, feed, page, embed snippets, citation, redirects) starts with it. Empty: the
    # request's own scheme and Host, which must then be one of allowed_hosts.
    public_url: str = ""
    # The host names a request may name in Host (comma-separated; a port is ignored; `*`: any, for
    # local experiments only). Any other gets a 400 problem. The host of public_url is always allowed.
    allowed_hosts: str = "localhost,127.0.0.1,[::1]"
    # Seconds uvicorn keeps an idle keep-alive connection open, and the most connections and
    # requests in flight one worker takes before it answers 503 (see docs/operations.md).
    keep_alive_seconds: int = 5
    max_connections: int = 1000


def get_settings() -> Settings:
    """Read the settings afresh (tests and the server both call this)."""
    return Settings()
