"""The theme's icons drawn from one file per site (issue 21, build_scripts/icons.py).

Unit tests of the parts; tests/test_weight.py checks the built site (every reference
names a symbol of the sprite, every shown icon is drawn in both palettes).
"""

from __future__ import annotations

import jinja2
import pytest

from build_scripts import icons

MAGNIFY = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M9.5 3"/></svg>'
GIT = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 448 512"><!--! Font Awesome Free, licence -->'
    '<path d="M439.6 236.1"/></svg>\n'
)


def test_a_reference_keeps_the_root_but_the_namespace_and_draws_the_symbol() -> None:
    assert icons.reference("fontawesome/brands/git-alt", GIT) == (
        '<svg viewBox="0 0 448 512">'
        "<use href=\"{{ 'assets/press-icons.svg' | url }}#fontawesome-brands-git-alt\"></use></svg>"
    )


def test_the_sprite_holds_each_icon_once_sorted_with_its_box_and_content() -> None:
    sprite = icons.sprite({"material/magnify": MAGNIFY, "fontawesome/brands/git-alt": GIT})
    assert sprite.splitlines() == [
        '<svg xmlns="http://www.w3.org/2000/svg">',
        '<symbol id="fontawesome-brands-git-alt" viewBox="0 0 448 512">'
        '<!--! Font Awesome Free, licence --><path d="M439.6 236.1"/></symbol>',
        '<symbol id="material-magnify" viewBox="0 0 24 24"><path d="M9.5 3"/></symbol>',
        "</svg>",
    ]


def test_names_come_from_the_templates_and_whole_strings_of_the_configuration() -> None:
    sources = ['{% set icon = config.theme.icon.search or "material/magnify" %}', "no icon here"]
    toggles = [{"toggle": {"icon": "material/weather-night"}}, {"toggle": {"name": "Passer au thème material/x"}}]
    # The name's words are no icon; an admonition's icon is written into a style, not drawn.
    icon = {"repo": "fontawesome/brands/git-alt", "admonition": {"note": "octicons/tag-16"}}
    theme = {"icon": icon, "palette": toggles}
    assert icons.names(sources, theme) == ["fontawesome/brands/git-alt", "material/magnify", "material/weather-night"]


def test_not_an_svg_is_refused() -> None:
    with pytest.raises(ValueError, match="not an SVG icon"):
        icons.split("<p>x</p>")


def test_the_loader_draws_sprite_icons_and_leaves_any_other_as_it_is() -> None:
    inner = jinja2.DictLoader(
        {".icons/material/magnify.svg": MAGNIFY, ".icons/material/other.svg": MAGNIFY, "page.html": "x"}
    )
    env = jinja2.Environment(loader=icons.Loader(inner, {"material/magnify": MAGNIFY}))
    env.filters["url"] = lambda path: "../../" + path
    shown = env.from_string('{% include ".icons/material/magnify.svg" %}').render()
    assert shown == '<svg viewBox="0 0 24 24"><use href="../../assets/press-icons.svg#material-magnify"></use></svg>'
    assert env.from_string('{% include ".icons/material/other.svg" %}').render() == MAGNIFY
    assert env.get_template("page.html").render() == "x"
