"""How many rows a metrics answer will hold, known before the work that builds it.

A timeseries answer is dense: every bucket x every group x every metric row, empty
cells included. Its size is set by the caller (a five-year window by the hour gave
5.3 M rows, 817 MB, from 120 stored events), so it is bounded by `max_answer_rows`
(a setting) twice: from the window and interval alone before any query, and with the
real number of groups before the rows are built.
"""

from datetime import datetime, timedelta

from app.errors import FieldError, ValidationFailed

# The shortest a local bucket can be: a DST change shortens a day (and its week, month...)
# by at most an hour; a calendar month has at least 28 days, a quarter 90, a year 365.
SHORTEST = {
    "hour": timedelta(hours=1),
    "day": timedelta(hours=23),
    "week": timedelta(days=7) - timedelta(hours=1),
    "month": timedelta(days=28) - timedelta(hours=1),
    "quarter": timedelta(days=90) - timedelta(hours=1),
    "year": timedelta(days=365) - timedelta(hours=1),
}


def most_buckets(start: datetime, end: datetime, interval: str) -> int:
    """An upper bound on the buckets overlapping [start, end): the first may start
    before `start` and the last end after `end` (+2), and each clock change may add
    one, at most two a year (Lord Howe Island's half-hour change adds a local hour)."""
    span = end - start
    return span // SHORTEST[interval] + 2 + 2 * (span.days // 365 + 1)


def check_rows(buckets: int, groups: int, per_cell: int, limit: int, *, exact: bool) -> None:
    """Refuse (422) an answer of more than `limit` rows before it is built."""
    rows = buckets * groups * per_cell
    if rows <= limit:
        return
    size = (
        f"{buckets} buckets x {groups} groups x {per_cell} metric rows = {rows} rows"
        if exact
        else f"up to {buckets} buckets x {per_cell} metric rows = {rows} rows"
    )
    raise ValidationFailed(
        f"The answer would hold {size}; at most {limit} are returned. Narrow the request: "
        "a shorter window (`from`, `to`), a longer `interval`, fewer `metrics`, or a filter "
        "on the `group_by` dimension.",
        errors=[
            FieldError(
                pointer="", loc=["query", "interval"], type="answer_too_large",
                message=f"At most {limit} rows per answer.",
            )
        ],
    )  # fmt: skip
