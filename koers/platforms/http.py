"""Fetching from the internet on a user's behalf, safely. No Django.

Anyone who may add a source or an alert channel chooses the address Koers talks to, so
every request goes through ``get`` (or ``open_stream`` for endless responses, or
``post`` for webhooks, which follows no redirects), which:

- speaks only http and https, with a timeout on every step and on the whole body, a
  size cap and Koers' own User-Agent;
- refuses, unless ``allow_private`` is given, addresses on loopback, private,
  link-local (169.254.169.254: a cloud's metadata service), multicast, reserved or
  unspecified networks, IPv4 and IPv6 alike (IPv4-mapped IPv6 included). The check
  sits in the connection itself: the host name is resolved once, every address is
  checked, and the socket connects to a checked address, so a second DNS answer
  ("DNS rebinding") cannot slip past it, and every redirect hop (at most
  ``MAX_REDIRECTS``) is checked the same way;
- ignores proxy environment variables, which would move the connection (and so the
  check) elsewhere;
- turns every failure into ``SourceError``: time-outs, refused connections, 429 and
  5xx are transient; 401, 403, 404, 410, other 4xx, a refused address, a body over
  the cap or a wrong kind of content are not.

``html_to_text`` turns the HTML that feeds and Mastodon deliver into plain text.
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import ssl
import time
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from koers.platforms.base import SourceError

USER_AGENT = "Koers/0.1 (+listening)"
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
# What a webhook may answer; anything longer is not read.
POST_MAX_BYTES = 64 * 1024
_REDIRECTS = {301, 302, 303, 307, 308}
_CHUNK = 64 * 1024


@dataclass
class Response:
    """A finished GET: the final URL after redirects, status, headers (lower-case
    names) and the body (empty for 304)."""

    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def address_allowed(address: str) -> bool:
    """Whether Koers may connect to this IP address without ``allow_private``."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global  # e.g. 100.64.0.0/10 (carrier NAT), documentation ranges
    )


def _refused(host: str, address: str) -> SourceError:
    shown = host if host == address else f"{host} ({address})"
    return SourceError(
        f"The address {shown} is on a private or internal network; Koers does not fetch "
        "from there.",
        transient=False,
    )


def guarded_socket(host: str, port: int, *, timeout: float, allow_private: bool) -> socket.socket:
    """A TCP connection to ``host``, after checking every address it resolves to."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise SourceError(f"The host name {host} could not be found ({error.strerror}).") from None
    if not allow_private:
        for info in infos:
            address = str(info[4][0])
            if not address_allowed(address):
                raise _refused(host, address)
    last: OSError | None = None
    for family, kind, proto, _name, sockaddr in infos:
        sock = socket.socket(family, kind, proto)
        sock.settimeout(timeout)
        try:
            sock.connect(sockaddr)
        except OSError as error:
            sock.close()
            last = error
            continue
        return sock
    if isinstance(last, TimeoutError):
        raise SourceError(f"Time-out after {timeout:g} s while connecting to {host}.")
    raise SourceError(f"Could not connect to {host}: {last}.")


class _Guarded:
    """Mixed into http.client's connections: connect only through ``guarded_socket``."""

    allow_private = False

    def _guarded_create_connection(self, address, timeout=None, source_address=None):
        host, port = address
        return guarded_socket(
            host, port, timeout=timeout or DEFAULT_TIMEOUT, allow_private=self.allow_private
        )


