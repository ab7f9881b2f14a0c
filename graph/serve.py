"""``policykg serve``: the store over the SPARQL 1.1 Protocol, on the real Oxigraph server.

The SPARQL engine, content negotiation (JSON, XML, CSV, TSV results; Turtle, N-Triples, RDF/XML
graphs) and the query timeout are Oxigraph's own (``oxigraph serve-read-only --timeout-s``). In
front of it stands a small gate on the public address that adds what the server lacks: it refuses
updates unless ``--allow-update``, and refuses answers larger than the result-size limit instead
of streaming gigabytes. By default it listens on loopback only.

Read-only serving works on a snapshot of the store (a RocksDB checkpoint: hard links, cheap), so a
build can update the store while the server runs. When a build has swapped in a new store, the next
request takes a snapshot of it and starts a new Oxigraph server on it; the old one finishes the queries
it holds and is stopped. ``--allow-update`` serves the store itself, which then stays locked against
builds until the server stops.
"""
from __future__ import annotations

import http.client
import ipaddress
import logging
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox

from .store import StoreError, has_store, store_path

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
# Paths the gate forwards. Oxigraph serves queries on /query, updates on /update and the Graph
# Store Protocol on /store; "/" is its query page.
_READ_PATHS = ("/query", "/")
_WRITE_PATHS = ("/update", "/store")


class ServeError(RuntimeError):
    pass


@dataclass(frozen=True)
class ServeSettings:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    allow_update: bool = False
    timeout_s: int = 30
    max_result_bytes: int = 50 * 1024 * 1024


def oxigraph_binary() -> str:
    """The ``oxigraph`` server executable of the pip package ``oxigraph`` (beside this Python, or on PATH)."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise ServeError("the oxigraph server is not installed: pip install oxigraph")
    return found


def free_port(host: str = DEFAULT_HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(socket.gethostbyname(host)).is_loopback
    except (OSError, ValueError):
        return False


def wait_until_listening(host: str, port: int, process: subprocess.Popen | None = None, seconds: float = 30.0) -> None:
    """Block until something accepts connections on host:port (or the process died, or time is up)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise ServeError(f"the oxigraph server exited with status {process.returncode}")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise ServeError(f"nothing listens on {host}:{port} after {seconds:.0f} s")


def start_oxigraph(location: Path, port: int, *, read_only: bool, timeout_s: int) -> subprocess.Popen:
    """Start the Oxigraph server on loopback over ``location``, querying the union of named graphs."""
    command = [
        oxigraph_binary(),
        "serve-read-only" if read_only else "serve",
        "--location", str(location),
        "--bind", f"{DEFAULT_HOST}:{port}",
        "--union-default-graph",
        "--timeout-s", str(timeout_s),
    ]
    # The server's log goes to a file, not a pipe: nobody reads a pipe while it serves, and a full one blocks it.
    log_file = tempfile.TemporaryFile()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log_file)
    try:
        wait_until_listening(DEFAULT_HOST, port, process)
    except ServeError as error:
        process.kill()
        process.wait()
        log_file.seek(0)
        stderr = log_file.read().decode("utf-8", "replace").strip().splitlines()
        raise ServeError(f"{location}: {error}" + (f": {stderr[-1]}" if stderr else "")) from error
    finally:
        log_file.close()
    return process


