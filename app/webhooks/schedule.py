"""When to try a failed message again, and when to give up on an endpoint. Pure functions.

Retries back off exponentially to 8 hours, with +-10 % jitter so that the
messages of an endpoint that was down do not all come back in the same second.
Without jitter the last of the 13 attempts is 31 h 53.5 min after the first
(at least 28.7 h with the most negative jitter), so an endpoint may be away for
a day and still get everything.
"""

from datetime import datetime, timedelta

# The wait after the 1st, 2nd, ... failed attempt; after the last one the message fails.
RETRY_DELAYS: tuple[timedelta, ...] = tuple(
    timedelta(seconds=s)
    for s in (30, 60, 120, 300, 900, 1800, 3600, 7200, 14400, 28800, 28800, 28800)
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
JITTER = 0.1

# A subscription whose every attempt has failed for this long is disabled.
DISABLE_AFTER = timedelta(hours=24)


def retry_delay(attempts: int, rand: float) -> timedelta | None:
    """The wait before the next attempt after `attempts` failed ones (None: give up).

    `rand` is uniform in [0, 1): the delay is scaled by 1 + JITTER * (2 * rand - 1).
    """
    if attempts < 1:
        raise ValueError("attempts counts the attempts made, at least 1")
    if attempts > len(RETRY_DELAYS):
        return None
    return RETRY_DELAYS[attempts - 1] * (1 + JITTER * (2 * rand - 1))


def should_disable(failing_since: datetime | None, now: datetime) -> bool:
    """True when the endpoint has failed without a single success since `failing_since`
    for DISABLE_AFTER or longer."""
    return failing_since is not None and now - failing_since >= DISABLE_AFTER
