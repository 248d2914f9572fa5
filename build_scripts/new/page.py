"""Read a saved or fetched web page: its article's text (trafilatura) and its metadata, each with where it was read.

Trafilatura, the reference extractor for news pages, finds the text, the
title, the author, the outlet and the tags; htmldate, through it, the date of
publication (not of modification). This module only adds what a maintainer
needs around them: where each value is written in the page (JSON-LD, Open
Graph, ``<time>``, the byline), so that a value stated twice differently is
shown as such; the typography that trafilatura's whitespace clean-up loses
(non-breaking spaces); and the refusals (not French, no article).

Both libraries are imported here, when a page is read, never by the build.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError

from build_scripts.new.clutter import is_clutter
from build_scripts.new.dates import published_day
from build_scripts.new.fetch import FetchError
from build_scripts.new.known import Guess
from build_scripts.new.outlet import AGENCIES, OUTLETS

MIN_ARTICLE_CHARS = 300
"""Less text than this is a teaser, a home page or an error page, not an article."""
MAX_TAGS = 12
MAX_TAG_CHARS = 60
INSTALL_HINT = "python3 -m pip install --require-hashes -r requirements-maintainer.lock"

_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "blogposting",
    "liveblogposting",
    "report",
    "scholarlyarticle",
    "techarticle",
    "socialmediaposting",
}
_SPACES = re.compile(r"\s+")
_BYLINE_PREFIX = re.compile(r"^(?:par|by|de|propos recueillis par|texte|auteur|autrice)\s*:?\s+", re.IGNORECASE)
_ROLE = re.compile(
    r"^(?:(?:notre |son |sa )?(?:(?:envoyée?s? spéciale?s?|correspondante?s?|chef(?:fe)? du service)(?:\s.*)?|"
    r"journaliste|rédaction|la rédaction|rédaction [\w -]+|"
    r"avec (?:l['’])?(?:afp|reuters|ap|agences?)|afp|reuters|service (?:politique|international|économie)|"
    r"(?:à|au|aux|en) [A-ZÀ-Ý].*|correspondance|publié le.*|mis à jour.*|photos?.*)|\(.*\))$",
    re.IGNORECASE,
)
# What news pages print around an article, short lines only (``clutter`` has the rest).
_PAGE_CLUTTER = re.compile(
    r"(?:article réservé aux abonnés|réservé aux abonnés|lecture \d+ min\.?|temps de lecture.*|lire plus tard|"
    r"offrir cet article|écouter cet article|ajouter à (?:vos|mes) (?:sélections|favoris)|s['’]abonner|"
    r"(?:publié|mis à jour|modifié|mis en ligne)(?: le\b.*)?|votre navigateur ne (?:supporte|prend) .*|"
    r"(?:voir|afficher) (?:plus|les commentaires).*|sur le même (?:thème|sujet).*|à voir aussi.*|"
    r"recevez .*newsletter.*|inscrivez-vous.*|cet article vous est offert.*|suivez toute l['’]actualité.*)",
    re.IGNORECASE,
)
# « (avec AFP) », « Avec Reuters. » closing a dispatch: a credit, not a paragraph.
_AGENCY_CREDIT = re.compile(
    r"\(?\s*(?:avec\s+)?(?:l['’])?(?:AFP|Reuters|AP|Belga|ATS|agences?)\s*\)?\s*\.?", re.IGNORECASE
)
_PUBLISHED_TEXT = (
    "{}//text()[starts-with(normalize-space(.), 'Publié') or starts-with(normalize-space(.), 'publié') "
    "or starts-with(normalize-space(.), 'Mis en ligne') or starts-with(normalize-space(.), 'Paru')]"
)
PUBLISHED_PLACE = "mention « Publié le »"
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " / ")

# The commonest words of each language: a text's language is the one whose
# words it uses most. A page's declared language is often a CMS default (en-US
# on French blogs), so the text decides.
_FUNCTION_WORDS = {
    "fr": "le la les des du de et est une un que qui dans pour pas sur au aux par ce cette il elle sont ont avec "
    "mais ou où nous vous leur été être plus",
    "en": "the of and to in is that for it with as was on are be by this have from or had not but which were they "
    "has their been would",
    "de": "der die und das ist nicht sich mit den dem auch auf ein eine für von zu im wird sie werden wurde des",
    "es": "el la los las del que y en por con una para es se no lo como más pero sus fue ha este esta",
    "it": "il di che la per non una sono della con del le gli anche più è nel alla questo stato",
    "pt": "o os da do das dos que e em para com uma não por se mais como foi são ao pelo pela",
    "nl": "de het een van en is dat op te zijn niet met voor ook maar bij aan wordt door",
}
_WORD_SETS = {lang: set(words.split()) for lang, words in _FUNCTION_WORDS.items()}
_PAYWALL = re.compile(
    r"réservé aux abonnés|article réservé|abonnez-vous pour lire|pour lire la suite|"
    r"déjà abonné|contenu réservé|la suite est réservée",
    re.IGNORECASE,
)


class PageError(FetchError):
    """A page refused (not French, no article, not HTML), in French."""


@dataclass(frozen=True)
class Stated:
    """A value the page states, with where it was read and what else the page says for the same field."""

    value: Any
    where: tuple[str, ...]
    """Places that state this value (« JSON-LD », « Open Graph », « <time> »…); empty: only the text."""
    others: tuple[tuple[str, str], ...] = ()
    """(place, value) stated elsewhere in the page that disagree."""


@dataclass(frozen=True)
class Page:
    """What a page holds for a seed."""

    paragraphs: tuple[str, ...]
    """The article's text: one paragraph per line, headings included."""
    headings: tuple[str, ...]
    """Headings inside the article's body (proposed as ``intertitles``)."""
    language: str
    """Code of the text's language (``fr``)."""
    fields: dict[str, Stated] = field(default_factory=dict)
    """title, date (ISO), author, source, url, summary, tags; only those found."""


