"""Fetch an article's web page: http or https only, bounded in time, size and redirects, never a private address.

The address a name resolves to is checked, and the connection is made to that
very address (no second lookup that could answer differently), after every
redirect too: a public page cannot send ``new`` to the maintainer's router or
to a cloud metadata service.
"""

from __future__ import annotations

import http.client
import io
import ipaddress
import socket
import threading
import time
import zlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, quote, urljoin, urlsplit

TIMEOUT = 20.0
"""Seconds for the whole fetch, redirects included."""
MAX_PAGE_BYTES = 10 * 1024 * 1024
"""Largest page accepted, after decompression (news pages weigh 100 KB to 3 MB, saved ones included)."""
MAX_REDIRECTS = 5
"""Redirects followed before giving up."""
SCHEMES = ("http", "https")
HTML_TYPES = ("text/html", "application/xhtml+xml")
USER_AGENT = "Mozilla/5.0 (compatible; dossiers-presse-new/1.0)"
_CHUNK = 64 * 1024
# RFC 3986 characters a path or query may hold as they are; "%" keeps the escapes already there.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"


class FetchError(Exception):
    """A refusal, in French, ready to be printed after « erreur : »."""


@dataclass(frozen=True)
class Fetched:
    """A page as the server sent it."""

    url: str
    """The address finally read, after redirects."""
    data: bytes
    """The body, decompressed."""
    content_type: str
    """The media type, without parameters (empty when the server gave none)."""
    charset: str | None
    """The encoding the server declared, if any."""


def scheme_of(source: str) -> str | None:
    """The scheme of ``source`` when it reads as an address (``https``, ``file``…), else ``None``."""
    head, colon, _ = source.partition(":")
    if not colon or len(head) < 2 or not head[0].isalpha():
        return None
    if all(c.isalnum() or c in "+.-" for c in head):
        return head.lower()
    return None


def _size(limit: int) -> str:
    return f"{limit / 1024 / 1024:g} Mo" if limit >= 1024 * 1024 else f"{limit // 1024} Ko"


