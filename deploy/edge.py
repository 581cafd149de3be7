"""nginx as the HTTP cache in front of the app: its config, and `make edge`, which runs both.

    python -m deploy.edge                   # EDGE_PORT (8080) in front of PORT (8000), WEB_CONCURRENCY workers
    python -m deploy.edge --print-config DIR  # the config only, its cache and logs in DIR (for a server's nginx)

The config is deploy/nginx.conf.template filled in here: the host names from ALLOWED_HOSTS and
PUBLIC_URL, and nginx's own refusals (unknown Host, limits, a 503 when the app is down and nothing is
cached) as the app's problem documents. EDGE_HEALTH_SECONDS (2) is how often `make edge` asks the
app's /health; an app that leaves it unanswered three times in a row is killed and started again.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import IO, Any

from app.config import Settings, get_settings
from app.headers import Address, netloc
from app.problems import problem_body

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
UNAVAILABLE = (
    "The service is restarting or down, and the edge keeps no copy of this answer. Try again in a few seconds."
)
UNKNOWN_HOST = "This address is not served here: the Host header names none of the host names this service answers for."
# nginx's own refusals, each in the app's problem shape: (nginx's status, the status answered, detail).
NGINX_PROBLEMS = (
    (400, 400, "The edge could not read this request (a malformed request line or header, or Host given twice)."),
    (413, 413, "This API only reads: a request body is not taken."),
    (414, 414, "The URL is longer than the edge takes (8 KiB)."),
    (494, 431, "A request header is longer than the edge takes (8 KiB)."),
    (429, 429, "Too many requests from this address at once. Try again in a second."),
    (404, 404, "Nothing is served at this address."),  # only the edge's own internal addresses
    (405, 405, "This method is not served: the API takes GET, HEAD and OPTIONS."),
    (500, 500, "The edge failed to answer this request."),
    (501, 501, "The edge does not take this Transfer-Encoding."),
    (505, 505, "The edge speaks HTTP/1.0 and HTTP/1.1."),
)
RETRY_AFTER_SECONDS = 5
START_SECONDS = 20
HOST_NAME = re.compile(r"\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?")


@dataclass(frozen=True)
class Limits:
    """What the edge takes from one client address: requests a second (sustained), a burst above that
    answered at once, and connections with a request in progress. A newsroom behind one NAT is one
    address, so these are its people together (docs/operations.md)."""

    rate: int = 200
    burst: int = 1000
    connections: int = 256


class EdgeError(RuntimeError):
    """nginx or the app could not be started (or configured: a host name nginx cannot serve)."""


class NginxStoppedError(RuntimeError):
    """nginx exited while `make edge` ran: nothing answers readers any more, so the edge stops too."""


def nginx_path() -> str | None:
    """Debian's nginx (in /usr/sbin, which a non-root PATH may lack), or None."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def _nginx_text(body: bytes) -> str:
    """A problem document as the text of an nginx `return`, which reads ' as a quote and $ as a variable."""
    text = body.decode()
    if "'" in text or "$" in text:
        raise ValueError(f"a problem document the edge answers cannot hold ' or $: {text}")
    return text


def problem_pages() -> str:
    """nginx's own error pages (and the 503 for an app that is down) as the app's problem documents,
    with CORS and nosniff: the error_page lines and their internal locations, for each server."""
    pages = [(str(code), status, detail) for code, status, detail in NGINX_PROBLEMS]
    lines = []
    for codes, status, detail in [*pages, ("502 504", 503, UNAVAILABLE)]:
        retry = {429: 1, 503: RETRY_AFTER_SECONDS}.get(status)
        headers = [
            "default_type application/problem+json;",
            "add_header Access-Control-Allow-Origin * always;",
            "add_header X-Content-Type-Options nosniff always;",
            "add_header Cache-Control no-store always;",
            "add_header X-Cache-Status $upstream_cache_status always;",
            *([f"add_header Retry-After {retry} always;"] if retry else []),
        ]
        # A URI, not a named location: nginx cannot send a request whose URI it could not read to one.
        uri = "/.edge/problem-" + codes.replace(" ", "-")
        body = _nginx_text(problem_body(status, detail))
        lines.append(f"error_page {codes} = {uri};")
        lines.append(f"location = {uri} {{ internal; {' '.join(headers)} return {status} '{body}'; }}")
    return "\n        ".join(lines)


