"""The input contract, declared once: what ``seeds/`` holds and what each field means.

* ``FIELDS``: the metadata of an article (``seeds/<id>.yml``);
* ``THEME_FIELDS``: one dossier of ``seeds/themes.yml``;
* ``ENTITY_KINDS`` and ``INDEX_KINDS``: the kinds of names the site indexes
  (field, URL segment, French labels); ``seeds/aliases.yml`` has one section
  per entity kind.

The validator (``validate/``), the JSON Schemas and the documentation tables
(``contract.py``), the index pages and the navigation all read them from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

SEEDS_DIR = "seeds"
THEMES_FILE = "themes.yml"
ALIASES_FILE = "aliases.yml"

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
URL_RE = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)


@dataclass(frozen=True)
class Field:
    """One field of a seed's YAML (an article's metadata, or one dossier of ``themes.yml``)."""

    name: str
    """Key in the YAML file."""
    kind: str
    """``line`` (one-line text), ``paragraph`` (whitespace collapsed), ``markdown``
    (text kept as written), ``date``, ``url``, ``slug``, ``id``, ``list`` (of
    one-line texts), ``themes`` (non-empty list of theme ids) or ``quotes``
    (list of ``{text, speaker}``)."""
    required: bool
    """Whether the build refuses a record without it."""
    description: str
    """What the field holds, in French, for maintainers and editors."""
    example: Any
    """A valid value, shown in error messages and the documentation."""


FIELDS: tuple[Field, ...] = (
    Field(
        "title",
        "line",
        False,
        "Titre affiché ; par défaut, la première ligne du texte. Si la première ligne est un paragraphe, "
        "donnez un titre court : la première ligne est alors publiée comme chapô.",
        "Poutine tend la main à Donald Trump",
    ),
    Field("date", "date", True, "Date de publication, au format AAAA-MM-JJ.", "2017-02-16"),
    Field(
        "source",
        "line",
        True,
        "Nom du média ou de l'agence. Un média seulement cité (« selon l'AFP ») n'est pas la source. "
        "Si personne ne sait quel média a publié l'article, écrivez « inconnue » : le site dit alors "
        "« média inconnu » et ne l'ajoute à aucun index.",
        "Le Figaro",
    ),
    Field("url", "url", False, "Adresse de l'article original (http ou https).", "https://www.example.fr/article"),
    Field("author", "line", False, "Auteur ou autrice ; chacun a sa page dans auteurs/.", "Léopold Moulin"),
    Field(
        "themes",
        "themes",
        True,
        "Un ou plusieurs dossiers, par identifiant de seeds/themes.yml.",
        ["otan", "ukraine"],
    ),
    Field("tags", "list", False, "Mots-clés libres ; chacun a sa page dans mots-cles/.", ["diplomatie"]),
    Field("people", "list", False, "Personnes citées, écrites toujours de la même façon.", ["Vladimir Poutine"]),
    Field("places", "list", False, "Lieux cités.", ["Moscou"]),
    Field("organisations", "list", False, "Organisations citées.", ["OTAN"]),
    Field(
        "summary",
        "paragraph",
        False,
        "Résumé en un paragraphe.",
        "Vladimir Poutine accuse l'OTAN de provoquer la Russie.",
    ),
    Field(
        "omit",
        "list",
        False,
        "Lignes du texte, recopiées exactement, à ne pas publier (commentaires, bio, « Vous aimerez aussi… »). "
        "Une ligne absente du texte est une erreur.",
        ["Laisser un commentaire"],
    ),
    Field(
        "intertitles",
        "list",
        False,
        "Lignes du texte, recopiées exactement, qui sont des intertitres : elles sont publiées comme titres de "
        "section, listées dans la table des matières de l'article. Une ligne absente du texte est une erreur.",
        ["Une visite d’Emmanuel Macron pour ramener « la paix »"],
    ),
    Field(
        "quotes",
        "quotes",
        False,
        "Orateur d'une citation, quand le texte ne le nomme pas ou le nomme mal : le début de la citation "
        "(text, recopié sans les guillemets) et le nom à afficher (speaker).",
        [{"text": "Il a clairement indiqué", "speaker": "Un conseiller d'Emmanuel Macron"}],
    ),
    Field(
        "slug",
        "slug",
        False,
        "Fixe l'adresse de la page : articles/<slug>/. À n'utiliser que si deux articles auraient la même adresse.",
        "2017-02-16-poutine-otan",
    ),
)

FIELDS_BY_NAME = {f.name: f for f in FIELDS}


THEME_FIELDS: tuple[Field, ...] = (
    Field(
        "id",
        "id",
        True,
        "Identifiant cité dans « themes » des articles ; adresse dossiers/<id>/. Minuscules, chiffres et tirets.",
        "otan",
    ),
    Field("title", "line", True, "Titre du dossier.", "OTAN"),
    Field(
        "description",
        "markdown",
        True,
        "Introduction éditoriale du dossier, en Markdown simple ; le HTML est affiché tel quel.",
        "L'Organisation du traité de l'Atlantique Nord vue de Moscou.",
    ),
    Field(
        "keywords",
        "list",
        False,
        "Mots qui font suggérer ce dossier par « new ».",
        ["OTAN", "Alliance atlantique"],
    ),
)

UNKNOWN_SOURCE = "inconnue"
"""The value of ``source`` that says no one knows the outlet: the article then has none."""

RESERVED_THEME_IDS = ("index", "sitemap")
"""Ids a dossier cannot take: ``dossiers/index.md`` lists the dossiers, and
``flux/dossiers/sitemap.xml`` sits beside the dossiers' feeds."""


