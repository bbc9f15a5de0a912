"""How a window is split between rollup rows and raw rows (pure, no database)."""

from datetime import UTC, datetime, timedelta

import pytest

from app.rollups.cubes import CUBES, cube_for
from app.rollups.plan import Calendar, calendar, plan, true_start, whole_hour_zone

TOTAL, CHANNEL, LOCATION = CUBES[0], CUBES[1], CUBES[5]
T = datetime(2026, 3, 9, tzinfo=UTC)  # a Monday
H, D = timedelta(hours=1), timedelta(days=1)


def _monday_at_or_after(day: datetime) -> datetime:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _monday_at_or_before(day: datetime) -> datetime:
    return day - timedelta(days=day.weekday())


def utc_calendar(start: datetime, end: datetime) -> Calendar:
    """What PostgreSQL answers for UTC (tests/metrics check the real thing end to end)."""
    midnight = start.replace(hour=0, minute=0, second=0, microsecond=0)
    first_day = start if start == midnight else midnight + D
    last_day = end.replace(hour=0, minute=0, second=0, microsecond=0)
    month_start = midnight.replace(day=1)
    first_month = start if start == month_start else (month_start + 32 * D).replace(day=1)
    last_month = last_day.replace(day=1)
    return Calendar(
        first_day, last_day, _monday_at_or_after(first_day), _monday_at_or_before(last_day),
        first_month, last_month, _monday_at_or_before(first_month),
        _monday_at_or_after(last_month), last_day + D,
    )  # fmt: skip


def test_the_smallest_covering_cube_serves_a_query() -> None:
    assert cube_for([]) == TOTAL
    assert cube_for(["respondent_type", "channel"]) == CHANNEL
    assert cube_for(["region"]) == LOCATION
    assert cube_for(["region", "channel"]).name == "location_channel"  # type: ignore[union-attr]
    assert cube_for(["employee_id", "location_id"]).name == "employee"  # type: ignore[union-attr]
    assert cube_for(["tag"]) is None
    assert cube_for(["channel", "touchpoint"]) is None


def test_whole_days_from_day_rows_edges_from_hours_then_raw() -> None:
    start, end = T + 5 * H + timedelta(minutes=10), T + 3 * D + 2 * H + timedelta(minutes=5)
    p = plan(
        start=start, end=end, cube=CHANNEL, interval="day", zone="UTC",
        calendar=utc_calendar(start, end),
    )  # fmt: skip
    assert p.weeks == ()
    assert p.days == ((T + D, T + 3 * D),)
    assert p.hours == ((T + 6 * H, T + D), (T + 3 * D, T + 3 * D + 2 * H))
    assert p.raw == ((start, T + 6 * H), (T + 3 * D + 2 * H, end))


def test_weeks_then_days_then_hours_without_buckets() -> None:
    start, end = T - 2 * D + 3 * H, T + 15 * D + 30 * timedelta(minutes=1)
    p = plan(
        start=start, end=end, cube=TOTAL, interval=None, zone="UTC",
        calendar=utc_calendar(start, end),
    )  # fmt: skip
    assert p.weeks == ((T, T + 14 * D),)
    assert p.days == ((T - D, T), (T + 14 * D, T + 15 * D))
    assert p.hours == ((start, T - D),)
    assert p.raw == ((T + 15 * D, end),)


def test_cubes_without_hours_read_the_edges_raw() -> None:
    start, end = T + 5 * H, T + 3 * D + 2 * H
    p = plan(
        start=start, end=end, cube=LOCATION, interval="month", zone="UTC",
        calendar=utc_calendar(start, end),
    )  # fmt: skip
    assert p.weeks == ()  # weeks do not add up to months
    assert p.days == ((T + D, T + 3 * D),)
    assert p.hours == ()
    assert p.raw == ((start, T + D), (T + 3 * D, end))


def test_a_window_across_one_midnight_is_cut_there() -> None:
    start, end = T + 20 * H, T + D + 4 * H
    p = plan(
        start=start, end=end, cube=CHANNEL, interval="day", zone="UTC",
        calendar=utc_calendar(start, end),
    )  # fmt: skip
    assert p.days == ()
    assert p.hours == ((start, T + D), (T + D, end))


