"""nginx as the HTTP cache in front of the app: its config, and `make edge`, which runs both.

    python -m deploy.edge                   # EDGE_PORT (8080) in front of PORT (8000), WEB_CONCURRENCY workers
    python -m deploy.edge --print-config DIR  # the config only, its cache and logs in DIR (for a server's nginx)

The config is deploy/nginx.conf.template filled in here; the 503 it answers when the app is down and
nothing is cached is the app's own problem document.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from string import Template
from typing import IO, Any

from app.config import get_settings
from app.problems import problem_body

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
UNAVAILABLE = (
    "The service is restarting or down, and the edge keeps no copy of this answer. Try again in a few seconds."
)
RETRY_AFTER_SECONDS = 5
START_SECONDS = 20


class EdgeError(RuntimeError):
    """nginx or the app could not be started."""


class NginxStoppedError(RuntimeError):
    """nginx exited while `make edge` ran: nothing answers readers any more, so the edge stops too."""


def nginx_path() -> str | None:
    """Debian's nginx (in /usr/sbin, which a non-root PATH may lack), or None."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def nginx_config(state: Path, listen: str, app: str, workers: str = "auto", cache_size: str = "1g") -> str:
    """The nginx config for an edge listening on `listen` in front of the app at `app` (host:port)."""
    unavailable = problem_body(503, UNAVAILABLE).decode()
    if "'" in unavailable or "$" in unavailable:  # nginx would read them as quotes or variables
        raise ValueError("the 503 problem document cannot hold ' or $")
    fields = {
        "state": str(state),
        "listen": listen,
        "app": app,
        "workers": workers,
        "cache_size": cache_size,
        "retry_after": str(RETRY_AFTER_SECONDS),
        "unavailable": unavailable,
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


def stop(process: subprocess.Popen[bytes]) -> None:
    """Ask a child to stop (SIGTERM: uvicorn and nginx both finish what they serve), then make sure."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def running_nginx(
    port: int, app: str, host: str = "127.0.0.1", workers: str = "auto"
) -> Iterator[tuple[Path, subprocess.Popen[bytes]]]:
    """nginx on host:port in front of the app at `app` (host:port); yields its state folder (logs,
    cache) and its master process."""
    nginx = nginx_path()
    if nginx is None:
        raise EdgeError("nginx is not installed (apt-get install nginx; `make edge` does it as root)")
    # Run as root, nginx's workers run as nobody: they must be able to enter the folder of their cache.
    state = Path(tempfile.mkdtemp(prefix="captivity-returns-edge-"))
    try:
        state.chmod(0o755)
        config = state / "nginx.conf"
        config.write_text(nginx_config(state, f"{host}:{port}", app, workers), "utf-8")
        command = [nginx, "-p", str(state), "-c", str(config), "-e", str(state / "error.log")]
        devnull = subprocess.DEVNULL
        process = subprocess.Popen(command, stdin=devnull, stdout=devnull, stderr=devnull)
        try:
            wait_until(lambda: socket.create_connection((host, port), timeout=1).close(), process, "nginx")
        except EdgeError as error:
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
    this process's stderr)."""
    environment = {**os.environ, "HOST": host, "PORT": str(port), **env}
    command = [sys.executable, "-m", "app.serve"]
    process = subprocess.Popen(command, env=environment, stdin=subprocess.DEVNULL, stderr=log)
    try:
        wait_until(
            lambda: urllib.request.urlopen(f"http://{host}:{port}/health", timeout=2).close(), process, "the app"
        )
        yield process
    finally:
        stop(process)


RESTART_FIRST_SECONDS = 0.5
RESTART_MOST_SECONDS = 30.0
HEALTHY_SECONDS = 60.0  # an app that ran this long is restarted at once again if it stops


def _app_exit(app: subprocess.Popen[bytes], nginx: subprocess.Popen[bytes]) -> int:
    """The app's exit status once it exits; NginxStoppedError if nginx exits first."""
    while (code := app.poll()) is None:
        if nginx.poll() is not None:
            raise NginxStoppedError(f"nginx stopped (exit {nginx.returncode}); stopping the app with it")
        time.sleep(0.2)
    return code


def keep_running(port: int, host: str, first: subprocess.Popen[bytes], nginx: subprocess.Popen[bytes]) -> None:
    """Wait on the app; whenever it exits, start it again, waiting longer after each quick failure
    (0.5 s, 1 s, 2 s, ... up to 30 s). nginx keeps answering meanwhile: stale where it holds a copy,
    503 problem+json where it holds none. Returns only by an exception (Ctrl-C, SIGTERM, nginx gone)."""
    delay, began = RESTART_FIRST_SECONDS, time.monotonic()
    stopped = f"exit {_app_exit(first, nginx)}"
    while True:
        if time.monotonic() - began > HEALTHY_SECONDS:
            delay = RESTART_FIRST_SECONDS
        print(f"edge: the app stopped ({stopped}); starting it again in {delay:g} s", file=sys.stderr, flush=True)
        time.sleep(delay)
        delay, began = min(delay * 2, RESTART_MOST_SECONDS), time.monotonic()
        try:
            with running_app(port, host) as process:
                print(f"edge: the app is back (pid {process.pid})", flush=True)
                stopped = f"exit {_app_exit(process, nginx)}"
        except EdgeError as error:
            stopped = str(error)


def main() -> int:
    """Serve the app through nginx until interrupted (the app restarted whenever it stops), or print
    the config."""
    settings = get_settings()
    edge_port = int(os.environ.get("EDGE_PORT", "8080"))
    if sys.argv[1:2] == ["--print-config"] and len(sys.argv) == 3:
        state = Path(sys.argv[2]).resolve()
        print(nginx_config(state, f"{settings.host}:{edge_port}", f"{settings.host}:{settings.port}"), end="")
        return 0
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
            keep_running(settings.port, settings.host, app, nginx)
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
