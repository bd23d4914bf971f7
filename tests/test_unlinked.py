"""Text the app shows in Markdown never becomes a link, an image or a heading
(``flowmap.core._escape.markdown_literal`` and :func:`~flowmap.core._escape.unlinked`).

Streamlit renders Markdown with GitHub-flavoured Markdown, whose literal autolinks are
found in the text *after* backslash escapes are resolved (mdast-util-gfm-autolink-literal):
escaping every punctuation character left ``https://evil.example`` a live link. The two
patterns below are that library's (JavaScript's ``\\w`` is ASCII).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flowmap.core._escape import NO_LINK, markdown_lines, markdown_literal, printable, unlinked

GFM_URL = re.compile(r"(https?://|www(?=\.))([-.\w]+)", re.IGNORECASE | re.ASCII)
GFM_EMAIL = re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)", re.ASCII)
ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def resolved(markdown: str) -> str:
    """Return the text of Markdown once its backslash escapes are resolved: what the
    autolinking sees."""
    return ESCAPE.sub(r"\1", markdown)


def links(text: str) -> list[str]:
    """Return what GitHub-flavoured Markdown would make links of in ``text``."""
    return [m.group() for m in GFM_URL.finditer(text)] + [
        m.group() for m in GFM_EMAIL.finditer(text)
    ]


HOSTILE = [
    "https://evil.example/login",
    "http://evil.example/x",
    "HTTPS://EVIL.EXAMPLE/",
    "RU,www.evil.example",
    "WWW.Evil.Example",
    "mailto:boss@evil.example",
    "boss@evil.example",
    "first.last+tag@mail.evil.example",
    "![x](http://evil.example/x.png)",
    "[login](https://evil.example/login)",
    "<https://evil.example>",
    "<boss@evil.example>",
    "see https://a.example and www.b.example or c@d.example",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_no_autolink_survives_markdown_literal(value: str) -> None:
    assert links(resolved(value)), "the pattern must find the link in the raw value"
    escaped = markdown_literal(value)
    assert links(resolved(escaped)) == []
    # Nothing of Markdown's link or image syntax is left unescaped either.
    for char in "![]()<>":
        assert char not in escaped.replace(f"\\{char}", "")
    # The reader sees the value itself (the joiner has no width).
    assert resolved(escaped).replace(NO_LINK, "") == value


@pytest.mark.parametrize("value", HOSTILE)
def test_old_escaping_left_the_links(value: str) -> None:
    """Backslash escapes alone (the old ``markdown_literal``) leave the autolinks."""
    escaped_only = re.sub(r"([\\`*_{}\[\]()<>#+\-.!|~$:=^&\"'@%/;?])", r"\\\1", value)
    assert links(resolved(escaped_only))


def test_unlinked_places_the_joiner() -> None:
    assert unlinked("https://a.example") == f"https:{NO_LINK}//a.example"
    assert unlinked("Www.a.example") == f"Www{NO_LINK}.a.example"
    assert unlinked("a@b.example") == f"a{NO_LINK}@b.example"
    assert unlinked("Osh, Batken 2019-2023") == "Osh, Batken 2019-2023"


def test_markdown_lines_unlinks_every_line() -> None:
    text = "flows.csv, row 2:\nhttps://evil.example\nwww.evil.example a@b.example"
    assert links(resolved(markdown_lines(text))) == []


def test_a_joiner_in_the_value_is_shown_not_used() -> None:
    """A word joiner of the value's own is shown as its code (it cannot hide a URL)."""
    shown = resolved(markdown_literal(f"x{NO_LINK}y"))
    assert shown == "x[U+2060]y"


@given(st.text(alphabet=st.sampled_from("htps:/w.@a-_+[]()!<>mailto \\"), max_size=40))
def test_no_text_becomes_a_link(value: str) -> None:
    escaped = markdown_literal(value)
    assert links(resolved(escaped)) == []
    assert resolved(escaped).replace(NO_LINK, "") == printable(value)
