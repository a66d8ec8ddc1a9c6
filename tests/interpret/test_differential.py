"""Differential test: where plain ``biip.parse`` reads a GS1 element string, fields agree."""

from __future__ import annotations

from datetime import date

import biip
from hypothesis import given
from hypothesis import strategies as st

from inspect_core.interpret import InterpretOptions, interpret
from tests.interpret.interpret_strategies import GS, any_gtins, cset82_text, expiries

ELEMENT = st.one_of(
    st.tuples(st.just("01"), any_gtins),
    st.tuples(st.just("01"), st.from_regex(r"[0-9]{14}", fullmatch=True)),
    st.tuples(st.sampled_from(["17", "11"]), expiries().map(lambda e: e[0])),
    st.tuples(st.sampled_from(["17", "11"]), st.from_regex(r"[0-9]{6}", fullmatch=True)),
    st.tuples(st.sampled_from(["10", "21", "710", "715"]), cset82_text),
    st.tuples(st.just("30"), st.from_regex(r"[0-9]{1,8}", fullmatch=True)),
)


@given(st.lists(ELEMENT, min_size=1, max_size=6))
def test_agrees_with_biip(elements: list[tuple[str, str]]) -> None:
    raw = "]d2" + GS.join(ai + value for ai, value in elements)
    theirs = biip.parse(raw)
    ours = interpret(raw, InterpretOptions(today=date.today()))
    if theirs.gs1_message is None or theirs.gs1_message_error:
        return
    assert [(e.ai.ai, e.value) for e in theirs.gs1_message.element_strings] == list(ours.elements)
    gtin = theirs.gs1_message.element_strings.get(ai="01")
    assert ours.gtin == (gtin.value if gtin else None)
    expiry = theirs.gs1_message.element_strings.get(ai="17")
    assert ours.expiry == (expiry.date if expiry else None)
    for ai, field in (("10", "lot"), ("21", "serial")):
        found = theirs.gs1_message.element_strings.get(ai=ai)
        assert getattr(ours, field) == (found.value if found else None)
    gtin_errors = [e.gtin_error for e in theirs.gs1_message.element_strings if e.ai.ai == "01"]
    assert ("gtin_check_digit" in ours.errors) == any(gtin_errors)
