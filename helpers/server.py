"""Start, health-check and stop a local OpenAI-compatible server (``transformers serve``).

Day 3 labels texts through the ``openai`` client against a real local server. This module only
handles the process: pick a free port, start ``transformers serve MODEL`` with its log written to
a file (never to the notebook), wait for ``GET /health``, and stop it again — on request, when
used as a context manager, and at interpreter exit — so that no server is left running.

>>> from helpers.server import start_server
>>> with start_server("HuggingFaceTB/SmolLM2-135M-Instruct") as server:      # doctest: +SKIP
...     from openai import OpenAI
...     client = OpenAI(base_url=server.base_url, api_key="not-needed-locally")
...     client.chat.completions.create(model=server.model, max_tokens=5,
...         messages=[{"role": "user", "content": "Say hello"}]).choices[0].message.content
'Hello!'

Needs ``pip install "transformers[serving]"`` (FastAPI, Uvicorn). Offline, the model must be in
the Hugging Face cache (``HF_HOME``); the server inherits this process's environment.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from helpers._checks import is_int, is_real

_RUNNING: set[LocalServer] = set()
_DTYPES = {"auto", "float32", "float16", "bfloat16"}


def _check_host(host) -> None:
    if not isinstance(host, str) or not host.strip():
        raise ValueError(f"host must be a host name or address such as '127.0.0.1', got {host!r}.")


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port on ``host`` that is free right now (the OS picks it)."""
    _check_host(host)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """True when nothing listens on ``host:port`` (a new server could bind it).

    ``SO_REUSEADDR`` as servers use it: connections of a stopped server that linger in TIME_WAIT
    do not count as "in use", a listening socket does.
    """
    port = _check_port(port)
    _check_host(host)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def _check_timeout(timeout, name: str = "timeout") -> None:
    if not is_real(timeout) or not timeout > 0:
        raise ValueError(f"{name} must be a positive number of seconds, got {timeout!r}.")


def _check_port(port) -> int:
    if not is_int(port) or not 1024 <= port <= 65535:
        raise ValueError(f"port must be an integer between 1024 and 65535, got {port!r}; "
                         "or pass port=None to pick a free one.")
    return int(port)


@dataclass(eq=False)
class LocalServer:
    """A running ``transformers serve`` process. Use :attr:`base_url` with the ``openai`` client."""

    model: str
    host: str
    port: int
    process: subprocess.Popen
    log_path: Path
    started_s: float = field(default=0.0)

    @property
    def base_url(self) -> str:
        """The OpenAI-compatible API root, e.g. ``http://127.0.0.1:8000/v1``."""
        return f"http://{self.host}:{self.port}/v1"

    @property
    def health_url(self) -> str:
        return f"http://{self.host}:{self.port}/health"

    def running(self) -> bool:
        """True while the server process is alive."""
        return self.process.poll() is None

    def log_tail(self, n: int = 15) -> str:
        """The last ``n`` lines of the server's log file."""
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except FileNotFoundError:
            return "(no log written)"
        return "\n".join(lines[-n:])

    def stop(self, timeout: float = 10.0) -> int | None:
        """Stop the server (SIGTERM, then SIGKILL after ``timeout`` s); returns its exit code.

        Safe to call twice. The whole process group started for the server is ended, so no child
        process survives.
        """
        _RUNNING.discard(self)
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.process.wait(timeout=timeout)
        return self.process.returncode

    def __enter__(self) -> LocalServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running() else f"stopped (exit code {self.process.returncode})"
        return f"LocalServer(model={self.model!r}, base_url={self.base_url!r}, pid={self.process.pid}, {state})"


@atexit.register
def _stop_all() -> None:
    for server in list(_RUNNING):
        server.stop(timeout=5)


def _default_log_path(port: int) -> Path:
    try:
        from helpers.env import repo_root

        folder = repo_root() / "build" / "server_logs"
        folder.mkdir(parents=True, exist_ok=True)
    except (FileNotFoundError, OSError):
        folder = Path(tempfile.mkdtemp(prefix="course_server_"))
    return folder / f"transformers_serve_{port}.log"