def test_hour_buckets_in_a_half_hour_zone_are_read_raw() -> None:
    end = T + 2 * D
    p = plan(start=T, end=end, cube=CHANNEL, interval="hour", zone="Asia/Kolkata", calendar=None)
    assert (p.weeks, p.days, p.hours, p.raw) == ((), (), (), ((T, end),))
    vienna = plan(
        start=T, end=end, cube=CHANNEL, interval="hour", zone="Europe/Vienna", calendar=None
    )
    assert vienna.hours == ((T, end),)


def test_days_of_a_zone_not_rolled_up_use_hours_only_where_they_fit() -> None:
    end = T + 20 * D
    kolkata = plan(
        start=T, end=end, cube=CHANNEL, interval="day", zone="Asia/Kolkata", calendar=None
    )
    assert kolkata.raw == ((T, end),)
    summary = plan(
        start=T, end=end, cube=CHANNEL, interval=None, zone="Asia/Kolkata", calendar=None
    )
    assert summary.hours == ((T, end),)  # no buckets: any hour fits


def test_tags_read_everything_raw() -> None:
    p = plan(start=T, end=T + 9 * D, cube=None, interval="day", zone="UTC", calendar=None)
    assert p.raw == ((T, T + 9 * D),)
    assert p.rolled == ()


def test_whole_hour_zones() -> None:
    year = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC))
    assert whole_hour_zone("Europe/Vienna", *year)
    assert whole_hour_zone("America/New_York", *year)
    assert not whole_hour_zone("Asia/Kathmandu", *year)
    assert not whole_hour_zone("Australia/Lord_Howe", *year)  # +10:30, +11 in summer


HAVANA_SECOND_MIDNIGHT = datetime(2026, 11, 1, 5, tzinfo=UTC)  # PostgreSQL's label of the day
HAVANA_FIRST_MIDNIGHT = datetime(2026, 11, 1, 4, tzinfo=UTC)  # when the day really begins


def test_a_day_begins_before_its_label_where_midnight_happens_twice() -> None:
    assert true_start(HAVANA_SECOND_MIDNIGHT, "America/Havana") == HAVANA_FIRST_MIDNIGHT
    assert true_start(T, "Europe/Vienna") == T  # everywhere else the label is the start
    assert true_start(datetime(2026, 10, 25, 22, tzinfo=UTC), "Europe/Vienna") == datetime(
        2026, 10, 25, 22, tzinfo=UTC
    )


def test_the_calendar_cuts_where_the_cells_begin() -> None:
    next_day = datetime(2026, 11, 2, 5, tzinfo=UTC)
    state = {
        "first_day": HAVANA_SECOND_MIDNIGHT, "next_day": next_day,
        "last_day": HAVANA_SECOND_MIDNIGHT,
        "first_week": HAVANA_SECOND_MIDNIGHT, "next_week": next_day,  # (not Mondays: no matter)
        "last_week": HAVANA_SECOND_MIDNIGHT,
        "first_month": HAVANA_SECOND_MIDNIGHT, "next_month": datetime(2026, 12, 1, 5, tzinfo=UTC),
        "last_month": HAVANA_SECOND_MIDNIGHT, "week_before_month": HAVANA_SECOND_MIDNIGHT,
        "week_after_month": HAVANA_SECOND_MIDNIGHT, "day_after_last": next_day,
    }  # fmt: skip
    before = calendar(state, "America/Havana", HAVANA_FIRST_MIDNIGHT - H)
    assert before.first_day == HAVANA_FIRST_MIDNIGHT  # the cell holds the repeated hour
    assert before.last_day == HAVANA_FIRST_MIDNIGHT
    # A window starting in the repeated hour (or at the second midnight) cannot use that
    # day's cell, which holds the hour's earlier part: it starts with the next day.
    inside = calendar(state, "America/Havana", HAVANA_FIRST_MIDNIGHT + H / 2)
    assert inside.first_day == inside.first_week == next_day
    assert inside.first_month == datetime(2026, 12, 1, 5, tzinfo=UTC)
    assert calendar(state, "America/Havana", HAVANA_SECOND_MIDNIGHT).first_day == next_day