def _refused_address(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why ``ip`` may not be fetched, or ``None`` for a public address."""
    if isinstance(ip, ipaddress.IPv6Address):
        # 6to4 and Teredo relays deliver to the IPv4 address inside: 2002:7f00:1::1 is 127.0.0.1.
        embedded = [ip.sixtofour] if ip.sixtofour is not None else list(ip.teredo or ())
        for inner in embedded:
            why = _refused_address(inner)
            if why:
                return why
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
    if ip.is_loopback:
        return "locale (cette machine)"
    if ip.is_link_local:
        return "de lien local (réseau local, service de métadonnées)"
    if ip.is_multicast or ip.is_unspecified or ip.is_reserved:
        return "réservée (non publique)"
    if ip.is_private or not ip.is_global:
        return "privée (réseau local)"
    return None


def _lookup(host: str, port: int, seconds: float) -> list[tuple[Any, ...]] | None:
    """The resolver's answer for ``host``, or ``None`` if it gives none within ``seconds``.

    The system's resolver takes no timeout, and a name server that never answers
    holds it for as long as its own settings say (30 s and more): it is asked in
    a thread of its own, left behind if it is late (the command ends soon after).
    """
    answer: list[list[tuple[Any, ...]] | BaseException] = []

    def ask() -> None:
        try:
            answer.append(list(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)))
        except BaseException as error:  # handed to the caller, which says what it means
            answer.append(error)

    asking = threading.Thread(target=ask, name="press-dns", daemon=True)
    asking.start()
    asking.join(max(seconds, 0.0))
    if not answer:
        return None
    if isinstance(answer[0], BaseException):
        raise answer[0]
    return answer[0]


def _resolve(host: str, port: int, allow_private: bool, url: str, seconds: float) -> str | None:
    """The address to connect to, checked; the first one the resolver gives; ``None`` if it is too slow."""
    try:
        infos = _lookup(host, port, seconds)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"{url} : nom de domaine introuvable ({host})") from error
    if infos is None:
        return None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise FetchError(f"{url} : nom de domaine introuvable ({host})")
    if not allow_private:
        # Every address is checked, not only the one used: a name answering both
        # a public and a private address is refused.
        for address in addresses:
            why = _refused_address(ipaddress.ip_address(address.split("%")[0]))
            if why:
                raise FetchError(
                    f"{url} : l'adresse {address} de {host} est {why} : refusée "
                    "(seules les adresses publiques sont lues)"
                )
    return addresses[0]


class _DeadlineReader(io.RawIOBase):
    """The socket's bytes, each read given only the time left before the deadline.

    A socket timeout alone restarts at every byte: a server dripping one byte a
    second would keep ``new`` reading for ever, in the headers as in the body.
    """

    def __init__(self, raw: io.RawIOBase, sock: socket.socket, deadline: float) -> None:
        super().__init__()
        self._raw = raw
        self._sock = sock
        self._deadline = deadline

    def readable(self) -> bool:
        """Always: this is the reading side of the connection."""
        return True

    def readinto(self, buffer: memoryview) -> int | None:  # type: ignore[override]
        """One read from the socket, refused with :class:`TimeoutError` once the deadline has passed."""
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("deadline passed")
        self._sock.settimeout(left)
        return self._raw.readinto(buffer)

    def close(self) -> None:
        """Close the socket's reader too: the connection's socket closes once its last reader has."""
        self._raw.close()
        super().close()


def _response_class(deadline: float) -> type[http.client.HTTPResponse]:
    """An ``HTTPResponse`` reading its status line, headers and body through a :class:`_DeadlineReader`."""

    class _Response(http.client.HTTPResponse):
        def __init__(self, sock: socket.socket, *args: object, **kwargs: object) -> None:
            super().__init__(sock, *args, **kwargs)  # type: ignore[arg-type]
            # The socket's own reader, wrapped before any byte is read; it keeps the socket open
            # until the response is done, as http.client expects.
            self.fp = io.BufferedReader(_DeadlineReader(self.fp.detach(), sock, deadline))

    return _Response


def _split(url: str, label: str) -> tuple[SplitResult, int]:
    """``url`` split, with its port; a :class:`FetchError` naming ``label`` when it is no valid address."""
    try:
        parts = urlsplit(url)
        return parts, parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError as error:
        raise FetchError(f"{label} ({error})") from error


def _target(parts: SplitResult) -> str:
    """The request target: path and query percent-encoded in UTF-8, escapes already there kept as they are."""
    path = quote(parts.path or "/", safe=_PATH_SAFE, encoding="utf-8")
    return path + (f"?{quote(parts.query, safe=_QUERY_SAFE, encoding='utf-8')}" if parts.query else "")


def _decompress(data: bytes, encoding: str, limit: int, url: str) -> bytes:
    if encoding in ("", "identity"):
        return data
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(f"{url} : encodage de transfert inconnu ({encoding})")
    wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
    # Decompressed in bounded steps: a small compressed page cannot expand past the cap.
    inflater = zlib.decompressobj(wbits)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as error:
        raise FetchError(f"{url} : réponse compressée illisible") from error
    if len(out) > limit:
        raise FetchError(f"{url} : page de plus de {_size(limit)} : refusée")
    if not inflater.eof:
        # The stream stopped before its end marker: the page is cut short.
        raise FetchError(f"{url} : réponse compressée tronquée : refusée")
    return out


def fetch(
    url: str,
    allow_private: bool = False,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_PAGE_BYTES,
    max_redirects: int = MAX_REDIRECTS,
) -> Fetched:
    """The page at ``url``, or a :class:`FetchError` saying in French why not."""
    deadline = time.monotonic() + timeout
    first = url
    parts, port = _split(url, f"{url} : adresse invalide")
    for _ in range(max_redirects + 1):
        scheme = parts.scheme.lower()
        if scheme not in SCHEMES:
            raise FetchError(f"{first} : redirigé vers une adresse {scheme or 'sans protocole'} : refusée")
        host = parts.hostname
        if not host:
            raise FetchError(f"{url} : adresse sans nom de domaine")
        address = _resolve(host, port, allow_private, url, deadline - time.monotonic())
        if address is None:
            raise FetchError(f"{first} : pas de réponse après {timeout:g} s (nom de domaine {host}) : abandon")
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"{first} : pas de réponse complète après {timeout:g} s : abandon")
        connection: http.client.HTTPConnection = (
            http.client.HTTPSConnection(host, port, timeout=remaining)
            if scheme == "https"
            else http.client.HTTPConnection(host, port, timeout=remaining)
        )

        # Connect to the address checked above, not to a second lookup of the name;
        # HTTPS still checks the certificate against the name.
        def _connect(
            _address: tuple[str, int], wait: float | None, _source: object = None, to: tuple[str, int] = (address, port)
        ) -> socket.socket:
            sock = socket.create_connection(to, wait)
            # The TLS handshake and the request get what is left of the time, not a fresh timeout.
            sock.settimeout(max(deadline - time.monotonic(), 0.001))
            return sock

        connection._create_connection = _connect  # type: ignore[attr-defined]
        connection.response_class = _response_class(deadline)
        try:
            connection.request(
                "GET",
                _target(parts),
                headers={
                    "User-Agent": USER_AGENT,
                    "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
                    "Accept-Language": "fr,fr-FR;q=0.9",
                    "Accept-Encoding": "gzip",
                },
            )
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location")
                connection.close()
                if not location:
                    raise FetchError(f"{url} : redirection sans adresse")
                invalid = f"{url} : redirection vers une adresse invalide « {location.strip()[:200]} » : refusée"
                try:
                    url = urljoin(url, location.strip())
                except ValueError as error:
                    raise FetchError(f"{invalid} ({error})") from error
                parts, port = _split(url, invalid)
                continue
            if response.status != 200:
                # Sites behind an anti-robot wall answer 401/403/429 to any program: the browser still works.
                hint = (
                    " ; enregistrez la page depuis le navigateur et donnez le fichier .html"
                    if response.status in (401, 402, 403, 429, 451)
                    else ""
                )
                raise FetchError(f"{url} : le serveur a répondu {response.status} ({response.reason}){hint}")
            declared = response.getheader("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"{url} : page de plus de {_size(max_bytes)} : refusée")
            media, _, params = (response.getheader("Content-Type") or "").partition(";")
            media = media.strip().lower()
            if media and media not in HTML_TYPES:
                raise FetchError(f"{url} : ce n'est pas une page HTML (type « {media} ») : refusée")
            chunks: list[bytes] = []
            size = 0
            while size <= max_bytes:
                # One socket read at most per step: the reader checks the deadline before each.
                chunk = response.read1(_CHUNK)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            if size > max_bytes:
                raise FetchError(f"{url} : page de plus de {_size(max_bytes)} : refusée")
            # http.client ends a body cut short by the server as if it were whole: only the bytes
            # still owed (``length``) tell. A chunked reply cut short raises IncompleteRead instead.
            if response.length:
                raise FetchError(
                    f"{url} : réponse tronquée ({size} octets reçus sur {size + response.length} annoncés) : refusée"
                )
            encoding = (response.getheader("Content-Encoding") or "").strip().lower()
            data = _decompress(b"".join(chunks), encoding, max_bytes, url)
        except TimeoutError as error:
            raise FetchError(f"{first} : pas de réponse après {timeout:g} s : abandon") from error
        except (OSError, http.client.HTTPException) as error:
            raise FetchError(f"{url} : lecture impossible ({error.__class__.__name__} : {error})") from error
        finally:
            connection.close()
        charset = None
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.lower() == "charset" and value:
                charset = value.strip("\"' ").lower()
        return Fetched(url, data, media, charset)
    raise FetchError(f"{first} : plus de {max_redirects} redirections : refusée")
