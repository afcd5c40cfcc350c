"""`dyad serve` as a real server on 127.0.0.1: connections that never finish their headers are
closed, concurrent requests are capped, malformed requests get a JSON 400, and a read-only server
holds no lock: `dyad extract` writes the same file while it runs, and the API then shows the new
articles.  Load stays small (tens of connections) and every wait is bounded."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
import uvicorn

from conftest_store import filled_store
from dyad import server
from dyad.api import create_app
from dyad.cli import serve as serve_cli


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Running:
    def __init__(self, app, **kwargs):
        self.port = _free_port()
        self.server = uvicorn.Server(server.config(app, port=self.port, **kwargs))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Running:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)

    def get(self, path: str) -> tuple[int, dict]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=30) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def stalled(self, n: int) -> list[socket.socket]:
        """n connections that send half a request head and stop."""
        out = []
        for _ in range(n):
            s = socket.create_connection(("127.0.0.1", self.port), timeout=30)
            s.sendall(b"GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            out.append(s)
        return out


def _closed_by_server(sock: socket.socket, within: float) -> bool:
    """Does the server close the connection within `within` seconds (reading what it still sends)?"""
    deadline = time.monotonic() + within
    while (left := deadline - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            if sock.recv(65536) == b"":
                return True
        except TimeoutError:
            return False
        except ConnectionResetError:
            return True
    return False


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("server") / "s.duckdb"
    filled_store(path).close()
    return path


def test_serve_defaults_are_the_servers():
    assert (serve_cli.HEADER_TIMEOUT, serve_cli.MAX_CONNECTIONS) == (server.HEADER_TIMEOUT, server.MAX_CONNECTIONS)


def test_connections_that_never_finish_their_headers_are_closed(db_path):
    with Running(create_app(db_path), header_timeout=0.5) as srv:
        socks = srv.stalled(30)
        try:
            assert all(_closed_by_server(s, within=20) for s in socks)
        finally:
            for s in socks:
                s.close()
        assert srv.get("/api/stats")[0] == 200


def test_a_slow_head_after_a_first_request_is_closed_too(db_path):
    with Running(create_app(db_path), header_timeout=0.5) as srv:
        s = socket.create_connection(("127.0.0.1", srv.port), timeout=30)
        try:
            s.sendall(b"GET /api/config HTTP/1.1\r\nHost: x\r\n\r\n")
            assert s.recv(65536).startswith(b"HTTP/1.1 200")
            s.sendall(b"GET /api/config HTTP/1.1\r\n")  # and then nothing
            assert _closed_by_server(s, within=20)
        finally:
            s.close()


def test_open_connections_are_capped(db_path):
    with Running(create_app(db_path), header_timeout=30, max_connections=5) as srv:
        socks = srv.stalled(5)
        try:
            with socket.create_connection(("127.0.0.1", srv.port), timeout=30) as extra:
                raw = b""
                try:
                    extra.sendall(b"GET /api/stats HTTP/1.1\r\nHost: x\r\n\r\n")
                    while chunk := extra.recv(65536):
                        raw += chunk
                except (ConnectionResetError, BrokenPipeError):
                    pass  # closed before the request was read: refused all the same
                assert raw == b"" or raw.startswith(b"HTTP/1.1 503"), raw
                if raw:
                    assert "too many connections" in json.loads(raw.partition(b"\r\n\r\n")[2])["error"]
        finally:
            for s in socks:
                s.close()
        deadline = time.monotonic() + 20
        while True:  # capacity comes back once the stalled clients leave
            try:
                if srv.get("/api/stats")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline
            time.sleep(0.1)


def test_malformed_requests_get_a_json_400(db_path):
    with Running(create_app(db_path)) as srv:
        with socket.create_connection(("127.0.0.1", srv.port), timeout=30) as s:
            s.sendall(b"GET /api/stats HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n")
            raw = b""
            while chunk := s.recv(65536):
                raw += chunk
        head, _, body = raw.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 400") and b"application/json" in head
        assert "invalid HTTP request" in json.loads(body)["error"]


def test_extract_writes_while_a_read_only_server_runs(db_path, tmp_path):
    db = tmp_path / "live.duckdb"
    filled_store(db).close()
    jsonl = tmp_path / "new.jsonl"
    jsonl.write_text(json.dumps({"id": "new-1", "text": "Chinese Foreign Minister Wang Yi met Russian Foreign "
                                 "Minister Sergey Lavrov in Moscow on Friday.", "published": "2021-03-05"}) + "\n",
                     encoding="utf-8")
    with Running(create_app(db)) as srv:
        assert srv.get("/api/stats")[1]["counts"]["articles"] == 3
        assert srv.get("/api/articles/new-1")[0] == 404
        done = subprocess.run([sys.executable, "-m", "dyad", "extract", str(jsonl), "--db", str(db), "-o",
                               str(tmp_path / "out.jsonl"), "--quiet"], capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        assert srv.get("/api/stats")[1]["counts"]["articles"] == 4
        status, article = srv.get("/api/articles/new-1")
        assert status == 200 and article["events"]
