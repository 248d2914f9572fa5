"""The escaping helpers, on their own."""

from __future__ import annotations

import json

import yaml

from build_scripts.escape import front_matter, html, json_script


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
