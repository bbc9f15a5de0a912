"""The demo's case histories, as pure functions: valid for the service's state machine,
timed in the branch's local week, and nothing after the demo's end."""

import random
from datetime import UTC, datetime, timedelta

from app.demo.cases import CaseSeed, histories, history, plan
from app.demo.generate import Spec, dip_of
from app.follow_ups import states

END = datetime(2026, 11, 20, 12, tzinfo=UTC)
DIP = dip_of(Spec(seed=1, end=END))


def seed(case_id: int, received: datetime, *, reachable: bool = True) -> CaseSeed:
    return CaseSeed(case_id, f"demo-{case_id}", received, "vie-01", reachable)


def test_every_plan_is_a_valid_path_and_ends_in_a_final_state_given_time() -> None:
    received = END - timedelta(days=60)
    done = histories([seed(i, received) for i in range(2_000)], 1, DIP, END)
    statuses = {h.case.status for h in done}
    # Given 60 days, every case is closed, except the few nobody took (open) and the
    # reached customers still waiting for their fix (contacted).
    assert statuses == {"open", "contacted", "resolved", "unreachable"}
    assert sum(h.case.status == "resolved" for h in done) > 1_000
    for h in done:
        times = [t.at for t in h.changes]
        assert times == sorted(times)
        assert all(received < at <= END for at in times)
        if h.case.status == "resolved":
            assert h.case.first_contact_at is not None
            assert h.case.resolution


def test_nothing_after_the_end_has_happened_yet() -> None:
    received = END - timedelta(minutes=5)
    done = histories([seed(i, received) for i in range(200)], 1, DIP, END)
    assert {h.case.status for h in done} == {"open"}
    assert all(not h.changes or h.changes[-1].at <= END for h in done)


def test_an_anonymous_case_is_closed_at_the_next_monday_review() -> None:
    received = datetime(2026, 11, 11, 15, tzinfo=UTC)  # a Wednesday
    patches = plan(seed(1, received, reachable=False), random.Random(1), DIP)
    h = history(seed(1, received, reachable=False), patches, END)
    assert h.case.status == "unreachable"
    (change,) = h.changes
    assert change.at == datetime(2026, 11, 16, 8, tzinfo=UTC)  # 09:00 in Vienna
    assert change.change == states.Change("status", from_status="open", to_status="unreachable")
