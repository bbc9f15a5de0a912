"""How the lag is told from the primary's WAL positions (app.replica.WalHistory), and the
freshness fields an answer gets (app.replica.freshness_fields). No server needed."""

from datetime import UTC, datetime

import pytest

from app.replica import (
    PRIMARY,
    STATE_KEY,
    Observation,
    ReadSource,
    WalHistory,
    freshness_fields,
)


def test_a_replica_caught_up_with_an_idle_primary_has_no_lag() -> None:
    history = WalHistory()
    history.saw(1000, at=0.0)
    for second in range(1, 600):  # ten idle minutes: the position never moves
        history.saw(1000, at=float(second))
    assert history.lag(1000, now=600.0) == 0.0
    assert len(history.positions) == 1  # an idle primary adds nothing


def test_the_lag_is_how_long_ago_the_primary_was_where_the_replica_is() -> None:
    history = WalHistory()
    history.saw(1000, at=0.0)
    history.saw(1000, at=9.0)  # idle until 9 s at least
    history.saw(2000, at=10.0)
    history.saw(3000, at=20.0)
    assert history.lag(3000, now=21.0) == 0.0  # has what the primary had at its last check
    assert history.lag(2000, now=21.0) == pytest.approx(11.0)  # the primary was there at 10 s
    assert history.lag(2500, now=21.0) == pytest.approx(6.0)  # halfway from 10 s to 20 s
    # At 1000 it lacks what came after 9 s (the last time the primary was still there).
    assert history.lag(1000, now=21.0) == pytest.approx(12.0)
    assert history.lag(1500, now=21.0) == pytest.approx(11.5)  # between 9 s and 10 s


def test_a_replica_that_stopped_receiving_lags_ever_more() -> None:
    history = WalHistory()
    history.saw(1000, at=0.0)
    history.saw(2000, at=1.0)
    assert history.lag(1000, now=1.0) == pytest.approx(1.0)
    assert history.lag(1000, now=100.0) == pytest.approx(100.0)


def test_a_position_older_than_the_history_is_unknown() -> None:
    history = WalHistory(size=3)
    for second, lsn in enumerate((1000, 2000, 3000, 4000)):
        history.saw(lsn, at=float(second))
    assert [p.lsn for p in history.positions] == [2000, 3000, 4000]
    assert history.lag(1500, now=5.0) is None
    assert WalHistory().lag(0, now=0.0) is None  # nothing seen yet


def test_another_primary_starts_a_new_history() -> None:
    history = WalHistory()
    history.saw(5000, at=0.0)
    history.saw(1000, at=1.0)  # restored from a backup, or failed over: positions went back
    assert [p.lsn for p in history.positions] == [1000]
    assert history.lag(1000, now=2.0) == 0.0


def test_an_answer_read_on_a_replica_says_how_fresh() -> None:
    seen = Observation(
        state="healthy",
        lag_seconds=0.25,
        replayed_at=datetime(2026, 11, 26, 10, 0, 0, 123456, tzinfo=UTC),
        rollup_watermark=1200341,
        checked_at=datetime(2026, 11, 26, 10, 0, 1, tzinfo=UTC),
        detail=None,
    )
    fields = dict(freshness_fields({STATE_KEY: ReadSource("replica", seen)}))
    assert fields == {
        b"feedback-read-source": b"replica",
        b"feedback-replayed-at": b"2026-11-26T10:00:00.123456Z",
        b"feedback-replica-lag": b"0.250",
        b"feedback-rollup-watermark": b"1200341",
    }
    assert freshness_fields({STATE_KEY: PRIMARY}) == [(b"feedback-read-source", b"primary")]
    assert freshness_fields({}) == []  # a route that does not read through the dependency