def _gate(backend_port: Callable[[], int], settings: ServeSettings) -> type[BaseHTTPRequestHandler]:
    class Gate(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "policykg-serve"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
            log.info("%s %s", self.address_string(), format % args)

        def _refuse(self, status: int, message: str) -> None:
            body = (message + "\n").encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _forward(self) -> None:
            path = self.path.split("?", 1)[0]
            if path in _WRITE_PATHS and not settings.allow_update:
                if not (path == "/store" and self.command in ("GET", "HEAD")):
                    self._refuse(403, "read-only server: start it with --allow-update to change the store")
                    return
            elif path not in _READ_PATHS and path not in _WRITE_PATHS:
                self._refuse(404, f"no such endpoint {path}; queries go to /query")
                return
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection", "content-length")}
            try:
                port = backend_port()
            except (ServeError, StoreError, OSError) as error:
                self._refuse(503, f"cannot serve the rebuilt store: {error}")
                return
            connection = http.client.HTTPConnection(DEFAULT_HOST, port, timeout=settings.timeout_s + 10)
            try:
                connection.request(self.command, self.path, body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read(settings.max_result_bytes + 1)
                if len(payload) > settings.max_result_bytes:
                    self._refuse(413, f"the answer is larger than the limit of {settings.max_result_bytes} bytes; "
                                      "add LIMIT or narrow the query")
                    return
                self.send_response(response.status, response.reason)
                for name, value in response.getheaders():
                    if name.lower() not in ("transfer-encoding", "connection", "content-length", "server", "date"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)
            except (OSError, http.client.HTTPException) as error:
                self._refuse(504, f"the SPARQL engine did not answer: {error}")
            finally:
                connection.close()

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

    return Gate


@dataclass
class _Backend:
    """One Oxigraph server process over one store folder (a snapshot of it when read-only)."""

    process: subprocess.Popen
    port: int
    store: Path  # the store folder it serves (the target of OUT/store when it started)
    snapshot: Path | None  # the temporary folder holding its snapshot, removed when it stops

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.snapshot is not None:
            shutil.rmtree(self.snapshot, ignore_errors=True)


def _start_backend(out_dir: Path, settings: ServeSettings) -> _Backend:
    store = store_path(out_dir).resolve()
    snapshot = None
    location = store
    try:
        if not settings.allow_update:
            snapshot = Path(tempfile.mkdtemp(prefix="policykg-serve-"))
            location = snapshot / "store"
            ox.Store.read_only(str(store)).backup(str(location))
        port = free_port()
        process = start_oxigraph(location, port, read_only=not settings.allow_update, timeout_s=settings.timeout_s)
    except BaseException:
        if snapshot is not None:
            shutil.rmtree(snapshot, ignore_errors=True)
        raise
    return _Backend(process, port, store, snapshot)


class SparqlServer:
    """The Oxigraph server plus the gate; a context manager that stops both and removes the snapshot."""

    def __init__(self, out_dir: Path, settings: ServeSettings) -> None:
        if not has_store(out_dir):
            raise StoreError(f"{store_path(out_dir)}: no store here; run `policykg build` first")
        self.out_dir = out_dir
        self.settings = settings
        self.httpd: ThreadingHTTPServer | None = None
        self._lock = threading.Lock()
        self._retired: list[threading.Timer] = []
        self.backend = _start_backend(out_dir, settings)
        try:
            self.httpd = ThreadingHTTPServer((settings.host, settings.port), _gate(self.backend_port, settings))
        except OSError as error:
            self.close()
            raise ServeError(f"cannot listen on {settings.host}:{settings.port}: {error.strerror or error}") from error

    def backend_port(self) -> int:
        """The port of the Oxigraph server over the current store: a new one if a build has swapped in a new store.

        The old server is stopped once the queries it may hold have timed out.
        """
        with self._lock:
            if not self.settings.allow_update and store_path(self.out_dir).resolve() != self.backend.store:
                old, self.backend = self.backend, _start_backend(self.out_dir, self.settings)
                log.info("serving the rebuilt store %s", self.backend.store)
                timer = threading.Timer(self.settings.timeout_s + 10, old.stop)
                timer.daemon = True
                timer.start()
                self._retired.append(timer)
            return self.backend.port

    @property
    def url(self) -> str:
        assert self.httpd is not None
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/query"

    def serve_forever(self) -> None:
        assert self.httpd is not None
        self.httpd.serve_forever()

    def shutdown(self) -> None:
        """Stop serve_forever from another thread."""
        if self.httpd is not None:
            self.httpd.shutdown()

    def close(self) -> None:
        if self.httpd is not None:
            self.httpd.server_close()
        with self._lock:
            for timer in self._retired:  # stop retired servers now rather than when their timers fire
                timer.cancel()
                timer.function()
            self._retired.clear()
            self.backend.stop()

    def __enter__(self) -> SparqlServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
