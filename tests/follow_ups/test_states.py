"""The case state machine (pure) and the duration statistics of closing the loop."""

import math
import statistics
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.follow_ups.states import ALLOWED, Attempt, Case, Patch, Refused, apply
from app.stats import median_interval, quantile

T0 = datetime(2026, 11, 24, 9, tzinfo=UTC)
T1 = T0 + timedelta(hours=3)
OPEN = Case("open", None, None, None, None)
CONTACTED = Case("contacted", "maria", T0, None, None)


@pytest.mark.parametrize(
    ("case", "to", "allowed"),
    [
        (OPEN, "contacted", True),
        (OPEN, "unreachable", True),
        (OPEN, "resolved", False),
        (CONTACTED, "resolved", True),
        (CONTACTED, "unreachable", True),
    ],
)
def test_moves(case: Case, to: str, allowed: bool) -> None:
    patch = Patch(status=to, resolution="done" if to == "resolved" else None)
    if not allowed:
        with pytest.raises(Refused):
            apply(case, patch, T1)
        return
    after, changes = apply(case, patch, T1)
    assert after.status == to
    assert changes[-1].kind == "status"
    assert (changes[-1].from_status, changes[-1].to_status) == (case.status, to)
    assert after.closed_at == (T1 if to in ("resolved", "unreachable") else None)
    assert after.first_contact_at == (case.first_contact_at or (T1 if to == "contacted" else None))


@pytest.mark.parametrize("status", ["resolved", "unreachable"])
def test_final_states_refuse_everything(status: str) -> None:
    closed = Case(status, "maria", T0, T0, "x" if status == "resolved" else None)
    for patch in (
        Patch(set_assignee=True, assignee="ben"),
        Patch(attempt=Attempt("phone", "reached")),
        Patch(status="contacted"),
    ):
        with pytest.raises(Refused):
            apply(closed, patch, T1)
    assert set(ALLOWED[status]) == set()


def test_reached_is_the_first_contact_and_only_the_first() -> None:
    after, changes = apply(OPEN, Patch(attempt=Attempt("phone", "reached", "ok")), T1)
    assert (after.status, after.first_contact_at) == ("contacted", T1)
    assert [c.kind for c in changes] == ["contact_attempt", "status"]
    later, _ = apply(after, Patch(attempt=Attempt("email", "reached")), T1 + timedelta(hours=1))
    assert later.first_contact_at == T1


def test_attempts_that_do_not_reach_change_no_state() -> None:
    after, changes = apply(OPEN, Patch(attempt=Attempt("phone", "no_answer")), T1)
    assert after == OPEN
    assert [c.contact_outcome for c in changes] == ["no_answer"]


def test_resolution_rules() -> None:
    with pytest.raises(Refused):
        apply(CONTACTED, Patch(status="resolved"), T1)
    with pytest.raises(Refused):
        apply(CONTACTED, Patch(resolution="x"), T1)
    after, _ = apply(CONTACTED, Patch(status="resolved", resolution="refund"), T1)
    assert after.resolution == "refund"


def test_no_op_patches_record_nothing() -> None:
    assert apply(CONTACTED, Patch(set_assignee=True, assignee="maria"), T1) == (CONTACTED, [])
    assert apply(CONTACTED, Patch(status="contacted"), T1) == (CONTACTED, [])
    assert apply(OPEN, Patch(), T1) == (OPEN, [])


durations = st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=200)


@given(durations, st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.9, 1.0]))
def test_quantile_is_percentile_cont(values: list[float], q: float) -> None:
    ordered = sorted(values)
    if len(ordered) == 1:
        assert quantile(ordered, q) == ordered[0]
    else:
        expected = {0.0: ordered[0], 1.0: ordered[-1]}.get(q)
        if expected is None:
            expected = statistics.quantiles(ordered, n=100, method="inclusive")[round(q * 100) - 1]
        assert quantile(ordered, q) == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert quantile([], 0.5) is None


def test_median_interval_covers_95_percent_for_every_n() -> None:
    """Exact coverage of [X(r), X(s)] for a continuous distribution's median is
    P(r <= B < s), B ~ Binomial(n, 1/2); the normal approximation keeps it >= 95 %."""
    assert median_interval([1.0] * 5) is None
    for n in range(6, 400):
        interval = median_interval([float(i) for i in range(1, n + 1)])
        assert interval is not None
        r, s = int(interval.low), int(interval.high)  # the values are their ranks
        coverage = sum(math.comb(n, i) for i in range(r, s)) / 2**n
        assert coverage >= 0.95, (n, r, s, coverage)
        assert n < 100 or coverage < 0.98, (n, r, s, coverage)  # and not much wider
