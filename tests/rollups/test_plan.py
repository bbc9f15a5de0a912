"""How a window is split between rollup rows and raw rows (pure, no database)."""

from datetime import UTC, datetime, timedelta

from app.rollups.cubes import CUBES, cube_for
from app.rollups.plan import plan, whole_hour_zone

TOTAL, CHANNEL, LOCATION = CUBES[0], CUBES[1], CUBES[5]
T = datetime(2026, 3, 10, tzinfo=UTC)


def test_the_smallest_covering_cube_serves_a_query() -> None:
    assert cube_for([]) == TOTAL
    assert cube_for(["respondent_type", "channel"]) == CHANNEL
    assert cube_for(["region"]) == LOCATION
    assert cube_for(["region", "channel"]).name == "location_channel"  # type: ignore[union-attr]
    assert cube_for(["employee_id", "location_id"]).name == "employee"  # type: ignore[union-attr]
    assert cube_for(["tag"]) is None
    assert cube_for(["channel", "touchpoint"]) is None


def test_whole_days_from_day_rows_edges_from_hours_then_raw() -> None:
    start, end = T + timedelta(hours=5, minutes=10), T + timedelta(days=3, hours=2, minutes=5)
    days = (T + timedelta(days=1), T + timedelta(days=3))
    p = plan(start=start, end=end, cube=CHANNEL, interval="day", zone="UTC", days=days)
    assert p.day == days
    assert p.hours == (
        (T + timedelta(hours=6), T + timedelta(days=1)),
        (T + timedelta(days=3), T + timedelta(days=3, hours=2)),
    )
    assert p.raw == (
        (start, T + timedelta(hours=6)),
        (T + timedelta(days=3, hours=2), end),
    )


def test_cubes_without_hours_read_the_edges_raw() -> None:
    start, end = T + timedelta(hours=5), T + timedelta(days=3, hours=2)
    days = (T + timedelta(days=1), T + timedelta(days=3))
    p = plan(start=start, end=end, cube=LOCATION, interval="week", zone="UTC", days=days)
    assert p.day == days
    assert p.hours == ()
    assert p.raw == ((start, days[0]), (days[1], end))


def test_hour_buckets_in_a_half_hour_zone_are_read_raw() -> None:
    end = T + timedelta(days=2)
    p = plan(start=T, end=end, cube=CHANNEL, interval="hour", zone="Asia/Kolkata", days=None)
    assert (p.day, p.hours, p.raw) == (None, (), ((T, end),))
    vienna = plan(start=T, end=end, cube=CHANNEL, interval="hour", zone="Europe/Vienna", days=None)
    assert vienna.hours == ((T, end),)


def test_days_of_a_zone_not_rolled_up_use_hours_only_where_they_fit() -> None:
    end = T + timedelta(days=20)
    kolkata = plan(start=T, end=end, cube=CHANNEL, interval="day", zone="Asia/Kolkata", days=None)
    assert kolkata.raw == ((T, end),)
    summary = plan(start=T, end=end, cube=CHANNEL, interval=None, zone="Asia/Kolkata", days=None)
    assert summary.hours == ((T, end),)  # no buckets: any hour fits


def test_tags_read_everything_raw() -> None:
    p = plan(start=T, end=T + timedelta(days=9), cube=None, interval="day", zone="UTC", days=None)
    assert p.raw == ((T, T + timedelta(days=9)),)
    assert p.rolled == ()


def test_whole_hour_zones() -> None:
    year = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC))
    assert whole_hour_zone("Europe/Vienna", *year)
    assert whole_hour_zone("America/New_York", *year)
    assert not whole_hour_zone("Asia/Kathmandu", *year)
    assert not whole_hour_zone("Australia/Lord_Howe", *year)  # +10:30, +11 in summer