@dataclass(frozen=True)
class IndexKind:
    """A kind of name the site indexes: people, places, organisations, outlets, keywords, authors."""

    field: str
    """Article field holding the names (``people``); for an entity kind, also the section of ``aliases.yml``."""
    segment: str
    """URL segment of its index (``personnes/``)."""
    title: str
    """Title of its index page, and label on an article page."""
    lede: str
    """Introduction of its index page."""
    same: str
    """How a warning names two spellings of one of them (« la même personne »)."""


ENTITY_KINDS: tuple[IndexKind, ...] = (
    IndexKind(
        "people",
        "personnes",
        "Personnes",
        "Les personnes citées dans les articles, avec les articles qui les mentionnent",
        "la même personne",
    ),
    IndexKind(
        "places",
        "lieux",
        "Lieux",
        "Les lieux cités dans les articles, avec les articles qui les mentionnent",
        "le même lieu",
    ),
    IndexKind(
        "organisations",
        "organisations",
        "Organisations",
        "Les organisations citées dans les articles, avec les articles qui les mentionnent",
        "la même organisation",
    ),
)
"""Names written in an article's metadata lists, merged through ``seeds/aliases.yml``."""

SOURCES = IndexKind("source", "sources", "Sources", "Les médias et agences d’où viennent les articles", "le même média")
KEYWORDS = IndexKind("tags", "mots-cles", "Mots-clés", "Les mots-clés donnés aux articles", "le même mot-clé")
AUTHORS = IndexKind("author", "auteurs", "Auteurs", "Les auteurs et autrices des articles signés", "la même personne")

INDEX_KINDS: tuple[IndexKind, ...] = (*ENTITY_KINDS, SOURCES, KEYWORDS, AUTHORS)
"""Every index of the site, in the order of the navigation; each name has its own page."""

ALIAS_EXAMPLE = {"people": {"Vladimir Poutine": ["Poutine", "V. Poutine"]}}
"""A valid ``seeds/aliases.yml``, shown in error messages and the documentation."""


def yaml_example(value: Any) -> str:
    """An example value as a maintainer writes it in flow YAML: ``[otan, ukraine]``."""
    if isinstance(value, list):
        return "[" + ", ".join(yaml_example(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {yaml_example(item)}" for key, item in value.items()) + "}"
    return str(value)