def _norm(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _plain(value: str) -> str:
    return _norm(value).casefold().replace("’", "'")


def language_name(code: str) -> str:
    """« anglais » for ``en``; the code itself when Babel does not know it."""
    try:
        return str(Locale("fr").languages.get(code.split("-")[0].lower(), code))
    except (UnknownLocaleError, ValueError):
        return code


def detect_language(text: str, declared: str | None) -> str:
    """The language whose function words the text uses most; the declared one when the text says little."""
    words = re.findall(r"[^\W\d_]+", text.casefold())[:3000]
    scores = {lang: sum(w in vocab for w in words) for lang, vocab in _WORD_SETS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    if len(words) >= 30 and scores[best] >= 0.1 * len(words):
        return best
    return (declared or best).split("-")[0].lower()


# --- where the page states each field -------------------------------------------------


def _jsonld_objects(tree: Any) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object of the page, nested ones and ``@graph`` members included."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text.strip().rstrip(";"))
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                stack.extend(v for k, v in item.items() if k == "@graph" or k == "mainEntity")


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds if k}


def _names(value: Any, people_only: bool = False) -> list[str]:
    """Names of a JSON-LD author or publisher: a string, an object with ``name``, or a list of them.

    With ``people_only``, an organisation (« La rédaction ») is not a name.
    """
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        if people_only and isinstance(item, dict) and _types(item) & {"organization", "newsmediaorganization"}:
            continue
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and _norm(name):
            names.append(_norm(name))
    return names


def _keywords(value: Any) -> list[str]:
    items = value if isinstance(value, list) else str(value or "").split(",")
    return [_norm(str(k)) for k in items if _norm(str(k))]


def _day(value: Any) -> str | None:
    """The day of an ISO date or date-time; a time with its offset is read in Paris time.

    « 2022-03-10T23:30:00Z » was the 11th for a French reader (and on the page).
    """
    text = str(value or "").strip()
    match = re.match(r"(\d{4}-\d{2}-\d{2})", text)
    if match is None:
        return None
    if re.search(r"T\d{2}:\d{2}.*(?:Z|[+-]\d{2}:?\d{2})$", text):
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            return moment.astimezone(_PARIS).date().isoformat() if _PARIS else match[1]
        except ValueError:
            pass
    return match[1]


def _meta(tree: Any) -> dict[str, list[str]]:
    """``<meta>`` contents by lower-cased ``property`` or ``name``."""
    found: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = meta.get("content")
        if key and content and _norm(content):
            found.setdefault(key, []).append(_norm(content))
    return found


def _class_has(element: Any, *words: str) -> bool:
    classes = f" {element.get('class') or ''} {element.get('id') or ''} ".lower()
    return any(w in classes for w in words)


def statements(tree: Any) -> dict[str, list[tuple[str, str]]]:
    """Per field, every (place, value) the page states, in the order of trust: JSON-LD, Open Graph, meta, markup."""
    said: dict[str, list[tuple[str, str]]] = {}

    def add(name: str, where: str, value: str | None) -> None:
        if value and _norm(value):
            # « …#webpage », an @id of JSON-LD's graph, names a part of the page, not another address.
            value = urldefrag(_norm(value))[0] if name == "url" else value
            said.setdefault(name, []).append((where, _norm(value)))

    main_article = False
    for obj in _jsonld_objects(tree):
        kinds = _types(obj)
        # Only the page's own article: others are lists of related articles.
        if kinds & _ARTICLE_TYPES and not main_article:
            main_article = True
            add("title", "JSON-LD", obj.get("headline") if isinstance(obj.get("headline"), str) else None)
            add("date", "JSON-LD", _day(obj.get("datePublished")))
            people = _names(obj.get("author"), people_only=True)
            for name in people:
                add("author", "JSON-LD", name)
            # An organisation as the only author (« La rédaction ») is not a name, but it disagrees
            # with a byline; beside a person (« France Télévisions »), it is the person's employer.
            for name in _names(obj.get("author")) if not people else []:
                add("author", "JSON-LD (organisation)", name)
            for name in _names(obj.get("publisher")):
                add("source", "JSON-LD", name)
            url = obj.get("url") or obj.get("mainEntityOfPage")
            if isinstance(url, dict):
                url = url.get("@id") or url.get("url")
            add("url", "JSON-LD", url if isinstance(url, str) else None)
            add("summary", "JSON-LD", obj.get("description") if isinstance(obj.get("description"), str) else None)
            for keyword in _keywords(obj.get("keywords")):
                add("tags", "JSON-LD", keyword)
            add("type", "JSON-LD", "article")
            if str(obj.get("isAccessibleForFree", "")).lower() == "false":
                add("paywall", "JSON-LD", "true")
            add("language", "JSON-LD", obj.get("inLanguage") if isinstance(obj.get("inLanguage"), str) else None)
        if "website" in kinds:
            for name in _names(obj.get("name")):
                add("site", "JSON-LD", name)
    meta = _meta(tree)
    for key, name, where in (
        ("og:title", "title", "Open Graph"),
        ("article:published_time", "date", "Open Graph"),
        ("og:site_name", "source", "Open Graph"),
        ("og:url", "url", "Open Graph"),
        ("og:description", "summary", "Open Graph"),
        ("og:locale", "language", "Open Graph"),
        ("og:type", "type", "Open Graph"),
        ("article:tag", "tags", "Open Graph"),
        ("article:author", "author", "Open Graph"),
        ("author", "author", "balise meta"),
        ("description", "summary", "balise meta"),
        ("keywords", "tags", "balise meta"),
        ("news_keywords", "tags", "balise meta"),
        ("date", "date", "balise meta"),
        ("pubdate", "date", "balise meta"),
        ("publish-date", "date", "balise meta"),
        ("dc.date", "date", "balise meta"),
        ("dc.date.issued", "date", "balise meta"),
        ("citation_publication_date", "date", "balise meta"),
        ("datepublished", "date", "microdonnées"),
        ("dc.creator", "author", "balise meta"),
    ):
        for value in meta.get(key, []):
            if name == "date":
                value = _day(value) or ""
            if name == "tags":
                for keyword in _keywords(value):
                    add(name, where, keyword)
                continue
            # article:author is often the address of the author's page, not a name.
            if name == "author" and "/" in value:
                continue
            add(name, where, value)
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            add("url", "lien canonique", link.get("href"))
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if (element.get("itemprop") or "").lower() == "datepublished" and element.tag != "meta":
            add("date", "microdonnées", _day(element.get("content") or element.get("datetime")))
        elif element.tag == "abbr" and _class_has(element, "published"):
            add("date", "microformat", _day(element.get("title")))
    # The article's own <time>, not a header's « today »: inside <article> or <main> first.
    times = tree.xpath("//article//time[@datetime] | //main//time[@datetime]") or tree.xpath("//time[@datetime]")
    for element in times:
        if _day(element.get("datetime")):
            add("date", "<time>", _day(element.get("datetime")))
            break
    # A date written only as text, « Publié le 12/03/2022 à 18h05 » (regional dailies), not « Mis à jour le ».
    # The article's own first (a list of related articles may print theirs before it).
    for node in tree.xpath(
        _PUBLISHED_TEXT.format("//article") + " | " + _PUBLISHED_TEXT.format("//main")
    ) or tree.xpath(_PUBLISHED_TEXT.format("//body")):
        parent = node.getparent()
        day = published_day(_norm(parent.text_content())) if parent is not None else None
        if day:
            add("date", PUBLISHED_PLACE, day)
            break
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in ("meta", "link", "script", "style"):
            continue
        if (
            "author" in (element.get("rel") or "").lower()
            or (element.get("itemprop") or "").lower() == "author"
            or _class_has(element, "byline", "author", "auteur", "signature")
        ):
            text = _BYLINE_PREFIX.sub("", _norm(element.text_content()))
            # A byline is a name or two, not a paragraph or an author's biography.
            if 3 <= len(text) <= 80 and not re.search(r"\d{4}|[.!?]$", text):
                add("author", "signature", text)
                break
    for element in tree.iter("title"):
        add("title", "<title>", element.text_content())
        break
    for key in ("application-name", "apple-mobile-web-app-title"):
        for value in meta.get(key, []):
            add("site", "balise meta", value)
    # The article's headline, not a logo written as an <h1> in the page's header.
    for element in tree.xpath("//article//h1 | //main//h1") or tree.xpath("//h1"):
        add("title", "<h1>", element.text_content())
        break
    html = tree if tree.tag == "html" else next(tree.iterancestors("html"), tree)
    add("language", "<html lang>", html.get("lang") or html.get("xml:lang"))
    return said


def _same(name: str, a: str, b: str) -> bool:
    if name == "source":
        return _plain(a) == _plain(b) or _plain(a).replace(" ", "") in _plain(b).replace(" ", "")
    if name == "url":
        return a.rstrip("/").split("://")[-1].removeprefix("www.") == b.rstrip("/").split("://")[-1].removeprefix(
            "www."
        )
    if name == "title":
        return _plain(a) == _plain(b) or _plain(b).startswith(_plain(a))
    if name == "author":
        return _plain(a) in _plain(b) or _plain(b) in _plain(a)
    return _plain(a) == _plain(b)


def _stated(name: str, value: Any, said: dict[str, list[tuple[str, str]]], parts: list[str] | None = None) -> Stated:
    """``value`` with the places that state it, and those that state something else."""
    where: list[str] = []
    others: list[tuple[str, str]] = []
    wanted = parts if parts is not None else [str(value)]
    for place, stated in said.get(name, []):
        if any(_same(name, part, stated) for part in wanted):
            if place not in where:
                where.append(place)
        elif (
            (name != "title" or place in ("JSON-LD", "Open Graph"))
            and (place, stated) not in others
            and not any(_same(name, stated, w) for w in wanted)
        ):
            others.append((place, stated))
    if name in ("author",):
        # Several authors are several statements, not a disagreement.
        others = [(p, s) for p, s in others if p not in where]
    return Stated(value, tuple(where), tuple(others))


# --- the text --------------------------------------------------------------------------


def _restore_spaces(paragraph: str, source: str, start: int) -> tuple[str, int]:
    """The paragraph as the page writes it: trafilatura turns non-breaking spaces into plain ones."""
    tokens = paragraph.split(" ")
    if len(tokens) < 2 or len(paragraph) > 20000:
        return paragraph, start
    pattern = re.compile(r"\s+".join(map(re.escape, tokens)))
    match = pattern.search(source, start) or pattern.search(source)
    if match is None:
        return paragraph, start

    def space(run: re.Match[str]) -> str:
        kept = [c for c in run[0] if c in "\u00a0\u202f\u2009"]
        return kept[0] if kept else " "

    return re.sub(r"\s+", space, match[0]), match.end()


_BREAK = "\ue000"
"""Marks a line break while a block's text is joined (a private-use character, never in a page's text here)."""


def _texts(element: Any) -> list[str]:
    """An element's paragraphs: inline parts joined as written; two line breaks in a row
    (old sites' way of separating paragraphs) split it, a single one is a space."""
    for br in element.iter("lb"):
        br.tail = _BREAK + (br.tail or "").replace(_BREAK, "")
    parts = re.split(rf"{_BREAK}\s*{_BREAK}[\s{_BREAK}]*", "".join(element.itertext()))
    return [text for part in parts if (text := _norm(part.replace(_BREAK, " ")))]


def _blocks(body: Any) -> Iterator[tuple[str, str]]:
    """(kind, text) of each block trafilatura kept: ``head`` for headings, ``p`` for the rest."""
    for element in body:
        tag = element.tag
        if tag == "list":
            for item in element.iter("item"):
                for text in _texts(item):
                    yield "p", text
        elif tag in ("div", "table", "row", "cell"):
            yield from _blocks(element)
        elif tag not in ("graphic", "ref", "lb", "fw", "note"):
            for text in _texts(element):
                yield ("head" if tag == "head" else "p"), text


def _header_residue(block: str, titles: set[str]) -> bool:
    """The article's header run together (« TransportsVIDÉO. Titre Le 16 février… »): the headline and a
    little around it (kicker, byline, dates), not a paragraph that quotes it."""
    plain = _plain(block)
    return any(len(title) >= 25 and title in plain and len(plain) < len(title) + 200 for title in titles)


def _strip_site(title: str, sites: list[str]) -> str:
    """``Titre - Nom du site`` without the site's name."""
    for site in sites:
        for sep in _TITLE_SEPARATORS:
            for candidate in (f"{sep}{site}", f"{sep.strip()}{site}"):
                if _plain(title).endswith(_plain(candidate)) and len(title) > len(candidate) + 10:
                    return _norm(title[: -len(candidate)]).rstrip(" -|–—")
            if _plain(title).startswith(_plain(f"{site}{sep}")) and len(title) > len(site) + 12:
                return _norm(title[len(site) + len(sep) :])
    return title


def _uncapitalise(name: str) -> str:
    """« Anne-Sophie KERGUELEN » -> « Anne-Sophie Kerguelen »: bylines print surnames (or all) in capitals."""

    def word(match: re.Match[str]) -> str:
        text = match[0]
        return "-".join(p[:1] + p[1:].lower() for p in text.split("-")) if text.isupper() and len(text) > 1 else text

    # A single word in capitals is an acronym (« RFI », « BFMTV »), not a surname.
    return re.sub(r"[^\W\d_][^\W\d_'’-]*(?:-[^\W\d_]+)*", word, name) if " " in name else name


def clean_authors(raw: str) -> list[str]:
    """Names in a byline: « Par Sophie Garcia, envoyée spéciale » -> [« Sophie Garcia »]."""
    names: list[str] = []
    for part in re.split(r"\s*(?:;|,|\bet\b|\band\b|\bavec\b|&|\|)\s*", re.sub(r"\([^)]*\)", " ", raw)):
        part = _BYLINE_PREFIX.sub("", _norm(part)).strip(" .:-–—")
        if part and not _ROLE.match(part) and not re.search(r"\d", part) and len(part) <= 60:
            names.append(_uncapitalise(part))
    return list(dict.fromkeys(names))


def _well_formed(url: str) -> bool:
    """Whether ``url`` can be split into its parts: « https://[exemple.fr/a » cannot (an unclosed IPv6 bracket)."""
    try:
        urlsplit(url).hostname  # noqa: B018 -- the port and host are parsed lazily; an error shows here
        urlsplit(url).port  # noqa: B018
    except ValueError:
        return False
    return True


def _join(base: str, value: str) -> str:
    """``value`` resolved against ``base``; empty when either is malformed."""
    try:
        return urljoin(base, value)
    except ValueError:
        return ""


def _host_like(name: str) -> bool:
    return " " not in name and "." in name


def names_only_its_host(page: Page) -> bool:
    """The page gives no outlet's name, only its host (« 127.0.0.1:8768 », « blog.example.net »)."""
    stated = page.fields.get("source")
    return stated is not None and _host_like(str(stated.value))


def _site_name(name: str) -> str:
    """« Le Monde.fr » -> « Le Monde »: a name with its domain's ending (a host alone is left as it is)."""
    name = _norm(name)
    return re.sub(r"\.(?:fr|com|net|org|info|eu|be|ch|ca|lu)$", "", name) if " " in name else name


# Media groups that sign beside a journalist (« Camille Lefranc, France Télévisions »): not authors then.
MEDIA_GROUPS = ("France Télévisions", "Radio France", "France Médias Monde", "La rédaction", "Rédaction")


def _outlet(meta: dict[str, Any], said: dict[str, list[tuple[str, str]]]) -> Stated | None:
    """The outlet's name: trafilatura's, else the site's name in the page, else the end of ``<title>``."""
    sitename = _site_name(str(meta.get("sitename") or ""))
    if sitename and not _host_like(sitename):
        return _stated("source", sitename, said)
    for place, name in said.get("site", []):
        if not _host_like(name):
            return Stated(_site_name(name), (place,))
    hosts = [sitename] if sitename else []
    hosts += [urlsplit(v).hostname or "" for _, v in said.get("url", [])]
    for host in hosts:
        known = _known_domain(host) if _host_like(host) else None
        if known:
            return Stated(known, (f"nom de domaine {host}",))
    titles = [v for place, v in said.get("title", []) if place == "<title>"]
    heads = [_plain(v) for place, v in said.get("title", []) if place != "<title>"]
    for title in titles:
        for sep in _TITLE_SEPARATORS:
            head, found, tail = title.rpartition(sep)
            if found and 2 <= len(tail) <= 40 and (_plain(head) in heads or not heads):
                return Stated(_norm(tail), (TITLE_END,))
    return Stated(sitename, ()) if sitename else None


try:
    _PARIS: dt.tzinfo | None = ZoneInfo("Europe/Paris")
except (ZoneInfoNotFoundError, ValueError):
    _PARIS = None

# Outlets whose pages may give no name but their address (trafilatura then gives the host).
DOMAINS = {
    "mondediplo.com": "Le Monde diplomatique",
    "mondediplo.net": "Le Monde diplomatique",
    "monde-diplomatique.fr": "Le Monde diplomatique",
    "lemonde.fr": "Le Monde",
    "lefigaro.fr": "Le Figaro",
    "liberation.fr": "Libération",
    "leparisien.fr": "Le Parisien",
    "lexpress.fr": "L'Express",
    "lepoint.fr": "Le Point",
    "ouest-france.fr": "Ouest-France",
    "20minutes.fr": "20 Minutes",
    "france24.com": "France 24",
    "bfmtv.com": "BFMTV",
    "francetvinfo.fr": "franceinfo",
    "rfi.fr": "RFI",
    "euronews.com": "Euronews",
    "courrierinternational.com": "Courrier international",
    "la-croix.com": "La Croix",
    "humanite.fr": "L'Humanité",
    "lesechos.fr": "Les Echos",
    "letemps.ch": "Le Temps",
    "lalibre.be": "La Libre Belgique",
    "lesoir.be": "Le Soir",
    "radio-canada.ca": "Radio-Canada",
    "tv5monde.com": "TV5Monde",
    "mediapart.fr": "Mediapart",
    "nouvelobs.com": "L'Obs",
    "marianne.net": "Marianne",
    "sudouest.fr": "Sud Ouest",
    "ladepeche.fr": "La Dépêche du Midi",
    "lavoixdunord.fr": "La Voix du Nord",
    "lejdd.fr": "Le JDD",
    "huffingtonpost.fr": "Le HuffPost",
    "rtbf.be": "RTBF",
    "rts.ch": "RTS",
    "afp.com": "AFP",
}


def _known_domain(host: str) -> str | None:
    parts = host.lower().removeprefix("www.").split(".")
    for i in range(len(parts) - 1):
        name = DOMAINS.get(".".join(parts[i:]))
        if name:
            return name
    return None


TITLE_END = "fin du <title>"
_BOXES = re.compile(
    r"related|recirculation|outbrain|taboola|read-?more|lire-?aussi|inread|sur-le-meme|same-topic|"
    r"twitter-tweet|instagram-media|tiktok-embed|fb-post|newsletter|recommend|most-read|popular|"
    r"social-share|share-buttons|sharedaddy|comments?-area|(?:^|\s)comments?(?:\s|$)|breadcrumb",
    re.IGNORECASE,
)
_CAPTION = re.compile(r"(?:^|[\s_-])(?:l[eé]gende|legend|caption|credits?|copyright)(?:$|[\s_-])", re.IGNORECASE)
_STANDFIRST = re.compile(
    r"(?:^|[\s_-])(?:chapo|chapeau|chapô|standfirst|article__desc|article-desc|lead|lede|intro|accroche|"
    r"article__chapo|article-chapo|post-excerpt|summary)(?:$|[\s_-])",
    re.IGNORECASE,
)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_REFERENCE = re.compile(
    r"&#(?:0*(?:[0-8]|1[1-2]|1[4-9]|2\d|3[01]|127)|[xX]0*(?:[0-8]|[bBcCeEfF]|1[0-9a-fA-F]|7[fF]));"
)
_REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


def _standfirst(tree: Any, paragraphs: list[str], source_text: str) -> str | None:
    """The article's standfirst (chapô) when trafilatura left it out: a marked paragraph just before the text."""
    if not paragraphs:
        return None
    known = {_plain(p) for p in paragraphs}
    start = source_text.find(paragraphs[0][:40])
    for element in tree.iter("p", "div"):
        if not _STANDFIRST.search(element.get("class") or ""):
            continue
        text = _norm(element.text_content())
        at = source_text.find(text[:40])
        # Before the first paragraph, and near it: not a teaser of another article further away.
        if (
            60 <= len(text) <= 700
            and _plain(text) not in known
            and not is_clutter(text)
            and 0 <= at < start
            and start - at < 3000
        ):
            return text
    return None


def decode(data: bytes, charset: str | None) -> str:
    """The page as text: the server's charset, else what trafilatura detects (meta charset, UTF-8, guesses)."""
    from trafilatura.utils import decode_file

    if charset:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_file(data)


def looks_like_html(data: bytes) -> bool:
    """Text with HTML markup, not a PDF, an image or plain text."""
    head = data[:65536]
    if b"\x00" in head or head.startswith((b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8", b"PK\x03\x04")):
        return False
    return re.search(rb"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article)[\s>/]", head, re.I) is not None


def _prune(tree: Any) -> Any:
    """The page without the boxes around an article that trafilatura may take for it: related
    articles, « Lire aussi », embedded posts, newsletter and recommendation widgets (short ones only)."""
    for element in list(tree.iter()):
        if not isinstance(element.tag, str) or element.tag in ("html", "body", "main"):
            continue
        marks = f"{element.get('class') or ''} {element.get('id') or ''}"
        if element.getparent() is None or len(element.text_content()) >= 1500:
            continue
        if _BOXES.search(marks) or (
            # A photo's caption and credit, in <figcaption> or in a marked paragraph beside the photo.
            (element.tag == "figcaption" or _CAPTION.search(marks)) and len(element.text_content()) < 600
        ):
            element.drop_tree()
    return tree


def read_page(
    data: bytes, label: str, url: str | None = None, charset: str | None = None, url_place: str = "adresse lue"
) -> Page:
    """The article of the page ``data``, or a :class:`PageError` (not HTML, not French, no article).

    ``url`` is where the page came from (fetched, or the browser's « saved from » note), ``url_place``
    how the YAML comment names it.
    """
    if not looks_like_html(data):
        raise PageError(f"{label} : ce n'est pas une page HTML (fichier binaire ou texte sans balises) : refusé")
    try:
        import trafilatura
        from lxml import html as lxml_html
    except ImportError as error:
        raise PageError(f"lire une page web demande trafilatura ; installez-le : {INSTALL_HINT}") from error
    # A control character, raw or as a character reference, makes lxml refuse the
    # whole extracted text (trafilatura then returns nothing): it is dropped first.
    text = _CONTROL_REFERENCE.sub("", _CONTROL.sub("", decode(data, charset)))
    try:
        tree = lxml_html.fromstring(text.encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8"))
    except (ValueError, SyntaxError) as error:
        raise PageError(f"{label} : page HTML illisible") from error
    said = statements(tree)
    if url:
        # A relative canonical link (« /monde/article.html ») is relative to where the page came from.
        said["url"] = [(place, _join(url, value)) for place, value in said.get("url", [])]
    # A malformed og:url or canonical link is ignored, not a reason to refuse a good page.
    if "url" in said:
        said["url"] = [(place, value) for place, value in said["url"] if value and _well_formed(value)]
    if url and not said.get("url"):
        said["url"] = [(url_place, url)]
    for element in tree.xpath("//script|//style|//noscript|//template"):
        element.drop_tree()
    source_text = tree.text_content()

    def extract(prune: bool, recall: bool) -> Any:
        work = lxml_html.fromstring(text.encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8"))
        return trafilatura.bare_extraction(
            _prune(work) if prune else work,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            deduplicate=False,
            favor_recall=recall,
        )

    document = extract(prune=True, recall=False)
    if len(getattr(document, "text", None) or "") < MIN_ARTICLE_CHARS and not said.get("paywall"):
        # Too little: the boxes pruned, or trafilatura's precision, may have cost the article; try wider.
        wider = extract(prune=False, recall=True)
        if len(getattr(wider, "text", None) or "") > len(getattr(document, "text", None) or ""):
            document = wider
    meta: dict[str, Any] = {}
    if isinstance(document, dict):
        meta = document
    elif document is not None:
        meta = document.as_dict()
    titles = {_plain(v) for _, v in said.get("title", [])} | {_plain(str(meta.get("title") or ""))}
    # An <h1> (the article's headline, the site's logo) opens no paragraph and is no intertitle,
    # whatever the metadata says.
    titles |= {_plain(h.text_content()) for h in tree.iter("h1")}
    paragraphs: list[str] = []
    headings: list[str] = []
    body = getattr(document, "body", None)
    at = 0
    for kind, block in _blocks(body) if body is not None else iter(()):
        # The headline is the YAML's title, not a line of the text; clutter (« Publicité ») is not the article's.
        if (
            not block
            or _plain(block) in titles
            or _header_residue(block, titles)
            or is_clutter(block)
            or (len(block) <= 120 and _PAGE_CLUTTER.fullmatch(block))
        ):
            continue
        block, at = _restore_spaces(block, source_text, at)
        block = _REFUSED.sub("", block).strip()
        if not block or block in paragraphs:
            continue
        paragraphs.append(block)
        if kind == "head":
            headings.append(block)
    # A byline opening the text, or a signature closing it, repeats the authors: it is metadata.
    authors = clean_authors(str(meta.get("author") or ""))
    known_authors = {_plain(a) for a in authors} | {_plain(v) for _, v in said.get("author", [])}

    def signs(line: str) -> bool:
        names = {_plain(n) for n in clean_authors(line)}
        return (len(line) <= 120 and bool(names) and names <= known_authors) or _AGENCY_CREDIT.fullmatch(
            line
        ) is not None

    while paragraphs and signs(paragraphs[-1]):
        paragraphs.pop()
    while paragraphs and signs(paragraphs[0]):
        paragraphs.pop(0)
    lead = _standfirst(tree, paragraphs, source_text)
    if lead:
        paragraphs.insert(0, _restore_spaces(lead, source_text, 0)[0])
    article = "\n".join(p for p in paragraphs if p not in headings)
    declared = next((v for _, v in said.get("language", [])), None)
    if len(article) < MIN_ARTICLE_CHARS:
        if said.get("paywall") or _PAYWALL.search(source_text):
            raise PageError(
                f"{label} : article réservé aux abonnés : la page n'en montre que {len(article)} caractères "
                "(enregistrez la page complète depuis un navigateur connecté, ou copiez le texte dans un .txt)"
            )
        raise PageError(
            f"{label} : aucun article dans la page ({len(article)} caractères de texte suivi, il en faut "
            f"{MIN_ARTICLE_CHARS}) : page d'accueil, liste ou page d'erreur ?"
        )
    lines = [p for p in paragraphs if p not in headings]
    kinds = {value.lower() for _, value in said.get("type", [])}
    if ("website" in kinds and "article" not in kinds and not said.get("date")) or (
        len(lines) >= 6 and sorted(map(len, lines))[len(lines) // 2] < 60
    ):
        raise PageError(
            f"{label} : cette page est une page d'accueil ou une liste de titres, pas un article : "
            "ouvrez l'article lui-même"
        )
    language = detect_language(article, declared)
    if language != "fr":
        raise PageError(
            f"{label} : la page est en {language_name(language)} ({language}), pas en français : "
            "le site ne publie que des articles en français"
        )
    fields: dict[str, Stated] = {}
    sites = [s for _, s in said.get("source", [])] + [s for _, s in said.get("site", [])]
    if meta.get("sitename"):
        sites.append(str(meta["sitename"]))
    outlet = _outlet(meta, said)
    if outlet:
        sites.append(str(outlet.value))
    # trafilatura's values (htmldate's for the date); else the first place that states one.
    title = meta.get("title") or next((v for _, v in said.get("title", [])), None)
    if title:
        fields["title"] = _stated("title", _strip_site(_norm(str(title)), sites), said)
    # The page's own statement of its publication (structured, read in Paris time; else microdata's
    # datePublished or its « Publié le ») first; else htmldate's, which may take an update's date.
    structured = [v for place, v in said.get("date", []) if place in ("JSON-LD", "Open Graph")]
    micro = {v for place, v in said.get("date", []) if place == "microdonnées"}
    # Microdata dates, only when they agree (related articles carry theirs too).
    structured += [
        v for place, v in said.get("date", []) if place == PUBLISHED_PLACE or (len(micro) == 1 and v in micro)
    ]
    day = next(iter(structured), None) or meta.get("date") or next((v for _, v in said.get("date", [])), None)
    if day and _day(day):
        fields["date"] = _stated("date", _day(day), said)
    # Structured names (JSON-LD persons) first; else trafilatura's, cleaned of roles and « Par ».
    people = [n for place, v in said.get("author", []) if place == "JSON-LD" for n in clean_authors(v)]
    authors = people or authors or [_uncapitalise(v) for place, v in said.get("author", []) if place == "signature"][:1]
    # « Le Figaro avec AFP » signs for the outlet, not for a person.
    site_names = {_plain(site) for site in sites} | {_plain(_site_name(site)) for site in sites}
    authors = list(dict.fromkeys(a for a in authors if _plain(a) not in site_names))
    # Beside a person, an outlet, an agency or a media group is the person's employer or source.
    employers = {_plain(o) for o in (*AGENCIES, *OUTLETS, *MEDIA_GROUPS, *DOMAINS.values())}
    people_only = [a for a in authors if _plain(a) not in employers]
    authors = people_only or authors
    if not authors:
        # « L'Info continue avec AFP », « (AFP) »: a dispatch no person signs is the agency's.
        bylines = [v for _, v in said.get("author", [])] + [str(meta.get("author") or "")]
        authors = [a for a in AGENCIES if any(re.search(rf"(?<!\w){re.escape(a)}(?!\w)", b) for b in bylines)][:1]
    if authors:
        fields["author"] = _stated("author", " et ".join(authors), said, authors)
    if outlet:
        fields["source"] = outlet
    # The canonical address, as the page writes it: trafilatura drops a query (« spip.php?article12 »).
    page_url = next(
        (v for place, v in said.get("url", []) if urlsplit(v).scheme in ("http", "https")), meta.get("url") or url
    )
    if page_url and _well_formed(str(page_url)) and urlsplit(str(page_url)).scheme in ("http", "https"):
        fields["url"] = _stated("url", str(page_url), said)
    if meta.get("description"):
        fields["summary"] = _stated("summary", _norm(str(meta["description"])), said)
    split = [k for t in meta.get("tags") or [] for k in _keywords(str(t).replace(";", ","))]
    split = split or [v for _, v in said.get("tags", [])]
    tags = [t for t in dict.fromkeys(split) if 0 < len(t) <= MAX_TAG_CHARS]
    if tags:
        places = [p for name, pairs in said.items() if name == "tags" for p, _ in pairs]
        fields["tags"] = Stated(tags[:MAX_TAGS], tuple(dict.fromkeys(places)))
    return Page(tuple(paragraphs), tuple(headings), language, fields)


# --- the page's values as guesses -------------------------------------------------------


def _note(name: str, stated: Stated) -> str:
    where = ", ".join(stated.where)
    if stated.others:
        also = " ; ".join(f"{place} dit « {value} »" for place, value in stated.others[:3])
        read = f"lu dans la page : {where}" if where else "trouvé par trafilatura dans la page"
        return f"À CONFIRMER : {read} ; mais la page dit aussi autre chose pour ce champ : {also}."
    if not where:
        finder = "htmldate" if name == "date" else "trafilatura"
        return f"À CONFIRMER : trouvé par {finder} dans la page, sans métadonnée qui le confirme."
    return f"Lu dans la page : {where}."


def page_guesses(page: Page) -> dict[str, Guess]:
    """The fields the page states, each with a note saying where it was read."""
    guesses: dict[str, Guess] = {}
    for name in ("title", "author", "url"):
        if name in page.fields:
            guesses[name] = Guess(page.fields[name].value, _note(name, page.fields[name]))
    if "date" in page.fields:
        stated = page.fields["date"]
        guesses["date"] = Guess(dt.date.fromisoformat(stated.value), _note("date", stated))
    if "source" in page.fields:
        stated = page.fields["source"]
        value = str(stated.value)
        if stated.where == (TITLE_END,):
            guesses["source"] = Guess(value, f"À CONFIRMER : nom du site lu à la fin du titre ({TITLE_END}).")
        elif _host_like(value):
            # trafilatura falls back on the host name: « blog.mondediplo.net » is not an outlet's name.
            guesses["source"] = Guess(
                value,
                f"À CONFIRMER : la page ne donne que son nom de domaine ({value}) : écrivez le nom du média.",
            )
        else:
            guesses["source"] = Guess(value, _note("source", stated))
    if "summary" in page.fields:
        stated = page.fields["summary"]
        where = ", ".join(stated.where) or "trafilatura"
        guesses["summary"] = Guess(
            stated.value,
            f"À CONFIRMER : description donnée par la page ({where}) ; résumez l'article si elle ne le fait pas.",
        )
    if "tags" in page.fields:
        stated = page.fields["tags"]
        where = ", ".join(stated.where) or "trafilatura"
        guesses["tags"] = Guess(
            list(stated.value), f"À CONFIRMER : mots-clés donnés par la page ({where}) ; gardez les utiles."
        )
    return guesses