def test_months_then_the_weeks_and_days_around_them_without_buckets() -> None:
    start, end = datetime(2026, 2, 2, 5, tzinfo=UTC), datetime(2026, 5, 20, tzinfo=UTC)
    p = plan(
        start=start, end=end, cube=TOTAL, interval=None, zone="UTC",
        calendar=utc_calendar(start, end),
    )  # fmt: skip

    def day(month: int, d: int) -> datetime:
        return datetime(2026, month, d, tzinfo=UTC)

    assert p.month == (day(3, 1), day(5, 1))
    assert p.weeks == ((day(2, 9), day(2, 23)), (day(5, 4), day(5, 18)))
    assert p.days == (
        (day(2, 3), day(2, 9)), (day(2, 23), day(3, 1)), (day(5, 1), day(5, 4)),
        (day(5, 18), day(5, 20)),
    )  # fmt: skip
    assert p.hours == ((start, day(2, 3)),)
    assert p.raw == ()


@pytest.mark.parametrize("interval", ["month", "quarter", "year"])
def test_months_serve_months_quarters_and_years_weeks_do_not(interval: str) -> None:
    start, end = datetime(2026, 2, 2, 5, tzinfo=UTC), datetime(2026, 5, 20, tzinfo=UTC)
    p = plan(
        start=start, end=end, cube=LOCATION, interval=interval, zone="UTC",
        calendar=utc_calendar(start, end),
    )  # fmt: skip
    assert p.month == (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC))
    assert p.weeks == ()
    assert p.days == (
        (datetime(2026, 2, 3, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC)),
        (datetime(2026, 5, 1, tzinfo=UTC), datetime(2026, 5, 20, tzinfo=UTC)),
    )
    assert p.raw == ((start, datetime(2026, 2, 3, tzinfo=UTC)),)


def test_weeks_are_never_cut_by_months() -> None:
    start, end = datetime(2026, 2, 2, tzinfo=UTC), datetime(2026, 5, 20, tzinfo=UTC)
    p = plan(
        start=start, end=end, cube=TOTAL, interval="week", zone="UTC",
        calendar=utc_calendar(start, end),
    )  # fmt: skip
    assert p.month is None
    assert p.weeks == ((start, datetime(2026, 5, 18, tzinfo=UTC)),)


def test_a_window_ending_now_reads_the_whole_last_hour_less_what_lies_after() -> None:
    start, end = T + 5 * H, T + D + 2 * H + timedelta(minutes=5)
    kept = plan(
        start=start, end=end, cube=CHANNEL, interval=None, zone="UTC",
        calendar=utc_calendar(start, end),
    )  # fmt: skip
    assert kept.raw == ((T + D + 2 * H, end),)  # 5 minutes raw rather than 55 subtracted
    assert kept.beyond == ()
    now = plan(
        start=start, end=end, cube=CHANNEL, interval=None, zone="UTC",
        calendar=utc_calendar(start, end), open_end=True,
    )  # fmt: skip
    assert now.raw == ()
    assert now.hours[-1] == (T + D + 2 * H, T + D + 3 * H)
    assert now.beyond == ((end, T + D + 3 * H),)
    assert now.unrolled[-1] == (T + D + 2 * H, end)  # late rows: only up to `end`


def test_a_cube_without_hours_reads_the_whole_last_day_less_what_lies_after() -> None:
    start, end = T + 5 * H, T + D + 20 * H
    p = plan(
        start=start,
        end=end,
        cube=LOCATION,
        interval="day",
        zone="UTC",
        calendar=utc_calendar(start, end),
    )  # fmt: skip  (20 hours of the day done: the 4 after `end` are the shorter side)
    assert p.days == ((T + D, T + 2 * D),)
    assert p.beyond == ((end, T + 2 * D),)
    assert p.raw == ((start, T + D),)
    assert p.unrolled == ((T + D, end),)
