"""One deferral type: every text said in a language only when shown is a
:class:`flowmap.text.deferred.Deferred`, rendered by :func:`flowmap.text.i18n.localise`."""

from __future__ import annotations

import pickle
from decimal import Decimal

import pytest

from flowmap.batken.checks import Finding, Flow, Ref, Where, run_checks
from flowmap.io._files import Megabytes as FilesMegabytes
from flowmap.text.deferred import Count, Deferred, Megabytes, Numerals, Percent, Signed, When
from flowmap.text.i18n import Message, Term, Texts, localise, msg

KINDS: list[Deferred] = [
    Count(7529),
    Megabytes(250 * 1024 * 1024),
    Signed(-1017),
    Numerals(("1590", "85.5")),
    Percent(Decimal("85.47"), 1),
    When(("2021", "2014-2023")),
    Term("sex.male"),
    Texts({"en": "KG-B", "ky": "Баткен облусу", "ru": "Баткенская область"}),
    msg("geo.too_big", size=Megabytes(3 * 2**20), limit=Megabytes(2**20, digits=0)),
    Ref("T1; T2"),
    Where("T1", When(("2021",))),
    Flow(Texts({"en": "KG-B", "ru": "Баткенская область"}), Texts({"en": "RU", "ru": "Россия"})),
]


@pytest.mark.parametrize("value", KINDS, ids=lambda v: type(v).__name__)
def test_every_kind_is_rendered_by_localise_through_the_base(value: Deferred) -> None:
    assert isinstance(value, Deferred)
    for lang in ("en", "ky", "ru"):
        assert localise(value, lang) == value.text(lang)
    assert str(value) == value.text("en")
    copied = pickle.loads(pickle.dumps(value))
    assert copied == value
    assert copied.text("ru") == value.text("ru")


def test_kinds_say_themselves_in_each_language() -> None:
    assert localise(Term("sex.male"), "ru") == "мужчины"
    assert localise(Signed(-1017), "ru") == "−1\u00a0017"
    assert localise(Megabytes(250 * 1024 * 1024), "ky") == "250,0"
    assert localise(When.of("2021"), "ru") == "2021\u00a0г."
    assert localise(Ref("T1"), "ru") == "табл. 1"
    assert localise(Flow(Texts({"en": "A"}), Texts({"en": "B"}), both=True), "en") == "A↔B"
    # The readers of boundary files import the size from where they always did.
    assert FilesMegabytes is Megabytes


def test_a_message_renders_the_deferred_values_it_holds() -> None:
    message = msg("geo.too_big", size=Megabytes(3 * 2**20), limit=Megabytes(2**20, digits=0))
    assert isinstance(message, Message)
    assert "3,0" in message.text("ru")
    assert "3.0" in message


def test_the_check_report_is_made_of_deferred_texts() -> None:
    report = run_checks()
    finding = next(f for f in report.findings if f.key == "check.net")
    assert isinstance(finding, Finding)
    assert isinstance(finding, Deferred)
    assert all(isinstance(v, (str, Deferred)) for _, v in finding.values)
    assert localise(finding, "ru") == finding.text("ru") != finding.text("en")
    assert pickle.loads(pickle.dumps(finding)).text("ky") == finding.text("ky")
    fate = report.contradictions[0].values[0]
    assert localise(fate, "ky") == fate.text("ky")
