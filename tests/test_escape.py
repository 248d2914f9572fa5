"""The escaping helpers, on their own."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from build_scripts.escape import front_matter, html, json_script, markdown


def test_html_escapes_markup_and_quotes() -> None:
    assert str(html("<b>\"x\" & 'y'</b>")) == "&lt;b&gt;&#34;x&#34; &amp; &#39;y&#39;&lt;/b&gt;"


def test_json_script_is_inert_and_lossless() -> None:
    value = {"headline": "</script><!-- \u2028\u2029 & <b>"}
    text = json_script(value)
    for forbidden in ("<", ">", "&", "\u2028", "\u2029"):
        assert forbidden not in text
    assert json.loads(text) == value


def test_front_matter_round_trips_through_yaml() -> None:
    data = {"title": "a: b # c\n- d", "description": "« x »"}
    text = front_matter(data, "généré")
    assert text.startswith("---\n# généré\n") and text.endswith("---\n")
    assert yaml.safe_load(text.strip("-\n")) == data


WJ = "\u2060"


def _autolinks(line: str) -> list[str]:
    """What GitHub would link or mention in ``line`` (GFM extended autolinks, ``@name``), word joiners kept."""
    # A word joiner is not \w: where one follows « :// », « www » or « @ », nothing matches.
    return re.findall(r"(?i)[a-z]+://\w|www\.\w|(?<!\w)@\w|[\w.+-]+@\w", line)


@pytest.mark.parametrize(
    "text",
    [
        "Lire https://evil.example/x avant",
        "Voir HTTP://EVIL.EXAMPLE",
        "Connectez-vous sur www.evil.example/login",
        "Merci @octocat et @github/team",
        "Écrire à contact@evil.example",
        "ftp://evil.example/f",
    ],
)
def test_markdown_makes_bare_addresses_and_mentions_inert(text: str) -> None:
    """No bare address stays a link and no « @name » a mention; without the word joiners, the text is unchanged."""
    line = markdown(text)
    assert _autolinks(line) == []
    assert line.replace(WJ, "") == text
    assert _autolinks(text)  # the pattern does see them in the raw text


def test_markdown_leaves_ordinary_text_alone() -> None:
    text = "Le « wwwf » de 2022 : 10 % à 14 h, l'OTAN."
    assert markdown(text) == text
