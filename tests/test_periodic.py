"""The loop every background worker runs (app/periodic.py): rounds, sleeps, outages, stopping,
and the lead that lets one worker across all workers and nodes run a loop's rounds.

Plain coroutines stand in for the rounds; the workers' own rounds against the database
are tested in tests/rollups, tests/webhooks, tests/respondents, tests/faults and, across
two nodes, tests/test_two_nodes.py.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator

import asyncpg
import pytest
from sqlalchemy.engine import URL

from app.db import OutageLog, libpq_url
from app.periodic import LEADER_APPLICATION_NAME, Leadership, Periodic, Stopped

TICK = 0.02  # a short interval, where a test needs the loop to sleep and wake again
LONG = 60.0  # an interval no test waits out: the loop must not be sleeping it


class Lines(logging.Handler):
    """The lines of one logger (a handler of our own rather than caplog: the suite
    may run with `-p no:logging`)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    @property
    def lines(self) -> list[tuple[int, str]]:
        return [(r.levelno, r.getMessage()) for r in self.records]


@pytest.fixture
def lines() -> Iterator[Lines]:
    logger = logging.getLogger("tests.periodic")
    handler = Lines()
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def outage() -> OutageLog:
    return OutageLog(logging.getLogger("tests.periodic"), "test round")


class Rounds:
    """A round that counts itself, and answers or raises as a test scripts it."""

    def __init__(self, *script: bool | BaseException) -> None:
        self.script = list(script)
        self.count = 0
        self.ran = asyncio.Event()

    async def __call__(self, stopping: asyncio.Event) -> bool:
        self.count += 1
        self.ran.set()
        step = self.script.pop(0) if self.script else False
        if isinstance(step, BaseException):
            raise step
        return step

    async def wait_for(self, count: int) -> None:
        async with asyncio.timeout(5):
            while self.count < count:
                self.ran.clear()
                await self.ran.wait()


async def test_the_first_round_runs_at_start_then_one_each_interval() -> None:
    rounds = Rounds()
    loop = Periodic("test", rounds, TICK, outage())
    assert rounds.count == 0  # nothing before start
    loop.start()
    await rounds.wait_for(1)
    await rounds.wait_for(3)  # and again, after the interval
    started = asyncio.get_running_loop().time()
    await rounds.wait_for(4)
    assert asyncio.get_running_loop().time() - started >= TICK * 0.8  # it slept in between
    assert await loop.stop() is True


async def test_the_loop_runs_as_a_named_task() -> None:
    rounds = Rounds()
    loop = Periodic("test-loop", rounds, LONG, outage())
    loop.start()
    await rounds.wait_for(1)
    assert "test-loop" in {t.get_name() for t in asyncio.all_tasks()}
    await loop.stop()
    assert "test-loop" not in {t.get_name() for t in asyncio.all_tasks()}


async def test_a_round_with_more_waiting_is_followed_at_once() -> None:
    rounds = Rounds(True, True, True, False)
    loop = Periodic("test", rounds, LONG, outage())
    loop.start()
    await rounds.wait_for(4)  # within the 5 s of wait_for: none waited for the interval
    await asyncio.sleep(TICK)
    assert rounds.count == 4  # the fourth had nothing more: the loop sleeps
    await loop.stop()


async def test_stopping_wakes_the_sleeping_loop_at_once() -> None:
    rounds = Rounds()
    loop = Periodic("test", rounds, LONG, outage())
    loop.start()
    await rounds.wait_for(1)
    async with asyncio.timeout(1):
        assert await loop.stop() is True
    assert rounds.count == 1
    assert loop.stopping.is_set()


async def test_stopping_waits_for_the_round_in_flight_and_runs_no_other() -> None:
    began, release = asyncio.Event(), asyncio.Event()
    finished: list[bool] = []
    seen: list[bool] = []

    async def slow(stopping: asyncio.Event) -> bool:
        began.set()
        await release.wait()
        seen.append(stopping.is_set())  # the round can see that a stop was asked for
        finished.append(True)
        return True  # more waiting: still no further round once stopping

    loop = Periodic("test", slow, LONG, outage())
    loop.start()
    await began.wait()
    stopping = asyncio.create_task(loop.stop())
    await asyncio.sleep(TICK)
    assert not stopping.done()  # still waiting for the round
    release.set()
    assert await stopping is True
    assert finished == [True]
    assert seen == [True]


async def test_a_round_that_outlasts_the_wait_is_abandoned() -> None:
    began = asyncio.Event()
    cancelled: list[bool] = []

    async def hangs(stopping: asyncio.Event) -> bool:
        began.set()
        try:
            await asyncio.sleep(LONG)
        except asyncio.CancelledError:
            cancelled.append(True)
            raise
        return False

    loop = Periodic("test", hangs, LONG, outage())
    loop.start()
    await began.wait()
    async with asyncio.timeout(1):
        assert await loop.stop(wait=TICK) is False
    assert cancelled == [True]


async def test_stopping_a_loop_never_started_is_immediate() -> None:
    rounds = Rounds()
    loop = Periodic("test", rounds, LONG, outage())
    assert await loop.stop() is True
    assert await loop.stop(wait=TICK) is True
    assert rounds.count == 0


async def test_a_failing_round_is_tried_again_on_the_next_tick(lines: Lines) -> None:
    rounds = Rounds(True, ValueError("a bug"), False)
    loop = Periodic("test", rounds, TICK, outage())
    loop.start()
    await rounds.wait_for(4)  # the loop survived the error
    await loop.stop()
    assert [level for level, _ in lines.lines] == [logging.ERROR]


