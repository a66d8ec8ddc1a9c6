"""`Interpretation.from_dict` reads back what `to_dict` stored, through JSON as it is kept."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspect_core.interpret import Interpretation, InterpretOptions, interpret
from tests.interpret import test_logistic_labels, test_vectors
from tests.interpret.interpret_strategies import GS, TODAY, Pack, packs

OPTIONS = InterpretOptions(today=TODAY)
SCANS = [(name, raw) for name, raw, _ in (*test_vectors.CASES, *test_logistic_labels.CASES)]


def stored(interpretation: Interpretation) -> dict[str, object]:
    return json.loads(json.dumps(interpretation.to_dict()))


@pytest.mark.parametrize(("name", "raw"), SCANS, ids=[name for name, _ in SCANS])
def test_every_vector_round_trips(name: str, raw: str | bytes) -> None:
    interpretation = interpret(raw, OPTIONS)
    assert Interpretation.from_dict(stored(interpretation)) == interpretation


def test_the_vectors_cover_every_field() -> None:
    """Each field is set (not its default) by at least one vector, so the round trip tests it."""
    defaults = Interpretation(raw="")
    results = [interpret(raw, OPTIONS) for _, raw in SCANS]
    unset = {
        name
        for name in Interpretation.__dataclass_fields__
        if all(getattr(r, name) == getattr(defaults, name) for r in results)
    }
    assert unset == set()


@given(pack=packs(), lose_separator=st.booleans())
def test_generated_packs_round_trip(pack: Pack, lose_separator: bool) -> None:
    separator = "" if lose_separator else GS
    raw = f"]d201{pack.gtin}17{pack.expiry_field}10{pack.lot}{separator}21{pack.serial}"
    interpretation = interpret(raw, OPTIONS)
    assert Interpretation.from_dict(stored(interpretation)) == interpretation


@given(raw=st.text(max_size=60))
def test_any_text_round_trips(raw: str) -> None:
    interpretation = interpret(raw, OPTIONS)
    assert Interpretation.from_dict(stored(interpretation)) == interpretation


def test_missing_keys_take_the_defaults() -> None:
    """Scans stored before a field existed still read back."""
    assert Interpretation.from_dict({"raw": "x"}) == Interpretation(raw="x")
