"""Hypothesis strategies for valid DSCSA pack identifiers and their transport renderings."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from hypothesis import strategies as st

from inspect_core.ndc import gs1_check_digit

TODAY = date(2025, 6, 1)
CSET82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
GS = "\x1d"


@dataclass(frozen=True)
class Pack:
    gtin: str
    serial: str
    lot: str
    expiry_field: str
    expiry: date

    @property
    def elements(self) -> dict[str, str]:
        return {"01": self.gtin, "17": self.expiry_field, "10": self.lot, "21": self.serial}


def _with_check_digit(body: str) -> str:
    return body + str(gs1_check_digit(body))


us_gtins = st.builds(
    lambda indicator, ndc10: _with_check_digit(indicator + "03" + ndc10),
    st.sampled_from("012345678"),
    st.from_regex(r"[0-9]{10}", fullmatch=True),
)
any_gtins = st.one_of(us_gtins, st.from_regex(r"[0-9]{13}", fullmatch=True).map(_with_check_digit))
cset82_text = st.text(alphabet=CSET82, min_size=1, max_size=20)


@st.composite
def expiries(draw: st.DrawFn) -> tuple[str, date]:
    """A ``yymmd0`` field and its date under the century window of ``TODAY``."""
    yy = draw(st.integers(0, 99))
    month = draw(st.integers(1, 12))
    year = (1900 if yy - TODAY.year % 100 >= 51 else 2000) + yy
    last = calendar.monthrange(year, month)[1]
    day = draw(st.integers(0, last))
    return f"{yy:02d}{month:02d}{day:02d}", date(year, month, day or last)


@st.composite
def packs(draw: st.DrawFn, gtins: st.SearchStrategy[str] = us_gtins) -> Pack:
    field, expiry = draw(expiries())
    return Pack(draw(gtins), draw(cset82_text), draw(cset82_text), field, expiry)
