"""Local servers on 127.0.0.1 for the platform tests: they replay recorded payloads, so
no test talks to a real host.

- ``serve(routes)``: an HTTP server answering from a table of ``Reply`` objects (or
  functions of the request), and recording every request it got.
- ``cassette_routes(...)``: the table for a vcrpy cassette recorded by Mastodon.py's
  test suite against a real Mastodon server (shared/data/platforms/).
- ``serve_jetstream(events)``: a WebSocket server that sends Jetstream events, from the
  cursor the client asks for, and closes.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from koers.tests.needs import shared_data


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    # Keep the request waiting until the server stops: a host that never answers.
    hang: bool = False


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]


Route = Reply | list[Reply] | Callable[[Request], Reply]


class LocalServer:
    def __init__(self, routes: dict[str, Route], host: str = "127.0.0.1") -> None:
        self.routes = routes
        self.requests: list[Request] = []
        self.stopping = threading.Event()
        self._served: dict[str, int] = {}
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer((host, 0), self._handler())
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://{host}:{self.port}"

    def _reply(self, request: Request) -> Reply:
        route = self.routes.get(request.path)
        if route is None:
            return Reply(404, f"nothing recorded for {request.path}")
        if callable(route):
            return route(request)
        if isinstance(route, list):
            # Consecutive requests get the replies in order; the last one repeats.
            with self._lock:
                index = self._served.get(request.path, 0)
                self._served[request.path] = index + 1
            return route[min(index, len(route) - 1)]
        return route

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                parts = urlsplit(self.path)
                request = Request(
                    "GET",
                    parts.path,
                    dict(parse_qsl(parts.query, keep_blank_values=True)),
                    {k.lower(): v for k, v in self.headers.items()},
                )
                server.requests.append(request)
                reply = server._reply(request)
                if reply.hang:
                    server.stopping.wait()
                    return
                body = reply.body.encode() if isinstance(reply.body, str) else reply.body
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format, *args):
                pass

        return Handler

    def close(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@contextmanager
def serve(routes: dict[str, Route], *, host: str = "127.0.0.1") -> Iterator[LocalServer]:
    server = LocalServer(routes, host)
    thread = threading.Thread(
        target=server.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.close()
        thread.join(timeout=5)


# Recorded headers that describe the recorded transfer, not the content.
_TRANSFER_HEADERS = {"content-length", "transfer-encoding", "connection", "keep-alive"}


def load_cassette(name: str) -> list[dict]:
    import yaml

    path = shared_data("platforms", "mastodon_api_cassettes", name)
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)["interactions"]


def recorded_reply(interaction: dict) -> Reply:
    response = interaction["response"]
    headers = {
        name: values[0] if isinstance(values, list) else values
        for name, values in response["headers"].items()
        if name.lower() not in _TRANSFER_HEADERS
    }
    return Reply(response["status"]["code"], response["body"].get("string", ""), headers)


def cassette_routes(
    name: str, *, ignore: frozenset[str] = frozenset(), paths: dict[str, str] | None = None
) -> dict[str, Route]:
    """Routes answering GET requests as the cassette recorded them.

    A request matches a recording with the same path and the same query parameters,
    leaving out those in ``ignore`` on both sides. ``paths`` maps a path Koers asks
    for to a recorded path that should answer it (said, and why, in each test).
    Anything unrecorded gets a 404 that says so.
    """
    recorded: dict[str, list[tuple[dict[str, str], Reply]]] = {}
    for interaction in load_cassette(name):
        request = interaction["request"]
        if request["method"] != "GET":
            continue
        parts = urlsplit(request["uri"])
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        recorded.setdefault(parts.path, []).append((query, recorded_reply(interaction)))

    def answer(recorded_path: str) -> Callable[[Request], Reply]:
        def route(request: Request) -> Reply:
            wanted = {k: v for k, v in request.query.items() if k not in ignore}
            for query, reply in recorded[recorded_path]:
                if {k: v for k, v in query.items() if k not in ignore} == wanted:
                    return reply
            return Reply(404, f"nothing recorded for {request.path}?{request.query}")

        return route

    routes: dict[str, Route] = {path: answer(path) for path in recorded}
    for asked, recorded_path in (paths or {}).items():
        routes[asked] = answer(recorded_path)
    return routes


def jetstream_events() -> list[dict]:
    path = shared_data("platforms", "bluesky_jetstream", "expected_v1.jsonl")
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@dataclass
class JetstreamServer:
    url: str
    paths: list[str]


@contextmanager
def serve_jetstream(
    events: list[dict], *, pauses: dict[int, float] | None = None
) -> Iterator[JetstreamServer]:
    """Jetstream as a replay: send the events (those at or after ``cursor`` when the
    client gives one, as Jetstream does), then close normally. ``pauses``: seconds to
    wait before sending the event at that index (a live stream is not one burst)."""
    from websockets.sync.server import serve as ws_serve

    paths: list[str] = []

    def handler(connection) -> None:
        paths.append(connection.request.path)
        query = dict(parse_qsl(urlsplit(connection.request.path).query))
        cursor = int(query.get("cursor", 0))
        for index, event in enumerate(events):
            if pauses and index in pauses:
                time.sleep(pauses[index])
            if event.get("time_us", 0) >= cursor:
                connection.send(json.dumps(event))
        connection.close()

    with ws_serve(handler, "127.0.0.1", 0) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        port = server.socket.getsockname()[1]
        try:
            yield JetstreamServer(f"ws://127.0.0.1:{port}/subscribe", paths)
        finally:
            server.shutdown()
            thread.join(timeout=5)
