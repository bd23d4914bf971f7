"""The command line's help in the reader's language (issue 21): ``flowmap --help`` and every
command's help are read from the catalogue, chosen by ``--lang`` or the locale, with no
English left in Kyrgyz and Russian but what a reader types as it is."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator

import pytest

from flowmap.cli.commands import main
from flowmap.cli.parser import RUN_LANG, make_parser
from flowmap.io.userdata import COLUMN_NAMES

#: The commands whose help is checked, as typed after ``flowmap``.
COMMANDS: tuple[tuple[str, ...], ...] = (
    (),
    ("data",),
    ("data", "check"),
    ("data", "show"),
    ("data", "build"),
    ("export",),
)

#: Latin words a Kyrgyz or Russian help may hold, each for a reason. Option names, choices,
#: command names and the program's name are typed as they are and are taken out first.
ALLOWED: dict[str, str] = {
    "GeoJSON": "a file format's name",
    "GeoPackage": "a file format's name",
    "Shapefile": "a file format's name",
    "TopoJSON": "a file format's name",
    "HTML": "a file format's name (and the suffix of map.html)",
    "XLSX": "a file format's name",
    "LC_ALL": "an environment variable's name",
    "LC_MESSAGES": "an environment variable's name",
    "LANG": "an environment variable's name",
    "from": "a matrix's corner cell as files write it: 'from\\to'",
    "Current": "a matrix's corner cell as UNHCR files write it: 'Current x Origin'",
    "Origin": "a matrix's corner cell as UNHCR files write it: 'Current x Origin'",
}

_LATIN = re.compile(r"[A-Za-z_]{4,}")
#: File names and paths shown as examples (map.html, data/flows.csv).
_PATHS = re.compile(r"[\w/.-]*\w\.(?:csv|html|png|pdf|svg)\b")


def _parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """Yield ``parser`` and every parser of its commands, at any depth."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _parsers(sub)


def _typed(parser: argparse.ArgumentParser) -> set[str]:
    """Return what a reader types as it is: option names, choices, command names, the
    roles of ``--columns`` and the program's name."""
    typed = {"flowmap", "all", *COLUMN_NAMES}
    for each in _parsers(parser):
        for action in each._actions:
            typed.update(action.option_strings)
            if action.choices is not None:
                typed.update(str(choice) for choice in action.choices)
    return typed


def english_words(text: str, typed: set[str]) -> set[str]:
    """Return the Latin words of 4+ letters in ``text`` that are not typed as they are nor
    in :data:`ALLOWED`."""
    text = _PATHS.sub(" ", text)
    # Longest first, so that --min-count goes before --min; whole tokens only.
    for word in sorted(typed, key=len, reverse=True):
        text = re.sub(rf"(?<![\w-]){re.escape(word)}(?![\w-])", " ", text)
    return set(_LATIN.findall(text)) - set(ALLOWED)


def _help(command: tuple[str, ...], lang: str) -> str:
    """Return ``flowmap COMMAND --help`` as argparse prints it in ``lang``."""
    token = RUN_LANG.set(lang)
    try:
        parser = make_parser()
        for each in _parsers(parser):
            if each.prog.split()[1:] == list(command):
                return each.format_help()
    finally:
        RUN_LANG.reset(token)
    raise AssertionError(command)


@pytest.mark.parametrize("lang", ["ky", "ru"])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "flowmap")
def test_help_has_no_english_in_kyrgyz_and_russian(command: tuple[str, ...], lang: str) -> None:
    typed = _typed(make_parser())
    text = _help(command, lang)
    assert english_words(text, typed) == set()
    # The check is not vacuous: the English help of the same command fails it.
    assert english_words(_help(command, "en"), typed)


def test_every_command_is_checked() -> None:
    progs = {tuple(p.prog.split()[1:]) for p in _parsers(make_parser())}
    assert progs == set(COMMANDS)


@pytest.mark.parametrize(
    ("lang", "usage", "options", "help_line"),
    [
        ("ky", "колдонуу:", "параметрлер:", "бул жардамды көрсөтүп, чыгуу"),
        ("ru", "использование:", "параметры:", "показать эту справку и выйти"),
        ("en", "usage:", "options:", "show this help message and exit"),
    ],
)
def test_argparse_own_words_are_translated(
    lang: str, usage: str, options: str, help_line: str
) -> None:
    text = _help(("data", "show"), lang)
    assert text.startswith(usage + " flowmap data show")
    assert options in text
    assert help_line in text


def test_help_follows_the_lang_option_and_the_locale(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "ky_KG.UTF-8")
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    kyrgyz = capsys.readouterr().out
    assert "картанын тили" in kyrgyz
    with pytest.raises(SystemExit):
        main(["export", "--help", "--lang", "ru"])
    russian = capsys.readouterr().out
    assert "язык карты" in russian
    assert "--districts ФАЙЛ" in russian
    # Numbers in the help go through the one formatter: 600 000 with a no-break space.
    assert "600\u00a0000" in russian
    monkeypatch.setenv("LANG", "C.UTF-8")
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "show this help message and exit" in capsys.readouterr().out


def test_a_percent_sign_in_a_help_text_is_printed_as_it_is() -> None:
    # argparse formats help with %: the catalogue's «5%» must not break it.
    assert "5%" in _help(("export",), "en")
    assert "5%-дан" in _help(("export",), "ky")