def host_names(allowed_hosts: str, public_url: str) -> tuple[str, str]:
    """nginx's server_name for ALLOWED_HOSTS and PUBLIC_URL's host (`*`: any name), and the Host the
    app is sent: PUBLIC_URL's, else the name the reader used (nginx's $host, lower-cased, without a
    port) with the edge's port."""
    names = sorted(Address.of(public_url, allowed_hosts).allowed_hosts)
    for name in names:
        if name != "*" and not HOST_NAME.fullmatch(name):
            raise EdgeError(f"ALLOWED_HOSTS: {name!r} is not a host name (a port is not part of one)")
    public = netloc(public_url)
    if public and not re.fullmatch(r"[a-z0-9.:\[\]-]+", public):
        raise EdgeError(f"PUBLIC_URL: {public_url!r} has no host name nginx can send")
    server_names = " ".join("~." if name == "*" else name for name in names)
    return server_names, public or "$host$edge_port"


def nginx_config(
    state: Path,
    listen: str,
    app: str,
    workers: str = "auto",
    cache_size: str = "1g",
    limits: Limits = Limits(),
    settings: Settings | None = None,
) -> str:
    """The nginx config for an edge listening on `listen` in front of the app at `app` (host:port),
    serving the host names of `settings` (default: the environment's)."""
    settings = settings or get_settings()
    server_names, canonical_host = host_names(settings.allowed_hosts, settings.public_url)
    fields = {
        "state": str(state),
        "listen": listen,
        "app": app,
        "workers": workers,
        "cache_size": cache_size,
        "rate": str(limits.rate),
        "burst": str(limits.burst),
        "connections": str(limits.connections),
        "upstream_idle": str(max(1, settings.keep_alive_seconds - 1)),
        "server_names": server_names,
        "canonical_host": canonical_host,
        "problem_pages": problem_pages(),
        "unknown_host": _nginx_text(
            problem_body(400, UNKNOWN_HOST, [{"name": "Host", "in": "header", "problem": "not served here"}])
        ),
    }
    config = Template(TEMPLATE.read_text("utf-8")).safe_substitute(fields)  # nginx's own $variables stay
    if "${" in config:
        raise ValueError(f"{TEMPLATE.name} names a field this code does not fill: {config[config.index('${') :][:40]}")
    return config


def wait_until(ready: Callable[[], object], process: subprocess.Popen[bytes], what: str) -> None:
    """Return once `ready()` stops raising OSError; raise if `process` ends or it takes too long."""
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            ready()
            return
        except OSError:
            if process.poll() is not None:
                raise EdgeError(f"{what} stopped at start-up (exit {process.returncode})") from None
            if time.monotonic() > deadline:
                raise EdgeError(f"{what} was not ready within {START_SECONDS} s") from None
            time.sleep(0.05)