class _HTTPConnection(_Guarded, http.client.HTTPConnection):
    def __init__(self, *args, allow_private: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.allow_private = allow_private
        self._create_connection = self._guarded_create_connection


class _HTTPSConnection(_Guarded, http.client.HTTPSConnection):
    def __init__(self, *args, allow_private: bool, **kwargs):
        super().__init__(*args, context=ssl.create_default_context(), **kwargs)
        self.allow_private = allow_private
        self._create_connection = self._guarded_create_connection


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourceError(
            f"{url!r} is not a web address (it must start with http:// or https://).",
            transient=False,
        )
    try:
        parts.port  # noqa: B018 - urlsplit checks the port only when asked
    except ValueError:
        raise SourceError(f"{url!r} has an invalid port.", transient=False) from None
    if parts.username or parts.password:
        raise SourceError("Put no user name or password in the address.", transient=False)


def status_error(status: int, *, with_token: bool = False) -> SourceError:
    """A ``SourceError`` for an HTTP status that is not a success."""
    if status in (401, 403):
        message = "The access token was refused" if with_token else "The server refused access"
        return SourceError(f"{message} ({status}).", transient=False, status=status)
    if status == 404:
        return SourceError("The address was not found (404).", transient=False, status=status)
    if status == 410:
        return SourceError("The address is gone for good (410).", transient=False, status=status)
    if status == 429:
        return SourceError(
            "The server asks Koers to slow down (429).", transient=True, status=status
        )
    if status >= 500:
        return SourceError(f"The server answered {status}.", transient=True, status=status)
    return SourceError(f"The server answered {status}.", transient=False, status=status)


def _has_token(headers: Mapping[str, str] | None) -> bool:
    return any(name.lower() == "authorization" for name in headers or {})


def _send(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str],
    body: bytes | None,
    timeout: float,
    allow_private: bool,
) -> tuple[http.client.HTTPResponse, http.client.HTTPConnection]:
    """One request over a guarded connection, failures turned into ``SourceError``."""
    _check_url(url)
    parts = urlsplit(url)
    kind = _HTTPSConnection if parts.scheme == "https" else _HTTPConnection
    port = parts.port or (443 if parts.scheme == "https" else 80)
    connection = kind(parts.hostname, port, timeout=timeout, allow_private=allow_private)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(method, path, body=body, headers=dict(headers))
        return connection.getresponse(), connection
    except SourceError:
        connection.close()
        raise
    except TimeoutError:
        connection.close()
        raise SourceError(f"Time-out after {timeout:g} s.") from None
    except ssl.SSLError as error:
        connection.close()
        raise SourceError(f"The secure connection failed: {error.reason}.") from None
    except (OSError, http.client.HTTPException) as error:
        connection.close()
        raise SourceError(f"The connection failed: {error}.") from None


def _open(
    url: str,
    *,
    headers: Mapping[str, str] | None,
    timeout: float,
    allow_private: bool,
) -> tuple[str, http.client.HTTPResponse, http.client.HTTPConnection]:
    """Send the GET, following at most MAX_REDIRECTS redirects, each hop guarded."""
    sent = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip", **(headers or {})}
    for _hop in range(MAX_REDIRECTS + 1):
        response, connection = _send(
            "GET", url, headers=sent, body=None, timeout=timeout, allow_private=allow_private
        )
        location = response.getheader("Location")
        if response.status in _REDIRECTS and location:
            response.close()
            connection.close()
            url = urljoin(url, location)
            continue
        return url, response, connection
    raise SourceError(f"More than {MAX_REDIRECTS} redirects.", transient=False)


def _read_body(
    response: http.client.HTTPResponse, *, timeout: float, max_bytes: int, started: float
) -> bytes:
    gzipped = (response.getheader("Content-Encoding") or "").lower() == "gzip"
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzipped else None
    parts: list[bytes] = []
    size = 0
    while True:
        # A server that trickles a byte at a time must not hold the worker forever.
        if time.monotonic() - started > timeout:
            raise SourceError(f"Time-out after {timeout:g} s.")
        try:
            chunk = response.read1(_CHUNK)
        except TimeoutError:
            raise SourceError(f"Time-out after {timeout:g} s.") from None
        except (OSError, http.client.HTTPException) as error:
            raise SourceError(f"The connection broke off: {error}.") from None
        if not chunk:
            break
        if inflater is not None:
            try:
                chunk = inflater.decompress(chunk, max_bytes + 1 - size)
            except zlib.error:
                raise SourceError("The server sent a damaged compressed answer.") from None
        size += len(chunk)
        if size > max_bytes:
            raise SourceError(
                f"The answer is larger than {max_bytes // (1024 * 1024)} MB.", transient=False
            )
        parts.append(chunk)
    return b"".join(parts)