async def test_a_failed_round_waits_for_the_interval() -> None:
    rounds = Rounds(ValueError("a bug"))
    loop = Periodic("test", rounds, LONG, outage())
    loop.start()
    await rounds.wait_for(1)
    await asyncio.sleep(TICK)
    assert rounds.count == 1  # not again at once
    await loop.stop()


async def test_every_other_failure_is_logged_each_time(lines: Lines) -> None:
    rounds = Rounds(ValueError("secret-1"), KeyError("secret-2"), ValueError("secret-3"))
    loop = Periodic("test", rounds, TICK, outage())
    loop.start()
    await rounds.wait_for(4)
    await loop.stop()
    # In full, each time (its kind and traceback; no message text: app.logs.redacted).
    assert [(level, message.splitlines()[0]) for level, message in lines.lines] == [
        (logging.ERROR, "test round failed: builtins.ValueError"),
        (logging.ERROR, "test round failed: builtins.KeyError"),
        (logging.ERROR, "test round failed: builtins.ValueError"),
    ]
    assert all("test_periodic.py" in message for _, message in lines.lines)
    assert not any("secret" in message for _, message in lines.lines)


async def test_an_outage_is_logged_when_it_begins_and_when_it_ends(lines: Lines) -> None:
    away = ConnectionRefusedError("the database is away")  # unavailable(): an outage
    rounds = Rounds(False, away, away, away, True, False, away)
    loop = Periodic("test", rounds, TICK, outage())
    loop.start()
    await rounds.wait_for(8)
    await loop.stop()
    assert lines.lines == [
        (logging.WARNING, "test round paused: the database is unavailable "
                          "(ConnectionRefusedError); retrying"),
        (logging.WARNING, "test round resumed: the database answers again"),
        (logging.WARNING, "test round paused: the database is unavailable "
                          "(ConnectionRefusedError); retrying"),
        (logging.WARNING, "test round resumed: the database answers again"),
    ]  # fmt: skip


async def test_a_round_that_raises_stopped_ends_the_loop_unlogged(lines: Lines) -> None:
    away = ConnectionRefusedError("the database is away")
    rounds = Rounds(away, Stopped())
    loop = Periodic("test", rounds, TICK, outage())
    loop.start()
    await rounds.wait_for(2)
    await asyncio.sleep(TICK * 3)
    assert rounds.count == 2  # no round after it, though nobody called stop
    assert await loop.stop() is True
    # The outage began; a stopped round is no sign that it ended.
    assert [message for _, message in lines.lines] == [
        "test round paused: the database is unavailable (ConnectionRefusedError); retrying"
    ]


async def test_cancellation_is_not_survived() -> None:
    rounds = Rounds(asyncio.CancelledError())
    loop = Periodic("test", rounds, TICK, outage())
    loop.start()
    await rounds.wait_for(1)
    with pytest.raises(asyncio.CancelledError):
        await loop.stop()
    assert rounds.count == 1


# Leadership: one worker's rounds across every worker and node (a real database; each
# Leadership stands for a worker process of its own).

KEY = 0x74657374_6C656164  # "testlead": this file's own advisory lock key


@pytest.fixture
async def leader_url(fresh_database: Callable[[], Awaitable[URL]]) -> URL:
    return await fresh_database()


async def test_one_leads_and_hands_over_when_it_stops(leader_url: URL) -> None:
    first, second = Leadership(leader_url, KEY, "test"), Leadership(leader_url, KEY, "test")
    try:
        assert await first.lead() is True
        assert await second.lead() is False
        assert await first.lead() is True  # and keeps it, tick after tick
        assert await second.lead() is False
        assert (first.leading, second.leading) == (True, False)
        await first.release()
        assert await second.lead() is True
        assert await first.lead() is False
    finally:
        await first.release()
        await second.release()


async def test_a_leader_whose_session_died_loses_the_lead_to_the_next_that_tries(
    leader_url: URL,
) -> None:
    first, second = Leadership(leader_url, KEY, "test"), Leadership(leader_url, KEY, "test")
    try:
        assert await first.lead() is True
        conn = await asyncpg.connect(libpq_url(leader_url))
        try:  # the database ends the leader's session (a restart, a network cut, an admin)
            ended = await conn.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = $1 AND datname = current_database()",
                LEADER_APPLICATION_NAME,
            )
        finally:
            await conn.close()
        assert ended == 1
        for _ in range(250):  # the server lets go of the lock as the session ends
            if await second.lead():
                break
            await asyncio.sleep(TICK)
        else:
            raise AssertionError("the lock of the ended session was not let go within 5 s")
        assert await first.lead() is False  # its check fails; the lock is taken
    finally:
        await first.release()
        await second.release()


async def test_only_the_leaders_loop_runs_rounds_and_another_takes_over(
    leader_url: URL,
) -> None:
    ones, others = Rounds(), Rounds()
    one = Periodic("test", ones, TICK, outage(), Leadership(leader_url, KEY, "test"))
    other = Periodic("test", others, TICK, outage(), Leadership(leader_url, KEY, "test"))
    one.start()
    await ones.wait_for(1)
    other.start()
    await ones.wait_for(ones.count + 5)  # five more ticks of both loops
    assert others.count == 0
    assert await one.stop() is True  # hands the lead over
    await others.wait_for(2)
    assert await other.stop() is True
