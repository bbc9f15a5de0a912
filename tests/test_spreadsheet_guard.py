"""The CSV answers' spreadsheet guard (app.selection.csv): a `'` before text a
spreadsheet would run as a formula, taken off again exactly by `feedback import`."""

from hypothesis import given
from hypothesis import strategies as st

from app.selection.csv import FORMULA_STARTS, spreadsheet_safe, unguarded


@given(st.text(alphabet="'=+-@\t\rab ", max_size=6))
def test_the_guard_comes_off_exactly(text: str) -> None:
    """Whatever the text (one that itself begins `'=` or `''=` included), the import of
    its export gives it back; what a spreadsheet would run is always guarded."""
    guarded = spreadsheet_safe(text)
    assert unguarded(guarded) == text
    assert not guarded.startswith(FORMULA_STARTS)


def test_examples() -> None:
    assert spreadsheet_safe("=1+1") == "'=1+1"
    assert spreadsheet_safe("'=1+1") == "''=1+1"  # already looked guarded: guarded again
    assert spreadsheet_safe("'quoted") == "'quoted"  # no formula behind it: as it is
    assert unguarded("'quoted") == "'quoted"
    assert unguarded("''=1+1") == "'=1+1"
