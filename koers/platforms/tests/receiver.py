"""A webhook receiver on 127.0.0.1 for tests of outgoing POSTs (``http.post`` and the
alert channels): it records every request with its body and answers from a list of
replies, so a test can make it fail the first requests (500, a hang past the
client's time-out) and then accept.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from koers.platforms.tests.servers import Reply


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


class Receiver:
    """Answers request n with ``replies[n]``; the last reply repeats."""

    def __init__(self, replies: list[Reply]) -> None:
        self.replies = replies
        self.requests: list[Received] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def _next(self, received: Received) -> Reply:
        with self._lock:
            self.requests.append(received)
            index = len(self.requests) - 1
        return self.replies[min(index, len(self.replies) - 1)]

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                reply = receiver._next(Received(self.command, self.path, headers, body))
                if reply.hang:
                    receiver.stopping.wait()
                    return
                data = reply.body.encode() if isinstance(reply.body, str) else reply.body
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(data)

            do_POST = _answer
            do_GET = _answer

            def log_message(self, format, *args):
                pass

        return Handler


@contextmanager
def receive(*replies: Reply) -> Iterator[Receiver]:
    """A receiver answering with ``replies`` in turn (default: 200 "ok")."""
    receiver = Receiver(list(replies) or [Reply(200, "ok")])
    thread = threading.Thread(
        target=receiver.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    try:
        yield receiver
    finally:
        receiver.stopping.set()
        receiver.httpd.shutdown()
        receiver.httpd.server_close()
        thread.join(timeout=5)