def stop(process: subprocess.Popen[Any]) -> None:
    """Ask a child to stop (SIGTERM: uvicorn and nginx both finish what they serve), make sure, then
    end what is left of its process group (the workers of an nginx master that was killed)."""
    if process.poll() is None:
        process.terminate()
        with suppress(ProcessLookupError):  # a stopped (hung) process acts on SIGTERM only once continued
            os.killpg(process.pid, signal.SIGCONT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    with suppress(ProcessLookupError):  # the group is empty: nothing was left
        os.killpg(process.pid, signal.SIGKILL)


@contextmanager
def running_nginx(
    port: int, app: str, host: str = "127.0.0.1", workers: str = "auto", **config: Any
) -> Iterator[tuple[Path, subprocess.Popen[bytes]]]:
    """nginx on host:port in front of the app at `app` (host:port), configured by nginx_config's
    keywords; yields its state folder (logs, cache) and its master process (leader of its own
    process group, which stopping it empties)."""
    nginx = nginx_path()
    if nginx is None:
        raise EdgeError("nginx is not installed (apt-get install nginx; `make edge` does it as root)")
    # Run as root, nginx's workers run as nobody: they must be able to enter the folder of their cache.
    state = Path(tempfile.mkdtemp(prefix="captivity-returns-edge-"))
    try:
        state.chmod(0o755)
        config_file = state / "nginx.conf"
        config_file.write_text(nginx_config(state, f"{host}:{port}", app, workers, **config), "utf-8")
        command = [nginx, "-p", str(state), "-c", str(config_file), "-e", str(state / "error.log")]
        devnull = subprocess.DEVNULL
        process = subprocess.Popen(command, stdin=devnull, stdout=devnull, stderr=devnull, start_new_session=True)
        try:
            wait_until(lambda: socket.create_connection((host, port), timeout=1).close(), process, "nginx")
        except EdgeError as error:
            stop(process)
            raise EdgeError(f"{error}: {(state / 'error.log').read_text('utf-8', 'replace').strip()}") from None
        try:
            yield state, process
        finally:
            stop(process)
    finally:
        shutil.rmtree(state, ignore_errors=True)


@contextmanager
def running_app(
    port: int, host: str = "127.0.0.1", log: int | IO[Any] | None = None, **env: str
) -> Iterator[subprocess.Popen[bytes]]:
    """The app (python -m app.serve) on host:port, once /health answers; its log to `log` (default:
    this process's stderr). It leads its own process group, so that it and its workers stop together."""
    environment = {**os.environ, "HOST": host, "PORT": str(port), **env}
    command = [sys.executable, "-m", "app.serve"]
    process = subprocess.Popen(command, env=environment, stdin=subprocess.DEVNULL, stderr=log, start_new_session=True)
    try:
        probe = health_host(host, port, environment)
        wait_until(lambda: answers_health(host, port, 2, probe), process, "the app")
        yield process
    finally:
        stop(process)


def answers_health(host: str, port: int, seconds: float, host_header: str) -> None:
    """Return if the app's /health answers 200 within `seconds`; raise OSError if not."""
    request = urllib.request.Request(f"http://{host}:{port}/health", headers={"Host": host_header})
    urllib.request.urlopen(request, timeout=seconds).close()


def health_host(host: str, port: int, environment: Mapping[str, str]) -> str:
    """A Host the app in `environment` serves, to ask its /health with (it refuses any other, there
    too): PUBLIC_URL's host, else its own address when ALLOWED_HOSTS has it, else the first there."""
    named = {
        field: environment[field.upper()] for field in ("public_url", "allowed_hosts") if field.upper() in environment
    }
    settings = get_settings().model_copy(update=named)
    return Address.of(settings.public_url, settings.allowed_hosts).own_host(f"{host}:{port}")


RESTART_FIRST_SECONDS = 0.5
RESTART_MOST_SECONDS = 30.0
HEALTHY_SECONDS = 60.0  # an app that ran this long is restarted at once again if it stops
HEALTH_SECONDS = 2.0  # how often the app's /health is asked, and how long its answer is waited for
HEALTH_FAILURES = 3  # unanswered in a row: the app is hung (stopped, deadlocked, swapping) and killed


def _app_stopped(
    app: subprocess.Popen[bytes], nginx: subprocess.Popen[bytes], health: Callable[[], object], every: float
) -> str:
    """Why the app stopped serving, once it has: it exited, or it left /health unanswered
    HEALTH_FAILURES times in a row (it is then killed with its process group). NginxStoppedError if
    nginx exits first."""
    failures, next_check = 0, time.monotonic() + every
    while (code := app.poll()) is None:
        if nginx.poll() is not None:
            raise NginxStoppedError(f"nginx stopped (exit {nginx.returncode}); stopping the app with it")
        if time.monotonic() >= next_check:
            try:
                health()
                failures = 0
            except OSError:
                failures += 1
            if failures >= HEALTH_FAILURES:
                os.killpg(app.pid, signal.SIGKILL)
                app.wait()
                return f"/health unanswered {failures} times in a row; killed"
            next_check = time.monotonic() + every
        time.sleep(0.2)
    return f"exit {code}"


def keep_running(
    port: int,
    host: str,
    first: subprocess.Popen[bytes],
    nginx: subprocess.Popen[bytes],
    health_seconds: float = HEALTH_SECONDS,
) -> None:
    """Watch the app: whenever it exits, or stops answering /health (asked every `health_seconds`),
    start it again, waiting longer after each quick failure (0.5 s, 1 s, 2 s, ... up to 30 s). nginx
    keeps answering meanwhile: stale where it holds a copy, 503 problem+json where it holds none.
    Returns only by an exception (Ctrl-C, SIGTERM, nginx gone)."""

    probe = health_host(host, port, os.environ)

    def health() -> None:
        answers_health(host, port, health_seconds, probe)

    app, delay, began = first, RESTART_FIRST_SECONDS, time.monotonic()
    stopped = _app_stopped(app, nginx, health, health_seconds)
    while True:
        stop(app)  # and what is left of its group: the workers of an app whose master died
        if time.monotonic() - began > HEALTHY_SECONDS:
            delay = RESTART_FIRST_SECONDS
        print(f"edge: the app stopped ({stopped}); starting it again in {delay:g} s", file=sys.stderr, flush=True)
        time.sleep(delay)
        delay, began = min(delay * 2, RESTART_MOST_SECONDS), time.monotonic()
        try:
            with running_app(port, host) as app:
                print(f"edge: the app is back (pid {app.pid})", flush=True)
                stopped = _app_stopped(app, nginx, health, health_seconds)
        except EdgeError as error:
            stopped = str(error)


def print_config(state: Path, listen: str, app: str) -> int:
    """Print the config for an nginx keeping its cache and logs in `state`; 2 if it cannot be made."""
    try:
        print(nginx_config(state, listen, app), end="")
    except EdgeError as error:
        print(f"edge: {error}", file=sys.stderr)
        return 2
    return 0


def main() -> int:
    """Serve the app through nginx until interrupted (the app restarted whenever it stops), or print
    the config."""
    settings = get_settings()
    edge_port = int(os.environ.get("EDGE_PORT", "8080"))
    if sys.argv[1:2] == ["--print-config"] and len(sys.argv) == 3:
        return print_config(
            Path(sys.argv[2]).resolve(), f"{settings.host}:{edge_port}", f"{settings.host}:{settings.port}"
        )
    if sys.argv[1:]:
        print("usage: python -m deploy.edge [--print-config DIR]", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # run the context managers' clean-up
    try:
        with ExitStack() as stack:
            app = stack.enter_context(running_app(settings.port, settings.host))
            state, nginx = stack.enter_context(
                running_nginx(edge_port, f"{settings.host}:{settings.port}", settings.host)
            )
            origin = f"http://{settings.host}:{settings.port}/ ({settings.web_concurrency} app worker(s))"
            edge = f"http://{settings.host}:{edge_port}/ (nginx, its cache and logs in {state})"
            print(f"edge: {edge} in front of {origin}; Ctrl-C stops both", flush=True)
            every = float(os.environ.get("EDGE_HEALTH_SECONDS", HEALTH_SECONDS))
            keep_running(settings.port, settings.host, app, nginx, every)
    except EdgeError as error:  # the first start: a database that cannot be served stops it here
        print(f"edge: {error}", file=sys.stderr)
        return 2
    except NginxStoppedError as error:
        print(f"edge: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
