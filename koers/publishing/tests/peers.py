"""Local peers for the publishing tests and benchmark, on 127.0.0.1 only.

- ``MastodonPeer``: the ``mastodon-mock`` package (a stateful Mastodon REST API with
  ``Idempotency-Key`` semantics and fault injection) in a thread, with helpers to
  inject answers (429 with Retry-After, 500, 401, a hang), to count and list what the
  account posted, and to favourite, boost and reply as other accounts.
- ``BlueskyPeer``: a small XRPC server of our own: createSession, refreshSession,
  createRecord (a taken record key is refused), getRecord, uploadBlob and
  app.bsky.feed.getPosts, counting records; it can fail the next calls of a method
  (before or *after* doing the work) and expire the access token.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import grapheme

from koers.tests.needs import missing

# Fixtures of mastodon-mock's seed and of our Bluesky peer, not credentials.
MASTODON_TOKEN = "alice_token"
OTHER_TOKEN = "bob_token"
APP_PASSWORD = "abcd-efgh-ijkl-mnop"


def _request(method: str, url: str, body=None, token: str = "") -> object:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read() or b"null")


class MastodonPeer:
    def __init__(self) -> None:
        try:
            from mastodon_mock.testing import MockServer
        except ImportError:
            missing("mastodon-mock is not installed (pip install -e '.[dev]').")
        self.server = MockServer().start()
        self.url = f"http://127.0.0.1:{self.server._port}"
        self.token = MASTODON_TOKEN

    def stop(self) -> None:
        self.server.stop()

    def reset(self) -> None:
        """Empty the instance again (the seed accounts stay) and drop every fault."""
        _request("POST", f"{self.url}/api/v1/_mock/reset")

    def fail(
        self, status: int, *, path="/api/v1/statuses", count=1, method="POST", headers=None,
        body=None,
    ):  # fmt: skip
        """Answer the next ``count`` matching requests with ``status`` (429 adds
        Retry-After: ``headers`` overrides it) without doing the work."""
        effect = {"type": "ratelimit" if status == 429 else "status", "status": status}
        if headers:
            effect["headers"] = headers
        if body is not None:
            effect["body"] = body
        rule = {"match": {"methods": [method], "path": path}, "effect": effect, "count": count}
        _request("POST", f"{self.url}/api/v1/_mock/faults", rule)

    def hang(self, *, path="/api/v1/statuses", count=1, delay_ms=3000):
        rule = {
            "match": {"methods": ["POST"], "path": path},
            "effect": {"type": "timeout", "delay_ms": delay_ms},
            "count": count,
        }
        _request("POST", f"{self.url}/api/v1/_mock/faults", rule)

    def me(self) -> dict:
        return _request("GET", f"{self.url}/api/v1/accounts/verify_credentials", token=self.token)

    def count(self) -> int:
        """Statuses the account has posted."""
        return int(self.me()["statuses_count"])

    def statuses(self) -> list[dict]:
        """Every status of the account, newest first."""
        account_id = self.me()["id"]
        found: list[dict] = []
        max_id = ""
        while True:
            query = "limit=40" + (f"&max_id={max_id}" if max_id else "")
            page = _request(
                "GET", f"{self.url}/api/v1/accounts/{account_id}/statuses?{query}", token=self.token
            )
            if not page:
                return found
            found.extend(page)
            max_id = page[-1]["id"]

    def status(self, status_id: str) -> dict:
        return _request("GET", f"{self.url}/api/v1/statuses/{status_id}", token=self.token)

    def react(self, status_id: str, *, favourite=True, boost=False, reply="", token=OTHER_TOKEN):
        if favourite:
            _request("POST", f"{self.url}/api/v1/statuses/{status_id}/favourite", {}, token)
        if boost:
            _request("POST", f"{self.url}/api/v1/statuses/{status_id}/reblog", {}, token)
        if reply:
            body = {"status": reply, "in_reply_to_id": status_id}
            _request("POST", f"{self.url}/api/v1/statuses", body, token)


@dataclass
class Fault:
    method: str
    status: int
    count: int = 1
    after: bool = False  # do the work, then answer with the fault
    headers: dict = field(default_factory=dict)
    body: dict = field(default_factory=dict)


_TID = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")


class BlueskyPeer:
    """A PDS that knows one account."""

    def __init__(self, handle="koers.example", password=APP_PASSWORD) -> None:
        self.handle = handle
        self.password = password
        self.did = "did:plc:koersexample"
        self.records: dict[str, dict] = {}  # rkey → record
        self.blobs: list[dict] = []
        self.counts: dict[str, dict] = {}  # uri → likeCount, repostCount, replyCount
        self.faults: list[Fault] = []
        self.calls: list[str] = []
        self.sessions = 0
        self._serial = itertools.count(1)
        self.access = self.refresh = ""
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def fail(self, method: str, status: int, *, count=1, after=False, headers=None, body=None):
        error = body or {"error": "InternalServerError", "message": "Injected failure"}
        self.faults.append(Fault(method, status, count, after, headers or {}, error))

    def expire_access(self) -> None:
        """The access token stops working (as it does after two hours)."""
        self.access = "expired"

    def revoke(self) -> None:
        """The app password was revoked: no session can be opened or refreshed."""
        self.password = "revoked"
        self.access = self.refresh = "revoked"

    def texts(self) -> list[str]:
        return [record["text"] for record in self.records.values()]

    def _take_fault(self, method: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.method == method and fault.count > 0:
                    fault.count -= 1
                    return fault
        return None

    def _session(self) -> dict:
        serial = next(self._serial)
        self.access, self.refresh = f"access-{serial}", f"refresh-{serial}"
        self.sessions += 1
        return {
            "accessJwt": self.access,
            "refreshJwt": self.refresh,
            "did": self.did,
            "handle": self.handle,
        }

    def handle_call(self, method: str, query: dict, token: str, body: bytes, kind: str):
        """(status, answer) for one XRPC call."""
        if method == "com.atproto.server.createSession":
            data = json.loads(body)
            if data.get("password") != self.password:
                return 401, {"error": "AuthenticationRequired", "message": "Invalid password"}
            return 200, self._session()
        if method == "com.atproto.server.refreshSession":
            if not token or token != self.refresh:
                return 400, {"error": "ExpiredToken", "message": "Token has expired"}
            return 200, self._session()
        if method == "com.atproto.repo.getRecord":
            rkey = query.get("rkey", [""])[0]
            if rkey not in self.records:
                return 400, {"error": "RecordNotFound", "message": f"Could not locate {rkey}"}
            return 200, {"uri": self._uri(rkey), "cid": f"cid-{rkey}", "value": self.records[rkey]}
        if method not in (
            "com.atproto.repo.createRecord",
            "com.atproto.repo.uploadBlob",
            "app.bsky.feed.getPosts",
        ):
            return 404, {"error": "MethodNotImplemented"}
        if token != self.access or self.access in ("expired", "revoked"):
            return 400, {"error": "ExpiredToken", "message": "Token has expired"}
        if method == "com.atproto.repo.uploadBlob":
            if len(body) > 1_000_000:
                return 400, {"error": "BlobTooLarge", "message": "Blob too large"}
            blob = {"$type": "blob", "ref": {"$link": f"bafk{len(self.blobs)}"}, "size": len(body)}
            self.blobs.append({**blob, "mimeType": kind})
            return 200, {"blob": {**blob, "mimeType": kind}}
        if method == "app.bsky.feed.getPosts":
            uris = query.get("uris", [])
            return 200, {"posts": [{"uri": u, **self.counts.get(u, {})} for u in uris]}
        data = json.loads(body)
        rkey, record = data.get("rkey", ""), data.get("record", {})
        if not _TID.match(rkey):
            return 400, {"error": "InvalidRequest", "message": f"Invalid record key {rkey}"}
        if grapheme.length(record.get("text", "")) > 300:
            return 400, {"error": "InvalidRequest", "message": "Record/text must not be longer"}
        with self._lock:
            if rkey in self.records:
                return 400, {"error": "InvalidRequest", "message": "Record already exists"}
            self.records[rkey] = record
        return 200, {"uri": self._uri(rkey), "cid": f"cid-{rkey}"}

    def _uri(self, rkey: str) -> str:
        return f"at://{self.did}/app.bsky.feed.post/{rkey}"

    def _handler(self):
        peer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self):
                parts = urlsplit(self.path)
                method = parts.path.removeprefix("/xrpc/")
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
                kind = self.headers.get("Content-Type") or ""
                peer.calls.append(method)
                fault = peer._take_fault(method)
                if fault and not fault.after:
                    return self._send(fault.status, fault.body, fault.headers)
                status, answer = peer.handle_call(method, parse_qs(parts.query), token, body, kind)
                if fault:
                    return self._send(fault.status, fault.body, fault.headers)
                return self._send(status, answer, {})

            def _send(self, status, answer, headers):
                data = json.dumps(answer).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(data)

            do_GET = _answer
            do_POST = _answer

            def log_message(self, format, *args):
                pass

        return Handler


def mastodon_statuses_by_text(peer: MastodonPeer) -> dict[str, int]:
    """How often each text was posted (html stripped)."""
    from koers.platforms.http import html_to_text

    counts: dict[str, int] = {}
    for status in peer.statuses():
        text = html_to_text(status.get("content", ""))
        counts[text] = counts.get(text, 0) + 1
    return counts