def get(
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_private: bool = False,
) -> Response:
    """GET ``url``. A 2xx or 304 comes back as a ``Response``; anything else raises
    ``SourceError``."""
    started = time.monotonic()
    final_url, response, connection = _open(
        url, headers=headers, timeout=timeout, allow_private=allow_private
    )
    try:
        received = {name.lower(): value for name, value in response.getheaders()}
        if response.status == 304:
            return Response(final_url, 304, received)
        if not 200 <= response.status < 300:
            raise status_error(response.status, with_token=_has_token(headers))
        body = _read_body(response, timeout=timeout, max_bytes=max_bytes, started=started)
        return Response(final_url, response.status, received, body)
    finally:
        response.close()
        connection.close()


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header given in seconds (dates are rare; ignored)."""
    try:
        seconds = float(value or "")
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def post(
    url: str,
    body: bytes,
    *,
    headers: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    allow_private: bool = False,
    max_bytes: int = POST_MAX_BYTES,
) -> Response:
    """POST ``body`` (JSON unless ``headers`` say otherwise) to ``url``, with the same
    guard, timeouts and error kinds as ``get``. A 2xx comes back as a ``Response``.

    Redirects are not followed: a webhook that moved must be changed by a person, and
    a POST must not be replayed to an address nobody checked, so a 3xx is a permanent
    error naming the new address. 408, 429 and 5xx are transient; the error then
    carries ``retry_after`` (seconds from the Retry-After header, or None). The start
    of an error answer is put in the message: receivers such as Slack say there what
    was wrong ("invalid_payload", "no_service").
    """
    started = time.monotonic()
    sent = {
        "User-Agent": USER_AGENT,
        "Content-Type": "application/json",
        **(headers or {}),
    }
    response, connection = _send(
        "POST", url, headers=sent, body=body, timeout=timeout, allow_private=allow_private
    )
    try:
        received = {name.lower(): value for name, value in response.getheaders()}
        if 300 <= response.status < 400:
            where = received.get("location", "")
            raise SourceError(
                f"The server answered {response.status} and points to another address"
                + (f" ({where})" if where else "")
                + "; Koers does not follow redirects when sending. Enter the new address.",
                transient=False,
                status=response.status,
            )
        if not 200 <= response.status < 300:
            raise _post_error(response, received, timeout=timeout, started=started)
        answer = _read_body(response, timeout=timeout, max_bytes=max_bytes, started=started)
        return Response(url, response.status, received, answer)
    finally:
        response.close()
        connection.close()


def _post_error(
    response: http.client.HTTPResponse, received: dict[str, str], *, timeout: float, started: float
) -> SourceError:
    error = status_error(response.status, with_token=False)
    if response.status == 408:
        error.transient = True
    try:
        answer = _read_body(response, timeout=timeout, max_bytes=2048, started=started)
    except SourceError:
        answer = b""
    text = " ".join(answer.decode("utf-8", "replace").split())[:200]
    if text:
        error.args = (f"{error.args[0]} {text}",)
    error.retry_after = _retry_after(received.get("retry-after"))  # type: ignore[attr-defined]
    return error


def open_stream(
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    timeout: float = 60.0,
    allow_private: bool = False,
) -> Iterator[bytes]:
    """GET an endless response (server-sent events) and yield it line by line.

    ``timeout`` is the longest silence allowed between two reads (streaming servers send
    a heartbeat well within a minute). Closing the generator closes the connection.
    """
    _final_url, response, connection = _open(
        url, headers=headers, timeout=timeout, allow_private=allow_private
    )
    try:
        if response.status != 200:
            raise status_error(response.status, with_token=_has_token(headers))
        while True:
            try:
                line = response.readline(DEFAULT_MAX_BYTES)
            except TimeoutError:
                raise SourceError(f"No data for {timeout:g} s; the stream stalled.") from None
            except (OSError, http.client.HTTPException) as error:
                raise SourceError(f"The stream broke off: {error}.") from None
            if not line:
                return
            yield line
    finally:
        response.close()
        connection.close()


_SPACES = re.compile(r"\s+")


class _TextExtractor(HTMLParser):
    _BLOCKS = frozenset({"p", "br", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "tr"})
    _SKIP = frozenset({"script", "style"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skipping:
            # In HTML a line break in the source is just a space.
            self.parts.append(_SPACES.sub(" ", data))


def html_to_text(html: str) -> str:
    """Plain text from an HTML fragment: tags gone, entities decoded, paragraphs kept
    as line breaks, runs of white space within a line collapsed."""
    if "<" not in html and "&" not in html:
        return html.strip()
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    lines = (" ".join(line.split()) for line in "".join(extractor.parts).split("\n"))
    text = "\n".join(line for line in lines if line)
    return text.strip()
