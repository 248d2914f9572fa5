"""Fetch an article's web page: http or https only, bounded in time, size and redirects, never a private address.

The address a name resolves to is checked, and the connection is made to that
very address (no second lookup that could answer differently), after every
redirect too: a public page cannot send ``new`` to the maintainer's router or
to a cloud metadata service.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import time
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

TIMEOUT = 20.0
"""Seconds for the whole fetch, redirects included."""
MAX_PAGE_BYTES = 5 * 1024 * 1024
"""Largest page accepted, after decompression (news pages weigh 100 KB to 1 MB)."""
MAX_REDIRECTS = 5
"""Redirects followed before giving up."""
SCHEMES = ("http", "https")
HTML_TYPES = ("text/html", "application/xhtml+xml")
USER_AGENT = "Mozilla/5.0 (compatible; dossiers-presse-new/1.0)"
_CHUNK = 64 * 1024


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
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
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


def _resolve(host: str, port: int, allow_private: bool, url: str) -> str:
    """The address to connect to, checked; the first one the resolver gives."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"{url} : nom de domaine introuvable ({host})") from error
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
    for _ in range(max_redirects + 1):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in SCHEMES:
            raise FetchError(f"{first} : redirigé vers une adresse {scheme or 'sans protocole'} : refusée")
        try:
            port = parts.port or (443 if scheme == "https" else 80)
        except ValueError as error:
            raise FetchError(f"{url} : port invalide") from error
        host = parts.hostname
        if not host:
            raise FetchError(f"{url} : adresse sans nom de domaine")
        address = _resolve(host, port, allow_private, url)
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
            return socket.create_connection(to, wait)

        connection._create_connection = _connect  # type: ignore[attr-defined]
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request(
                "GET",
                target,
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
                url = urljoin(url, location.strip())
                continue
            if response.status != 200:
                raise FetchError(f"{url} : le serveur a répondu {response.status} ({response.reason})")
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
                if time.monotonic() > deadline:
                    raise FetchError(f"{first} : pas de réponse complète après {timeout:g} s : abandon")
                chunk = response.read(_CHUNK)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            if size > max_bytes:
                raise FetchError(f"{url} : page de plus de {_size(max_bytes)} : refusée")
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