def wait_for_health(url: str, timeout: float, process: subprocess.Popen | None = None,
                    interval: float = 0.5) -> float:
    """Poll ``url`` until it answers HTTP 200; returns the seconds waited.

    Raises ``RuntimeError`` if ``process`` exits first and ``TimeoutError`` after ``timeout`` s.
    """
    _check_timeout(timeout)
    _check_timeout(interval, "interval")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise ValueError(f"url must be an http(s) URL such as 'http://127.0.0.1:8000/health', got {url!r}.")
    start = time.monotonic()
    while True:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server process exited with code {process.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return time.monotonic() - start
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        if time.monotonic() - start > timeout:
            raise TimeoutError(f"{url} did not answer within {timeout} s")
        time.sleep(interval)


def start_server(model: str, port: int | None = None, host: str = "127.0.0.1", timeout: float = 180.0,
                 device: str = "cpu", dtype: str = "float32", log_path: str | os.PathLike | None = None,
                 extra_args: tuple[str, ...] = ()) -> LocalServer:
    """Start ``transformers serve MODEL`` on ``host:port`` and wait until ``/health`` answers.

    ``port=None`` picks a free port. The server's output goes to ``log_path`` (default
    ``build/server_logs/transformers_serve_<port>.log`` in the repository), not to the notebook.
    The server is stopped automatically when Python exits; call :meth:`LocalServer.stop` (or use
    ``with``) to stop it earlier.

    Raises ``ValueError`` for bad arguments or a busy port, ``ModuleNotFoundError`` when the serving
    extras are missing, ``RuntimeError`` (with the end of the log) when the server exits — e.g. the
    model is not available offline — and ``TimeoutError`` when it is not healthy within ``timeout`` s
    (the process is then stopped).
    """
    if not isinstance(model, str) or not model.strip():
        raise ValueError(f"model must be a Hub ID such as 'HuggingFaceTB/SmolLM2-135M-Instruct', got {model!r}.")
    _check_host(host)
    _check_timeout(timeout)
    if not isinstance(device, str) or not re.fullmatch(r"auto|cpu|mps|cuda(:\d+)?", device):
        raise ValueError(f"device={device!r}: use 'cpu', 'cuda', 'cuda:0', 'mps' or 'auto'.")
    if device != "cpu" and device != "auto":      # a missing GPU would only show in the server's log, later
        from helpers.env import check_device_available

        check_device_available(device)
    if dtype not in _DTYPES:
        raise ValueError(f"dtype={dtype!r}: use one of {sorted(_DTYPES)}.")
    if isinstance(extra_args, str) or not all(isinstance(a, str) for a in extra_args):
        raise ValueError("extra_args must be a tuple of strings, e.g. ('--log-level', 'info').")
    if port is None:
        port = free_port(host)
    port = _check_port(port)
    if not port_is_free(port, host):
        raise ValueError(f"port {port} on {host} is already in use; pass port=None to pick a free one "
                         "(or stop what is listening there).")
    missing = [m for m in ("fastapi", "uvicorn", "openai") if importlib.util.find_spec(m) is None]
    if missing:
        raise ModuleNotFoundError(f"`transformers serve` needs {', '.join(missing)}: "
                                  'pip install "transformers[serving]" openai')
    log_path = Path(log_path) if log_path is not None else _default_log_path(port)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "transformers.cli.transformers", "serve", model, "--host", host,
           "--port", str(port), "--device", device, "--dtype", dtype, *extra_args]
    env = {**os.environ, "TRANSFORMERS_NO_ADVISORY_WARNINGS": "1", "PYTHONUNBUFFERED": "1"}
    with open(log_path, "w") as log:
        log.write("$ " + " ".join(cmd) + "\n")
        log.flush()
        process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                   env=env, start_new_session=True)  # own process group: stop() ends all
    server = LocalServer(model=model, host=host, port=port, process=process, log_path=log_path)
    _RUNNING.add(server)
    try:
        server.started_s = wait_for_health(server.health_url, timeout, process)
    except RuntimeError as exc:
        server.stop()
        raise RuntimeError(
            f"`transformers serve {model}` stopped before it was ready ({exc}). Offline, only models in "
            f"the local cache can be served (run `make setup`); online, check the model ID. "
            f"Last lines of {log_path}:\n{server.log_tail()}") from None
    except TimeoutError as exc:
        server.stop()
        raise TimeoutError(f"{exc}; the server was stopped. Loading a large model on a CPU can take "
                           f"minutes: raise timeout=. Last lines of {log_path}:\n{server.log_tail()}") from None
    except BaseException:
        server.stop()
        raise
    return server
