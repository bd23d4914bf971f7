"""Folium elements that keep data out of the template engine.

branca renders an element's ``script`` macro and then parses the *result* again as a Jinja
template (``Element(script(self, kwargs))``), so any ``{{ … }}``, ``{% … %}`` or ``{# … #}``
inside a name that reached the rendered text would be evaluated as template code. Every
element of our maps that carries data is a :class:`DataElement`: its template only ever
prints placeholders, the data is put in *after* Jinja has run, and the finished text goes
into the page as a :class:`Raw` element that is never parsed again.

This is the one way data enters a map page; :func:`title_element` uses it for the page's
``<title>``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from branca.element import Element, Figure, MacroElement

from flowmap.core._escape import script_json

_SLOT = re.compile(r"@@fm-(slot|raw):([a-z_]+)@@")


class Raw(Element):
    """Text put into the page exactly as given: never parsed as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Raw"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """Return the text unchanged."""
        return self.text


def fill_slots(
    text: str, payload: Mapping[str, object], code: Mapping[str, str] | None = None
) -> str:
    """Return ``text`` with each ``@@fm-slot:NAME@@`` replaced by ``payload[NAME]`` as
    script-safe JSON, and each ``@@fm-raw:NAME@@`` by ``code[NAME]`` as it is (our own
    JavaScript and CSS from the package, never data).

    The replacement is one pass, so text that arrives with the data is never scanned for
    placeholders again.

    Raises
    ------
    KeyError
        If the template names a slot that the payload lacks (a programming error).
    """

    def value(match: re.Match[str]) -> str:
        if match.group(1) == "raw":
            return (code or {})[match.group(2)]
        return script_json(payload[match.group(2)])

    return _SLOT.sub(value, text)


def slot(name: str) -> str:
    """Return the placeholder a template prints for the payload value ``name``."""
    if not re.fullmatch(r"[a-z_]+", name):
        raise ValueError(f"slot names are lower-case letters and underscores, got {name!r}")
    return f"@@fm-slot:{name}@@"


class DataElement(MacroElement):
    """A ``MacroElement`` whose data never passes through Jinja.

    Subclasses set ``self.payload`` (a mapping of JSON-serialisable values) and write
    ``{{ this.slot("name") }}`` in their template where ``payload["name"]`` belongs, as a
    JavaScript value. Rendering runs the template with placeholders only, then fills them.
    """

    payload: Mapping[str, object]
    code: Mapping[str, str]

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "DataElement"
        self.payload = {}
        self.code = {}

    @staticmethod
    def slot(name: str) -> str:
        """Return the placeholder of a payload value (used in templates)."""
        return slot(name)

    @staticmethod
    def raw(name: str) -> str:
        """Return the placeholder of package code (``self.code[name]``) in templates."""
        return slot(name).replace("@@fm-slot:", "@@fm-raw:")

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Add this element's header, html and script to the figure, with data filled in."""
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError("a DataElement can only be rendered inside a Figure")
        module = self._template.module.__dict__
        for part in ("header", "html", "script"):
            macro = module.get(part)
            if macro is not None:
                text = fill_slots(str(macro(self, kwargs)), self.payload, self.code)
                getattr(figure, part).add_child(Raw(text), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


def title_element(title: str) -> Raw:
    """Return the page's ``<title>`` element, escaped and kept out of the template engine."""
    return Raw(f"<title>{html.escape(title, quote=True)}</title>")
