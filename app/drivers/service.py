"""`GET /v1/metrics/drivers`: which drivers go with the outcome, and where the most is to
gain (docs/metrics.md, "Drivers").

In one snapshot: the answers of every respondent of the selection with the outcome,
streamed as binary COPY into numpy (one fixed-width record per respondent, small
numbers packed into 64-bit words, categories as 64-bit hashes of their values; no
Python object per value), by two statements at once; numpy then decides which drivers
the model can use and as what (`plan`); the model and its bootstrap are pure functions
(app/driver_stats.py) run in a worker thread, so the event loop keeps serving, while
one short statement names the levels kept. Measured in bench/drivers.py.
"""

import asyncio
import struct
from dataclasses import dataclass
from typing import Any

import asyncpg
import numpy as np
from numpy.typing import NDArray

from app import driver_stats, stats
from app.db import Database
from app.drivers.design import (
    MAX_LEVELS,
    OUTCOME_COLUMNS,
    Driver,
    Kind,
    Outcome,
    number_sql,
    value_sql,
)
from app.errors import FieldError, ValidationFailed
from app.selection.conditions import dimension_conditions
from app.selection.filters import Selection
from app.selection.schemas import Window
from app.selection.snapshot import CUSTOM_PLANS, snapshot
from app.sql import Params

SEED = 20  # the bootstrap's: the same data give the same answer
OTHER = "(other)"  # the levels with fewer than min_n answers, together
ANSWERS_PER_COLUMN = 10  # the least n a model with c columns is fitted on: 10 c
# The most respondents one answer reads: their records take ~60-100 bytes each in
# memory, twice while they are parsed (5 million: about a gigabyte at the peak).
MAX_RESPONDENTS = 5_000_000
NOTE = (
    "Associations in the selected respondents, not causes: a driver's importance is its "
    "share of what the model explains, and opportunity is what the model expects, not a "
    "promise."
)

# The outcome as a number whose mean is the metric (docs/metrics.md): NPS is the mean
# of +100 (promoter, 9-10), 0 (passive, 7-8) and -100 (detractor, 0-6); CSAT of 100
# (satisfied, 4-5) or 0; CES its own 1-7 score. Indexed by the score.
_NPS_VALUE = np.array([-100.0] * 7 + [0.0] * 2 + [100.0] * 2)
_CSAT_VALUE = np.array([np.nan, 0.0, 0.0, 0.0, 100.0, 100.0])


def outcome_values(outcome: Outcome, scores: NDArray[Any]) -> NDArray[np.float64]:
    if outcome == "nps":
        return _NPS_VALUE[scores]  # type: ignore[no-any-return]
    if outcome == "csat":
        return _CSAT_VALUE[scores]  # type: ignore[no-any-return]
    return scores.astype(np.float64)


@dataclass(frozen=True, slots=True)
class Planned:
    """A driver kept for the model: its kind as the data says, its answers among the
    respondents with the outcome, and for a categorical one its levels as the hashes
    of their values (0: no value; OTHER_LEVEL: the rarer ones together), most answered
    first."""

    driver: Driver
    index: int  # of the driver as asked: its fields in the COPY records
    kind: Kind
    answers: int
    levels: tuple[int, ...] = ()


OTHER_LEVEL = -1  # stands for "(other)" among a categorical driver's level hashes
MISSING = -32768  # an int2 driver's value when the respondent gave none


def _base(
    filters: Selection, outcome: Outcome, drivers: list[Driver], params: Params
) -> tuple[str, str]:
    """The joins (after `feedback_events e`) and the conditions of the respondents with
    the outcome in the selection (those with an enriched comment only, when a theme is a
    driver)."""
    joins = []
    if "region" in filters.dimensions:
        joins.append("LEFT JOIN locations l ON l.id = e.location_id")
    if any(d.family == "theme" for d in drivers):
        joins.append("JOIN comment_insights ci ON ci.event_pk = e.id")
    conditions = [
        f"e.occurred_at >= {params(filters.start)}",
        f"e.occurred_at < {params(filters.end)}",
        f"{OUTCOME_COLUMNS[outcome]} IS NOT NULL",
        *dimension_conditions(filters, params, "e"),
    ]
    return " ".join(joins), " AND ".join(conditions)


@dataclass(frozen=True, slots=True)
class Packed:
    """A small whole number carried in bits of a 64-bit word of the COPY: stored as
    value + offset (0 when the respondent gave none, if `missing`)."""

    name: str
    word: str
    shift: int
    bits: int
    offset: int
    missing: bool


@dataclass(frozen=True, slots=True)
class Layout:
    """How a COPY record reads: its numpy dtype, and the fields packed into words."""

    dtype: np.dtype[Any]
    packed: tuple[Packed, ...]


# (bits, offset) of the small numbers: the outcome's score (0-10, 1-5 or 1-7), a
# SERVQUAL perception (1-7), a gap (-6..6), a 0/1.
_SMALL = {"y": (4, 0), "servqual": (3, 0), "servqual_gap": (4, 7), "tag": (1, 0), "theme": (1, 0)}


def rows_sql(
    filters: Selection, outcome: Outcome, drivers: list[Driver], part: tuple[int, int] = (0, 1)
) -> tuple[str, list[Any], Layout]:
    """Every respondent with the outcome, for a binary COPY: the outcome's score and the
    numeric and binary drivers' answers packed into 64-bit words (a few bits each: a
    COPY field costs PostgreSQL more than the arithmetic), the 64-bit hash of each
    category's value (0: none), and for an attribute its number (NaN: not a number) and
    the hash of its text. Never NULL, so every record has the same width and numpy reads
    them as they come; and the layout that does. `part` (r, k): only the respondents
    whose id is r modulo k (k statements read the whole in parallel)."""
    params = Params()
    columns: list[str] = []
    fields: list[tuple[str, str]] = [("count", ">i2")]

    def field(name: str, sql: str, kind: str) -> None:
        columns.append(sql)
        fields.extend(((f"len_{name}", ">i4"), (name, kind)))

    small: list[tuple[str, str, int, int, bool]] = [
        ("y", f"{OUTCOME_COLUMNS[outcome]}", *_SMALL["y"], False)
    ]
    for i, d in enumerate(drivers):
        value = value_sql(d, params)
        if d.kind == "categorical":
            field(f"h{i}", f"coalesce(hashtextextended({value}, 0), 0)", ">i8")
        elif d.kind is None:  # an attribute: number and text, the data decide which
            field(f"x{i}", f"coalesce({number_sql(d, params)}, 'NaN')", ">f8")
            field(f"h{i}", f"coalesce(hashtextextended({value}, 0), 0)", ">i8")
        else:
            bits, offset = _SMALL[d.family]
            small.append((f"x{i}", value, bits, offset, d.family in ("servqual", "servqual_gap")))
    packed: list[Packed] = []
    words: list[list[str]] = []
    used = 63  # bits of the current word (the sign bit stays clear)
    for name, value, bits, offset, missing in small:
        if used + bits > 63:
            words.append([])
            used = 0
        word = f"w{len(words) - 1}"
        stored = f"({value} + {offset})" if offset else value
        words[-1].append(f"(coalesce({stored}, 0)::int8 << {used})")
        packed.append(Packed(name, word, used, bits, offset, missing))
        used += bits
    for w, parts in enumerate(words):
        field(f"w{w}", " | ".join(parts), ">i8")
    joins, where = _base(filters, outcome, drivers, params)
    if part[1] > 1:
        where += f" AND e.id % {params(part[1])} = {params(part[0])}"
    # asyncpg wraps it in COPY
    sql = f"SELECT {', '.join(columns)} FROM feedback_events e {joins} WHERE {where}"
    return sql, params.values, Layout(np.dtype(fields), tuple(packed))


def labels_sql(
    filters: Selection, outcome: Outcome, drivers: list[Driver], kept: list[Planned]
) -> tuple[str, list[Any]] | None:
    """The values behind the level hashes of the categorical drivers kept: rows (i: the
    driver's place in `kept`, h: the hash, v: the value), each found by the first
    respondent that has it (a kept level has min_n of them: a short read, not a pass
    over the selection). None when no level has a value to name."""
    params = Params()
    parts = []
    for i, p in enumerate(kept):
        hashes = [h for h in p.levels if h not in (0, OTHER_LEVEL)]
        if p.kind != "categorical" or not hashes:
            continue
        value = value_sql(p.driver, params)
        joins, where = _base(filters, outcome, drivers, params)  # the same respondents
        first = (
            f"SELECT {value} FROM feedback_events e {joins} "
            f"WHERE {where} AND hashtextextended({value}, 0) = x.h LIMIT 1"
        )
        listed = params(hashes, "::int8[]")
        parts.append(f"SELECT {i} AS i, x.h, ({first}) AS v FROM unnest({listed}) AS x(h)")
    return ("\nUNION ALL\n".join(parts), params.values) if parts else None


_HEADER = b"PGCOPY\n\xff\r\n\x00"


Columns = dict[str, NDArray[Any]]


def parse_copy(data: bytes, layout: Layout) -> Columns:
    """The fields of a binary COPY whose fields are all fixed-width and never NULL, as
    native, contiguous columns (the records as sent are big-endian and interleaved,
    slow for everything after), packed words unpacked (int16, MISSING for none), the
    length fields and words left out."""
    if not data.startswith(_HEADER):
        raise ValueError("not a binary COPY")
    (extension,) = struct.unpack_from(">I", data, len(_HEADER) + 4)
    start = len(_HEADER) + 8 + extension
    dtype = layout.dtype
    count = (len(data) - start - 2) // dtype.itemsize  # the trailer: a field count of -1
    records = np.frombuffer(data, dtype=dtype, offset=start, count=count)
    columns = {
        name: records[name].astype(dtype[name].newbyteorder("="))
        for name in dtype.names or ()
        if name[0] in "hx"
    }
    words = {p.word: records[p.word].astype(np.int64) for p in layout.packed}
    for p in layout.packed:
        raw = ((words[p.word] >> p.shift) & ((1 << p.bits) - 1)).astype(np.int16)
        value = raw - np.int16(p.offset)
        columns[p.name] = np.where(raw == 0, np.int16(MISSING), value) if p.missing else value
    return columns


@dataclass(frozen=True, slots=True)
class Plan:
    n: int  # respondents with the outcome
    kept: list[Planned]
    dropped: list[dict[str, Any]]
    complete: NDArray[np.bool_]  # the respondents who answered every numeric driver kept


def plan(records: Columns, drivers: list[Driver], min_n: int) -> Plan:
    """Which drivers the model can use, as what, and why the others cannot: a numeric
    one needs min_n answers that are not all the same; a binary one min_n respondents
    with it and min_n without; a categorical one two levels, one of them with min_n
    answers (the most answered MAX_LEVELS - 1 levels with min_n answers are kept, the
    rest are one level, OTHER_LEVEL). An attribute is numeric when every value given is
    a JSON number. `complete`: the respondents who answered every numeric driver kept."""
    n = len(records["y"])
    kept: list[Planned] = []
    dropped: list[dict[str, Any]] = []
    complete = np.ones(n, dtype=np.bool_)
    for i, d in enumerate(drivers):
        kind = d.kind
        if kind is None:
            hashes = records[f"h{i}"]
            given = int((hashes != 0).sum())
            numbers = int((~np.isnan(records[f"x{i}"])).sum())
            kind = "numeric" if given and numbers == given else "categorical"
        if kind == "categorical":
            values, counts = np.unique(records[f"h{i}"], return_counts=True)
            order = np.lexsort((values, -counts))
            common = [int(values[j]) for j in order if counts[j] >= min_n][: MAX_LEVELS - 1]
            rest = n - int(counts[np.isin(values, common)].sum())
            levels = tuple(common) + ((OTHER_LEVEL,) if rest else ())
            answers = n if d.kind == "categorical" else given  # no value is a level
            if len(common) < 1 or len(levels) < 2:
                reason = "no variation: fewer than two levels, one of them with min_n answers"
                dropped.append({"driver": d.name, "reason": reason, "n": answers})
                continue
            kept.append(Planned(d, i, "categorical", answers, levels))
            continue
        x = records[f"x{i}"]
        valid = ~np.isnan(x) if x.dtype.kind == "f" else x != MISSING
        answers = int(valid.sum())
        ones = int(x[valid].sum()) if kind == "binary" else 0
        if answers < min_n:
            reason = "fewer than min_n answers"
        elif x[valid].min() == x[valid].max():
            reason = "no variation: every answer the same"
        elif kind == "binary" and min(ones, answers - ones) < min_n:
            reason = "fewer than min_n respondents with it, or without it"
        else:
            kept.append(Planned(d, i, kind, answers))
            complete &= valid
            continue
        dropped.append({"driver": d.name, "reason": reason, "n": answers})
    return Plan(n=n, kept=kept, dropped=dropped, complete=complete)


def codes(hashes: NDArray[Any], levels: tuple[int, ...]) -> NDArray[np.int16]:
    """Each respondent's level index (by the hash of its value; the rest: OTHER_LEVEL)."""
    known = np.array([h for h in levels if h != OTHER_LEVEL], dtype=np.int64)
    order = np.argsort(known)
    at = np.searchsorted(known[order], hashes)
    at = np.minimum(at, len(known) - 1)
    found = known[order][at] == hashes
    other = levels.index(OTHER_LEVEL) if OTHER_LEVEL in levels else -1
    return np.where(found, order[at], other).astype(np.int16)


def _too_few(message: str) -> ValidationFailed:
    return ValidationFailed(
        "Too few answers for a driver analysis of this selection.",
        errors=[FieldError(pointer="", loc=["query"], type="insufficient_data",
                           message=message)],
    )  # fmt: skip


PARTS = 2  # statements that read the answers at once, each its own connection and core


async def _copy(conn: asyncpg.Connection, sql: str, args: list[Any], layout: Layout) -> Columns:
    chunks: list[bytes] = []

    async def sink(chunk: bytes) -> None:
        chunks.append(chunk)

    await conn.copy_from_query(sql, *args, output=sink, format="binary")
    return await asyncio.to_thread(parse_copy, b"".join(chunks), layout)


async def _read(
    db: Database,
    conn: asyncpg.Connection,
    filters: Selection,
    outcome: Outcome,
    drivers: list[Driver],
    parallel: bool,
) -> Columns:
    """The respondents' answers, in the snapshot of `conn`. In PARTS statements at once
    when `parallel`: the others on connections of their own that take the snapshot
    `conn` exports (PostgreSQL spends its time computing and sending the rows, not
    finding them, so each part costs about 1/PARTS). Else (inside a caller's
    transaction, the tests', whose rows no other connection sees) in one."""
    if not parallel:
        sql, args, layout = rows_sql(filters, outcome, drivers)
        return await _copy(conn, sql, args, layout)
    exported = await conn.fetchval("SELECT pg_export_snapshot()")

    async def part(r: int) -> Columns:
        sql, args, layout = rows_sql(filters, outcome, drivers, (r, PARTS))
        if r == 0:
            return await _copy(conn, sql, args, layout)
        async with (
            db.connection() as other,
            other.transaction(isolation="repeatable_read", readonly=True),
        ):
            await other.execute(f"SET TRANSACTION SNAPSHOT '{exported}'")
            await other.execute(CUSTOM_PLANS)
            return await _copy(other, sql, args, layout)

    parts = await asyncio.gather(*(part(r) for r in range(PARTS)))
    return {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}


async def analyse(
    db: Database, filters: Selection, outcome: Outcome, drivers: list[Driver], replicates: int
) -> dict[str, Any]:
    """The answer (shaped as schemas.DriverReport, JSON-ready). One snapshot: the
    respondents' answers by binary COPY (in parts at once, `_read`), then the values
    behind the kept levels' hashes, read while a worker thread fits the model (which
    needs no names)."""
    async with db.connection() as conn:
        parallel = not conn.is_in_transaction()
        async with snapshot(conn):
            await conn.execute(CUSTOM_PLANS)
            await _check_count(conn, filters, outcome, drivers)
            records = await _read(db, conn, filters, outcome, drivers, parallel)
            planned = await asyncio.to_thread(plan, records, drivers, filters.min_n)
            _check_size(planned, outcome, filters.min_n)
            model = asyncio.create_task(
                asyncio.to_thread(_model, outcome, planned, records, replicates)
            )
            try:
                named: dict[tuple[int, int], str] = {}
                labels = labels_sql(filters, outcome, drivers, planned.kept)
                if labels is not None:
                    sql, args = labels
                    named = {(r["i"], r["h"]): r["v"] for r in await conn.fetch(sql, *args)}
            finally:
                fit, rows = await model
    for i, (p, row) in enumerate(zip(planned.kept, rows, strict=True)):
        for level in row["levels"] or []:
            code = level["level"]
            if p.kind == "categorical":
                level["level"] = (
                    None if code == 0 else OTHER if code == OTHER_LEVEL else named[(i, code)]
                )
        if row["weak_levels"] is not None and p.kind == "categorical":
            row["weak_levels"] = [
                None if h == 0 else OTHER if h == OTHER_LEVEL else named[(i, h)]
                for h in row["weak_levels"]
            ]
    return _envelope(filters, outcome, planned, fit, rows)


async def _check_count(
    conn: asyncpg.Connection, filters: Selection, outcome: Outcome, drivers: list[Driver]
) -> None:
    """422 before reading more than MAX_RESPONDENTS (counting stops one past it)."""
    params = Params()
    joins, where = _base(filters, outcome, drivers, params)
    count = await conn.fetchval(
        f"SELECT count(*) FROM (SELECT 1 FROM feedback_events e {joins} WHERE {where} "
        f"LIMIT {params(MAX_RESPONDENTS + 1)}) AS respondents",
        *params.values,
    )
    if count > MAX_RESPONDENTS:
        raise ValidationFailed(
            "Too many respondents for one driver analysis.",
            errors=[FieldError(pointer="", loc=["query"], type="too_many_respondents",
                               message=f"More than {MAX_RESPONDENTS} respondents with "
                               f"{outcome} in the selection: narrow the window or filter "
                               "(a branch, a channel).")],
        )  # fmt: skip


def _check_size(planned: Plan, outcome: Outcome, min_n: int) -> None:
    """422 unless a driver is left and the model has 10 respondents per column."""
    if not planned.kept:
        raise _too_few(
            f"None of the drivers has min_n ({min_n}) answers with variation among the "
            f"{planned.n} respondents with {outcome}: "
            + "; ".join(f"{d['driver']}: {d['reason']}" for d in planned.dropped)
        )
    columns = sum(len(p.levels) - 1 if p.kind == "categorical" else 1 for p in planned.kept)
    least = max(min_n, ANSWERS_PER_COLUMN * columns)
    n = int(planned.complete.sum())
    if n < least:
        raise _too_few(
            f"{n} respondents answered {outcome} and every numeric driver; the model has "
            f"{columns} columns and needs at least {least} ({ANSWERS_PER_COLUMN} per "
            "column, and min_n). Widen the window or name fewer drivers."
        )


def _model(
    outcome: Outcome, planned: Plan, records: Columns, replicates: int
) -> tuple[driver_stats.Fit, list[dict[str, Any]]]:
    """The fit and one row per kept driver (levels by their hashes, named later)."""
    rows = {name: values[planned.complete] for name, values in records.items()}
    scores = rows["y"].astype(np.intp)
    y = outcome_values(outcome, scores)
    designs = []
    for p in planned.kept:
        if p.kind == "categorical":  # the most answered level is the reference
            levels = codes(rows[f"h{p.index}"], p.levels)
            designs.append(driver_stats.Design(levels, levels=len(p.levels), reference=0))
        elif p.kind == "binary":  # without it is the reference
            designs.append(driver_stats.Design(rows[f"x{p.index}"], levels=2, reference=0))
        else:
            designs.append(driver_stats.Design(rows[f"x{p.index}"]))
    fit = driver_stats.fit(y, designs, replicates=replicates, seed=SEED)
    out = [
        _driver_row(outcome, p, design, driver_fit, scores)
        for p, design, driver_fit in zip(planned.kept, designs, fit.drivers, strict=True)
    ]
    return fit, out


def _envelope(
    filters: Selection,
    outcome: Outcome,
    planned: Plan,
    fit: driver_stats.Fit,
    rows: list[dict[str, Any]],
) -> dict[str, Any]:
    rows.sort(key=lambda r: (r["importance"] is None, -(r["importance"] or 0.0)))
    scores_of = [r["score"] for r in rows if r["score"] is not None]
    if scores_of:
        median_score = float(np.median(scores_of))
        for r in rows:
            if r["importance"] is not None and r["score"] is not None:
                r["quadrant"] = driver_stats.quadrant(
                    r["importance"], r["score"], 100.0 / len(rows), median_score
                )
    return {
        **Window.model_validate(filters.window()).model_dump(mode="json", by_alias=True),
        "outcome": outcome,
        "population": (
            "respondents with an enriched comment"
            if any(p.driver.family == "theme" for p in planned.kept)
            else "respondents"
        ),
        "n": fit.n,
        "n_outcome": planned.n,
        "outcome_value": fit.outcome_mean,
        "r2": fit.r2.value,
        "r2_ci_low": fit.r2.low,
        "r2_ci_high": fit.r2.high,
        "r2_adjusted": fit.r2_adjusted,
        "min_n": filters.min_n,
        "bootstrap": {"replicates": fit.replicates, "blocks": fit.blocks, "seed": SEED},
        "drivers": rows,
        "dropped": planned.dropped,
        "note": NOTE,
    }


def _outcome_figure(
    outcome: Outcome, scores: NDArray[Any]
) -> tuple[float | None, float | None, float | None]:
    """The outcome's metric over some respondents, with its interval (docs/metrics.md)."""
    if outcome == "nps":
        r = stats.nps(np.bincount(scores, minlength=11).tolist())
        return r.value, r.ci_low, r.ci_high
    if outcome == "csat":
        s = stats.csat(np.bincount(scores - 1, minlength=5).tolist())
        return s.value, s.ci_low, s.ci_high
    m = stats.ces(np.bincount(scores - 1, minlength=7).tolist())
    return m.value, m.ci_low, m.ci_high


def _estimate(e: driver_stats.Estimate) -> dict[str, float]:
    return {"value": e.value, "ci_low": e.low, "ci_high": e.high}


def _driver_row(
    outcome: Outcome,
    p: Planned,
    design: driver_stats.Design,
    f: driver_stats.DriverFit,
    scores: NDArray[Any],
) -> dict[str, Any]:
    """One driver of the answer (schemas.DriverRow). Performance is exact, from the
    answers; `score` places the average respondent between the driver's worst and best
    level (numeric: its 2.5th and 97.5th percentile) by the model's effects: 0 all at
    the worst, 100 all at the best."""
    values = design.values
    n = len(values)
    row: dict[str, Any] = {
        "driver": p.driver.name, "kind": p.kind, "n": p.answers,
        "importance": None, "importance_ci_low": None, "importance_ci_high": None,
        "contribution": f.contribution.value, "effect": None, "score": None, "mean": None,
        "mean_ci_low": None, "mean_ci_high": None, "top_box": None, "median": None,
        "weak_side": None, "weak_levels": None, "levels": None,
        "opportunity": f.opportunity.value, "opportunity_ci_low": f.opportunity.low,
        "opportunity_ci_high": f.opportunity.high, "quadrant": None,
        "vif": f.vif if np.isfinite(f.vif) else None,
        "collinear": bool(not np.isfinite(f.vif) or f.vif >= COLLINEAR_VIF),
    }  # fmt: skip
    if f.importance is not None:
        row.update(importance=f.importance.value, importance_ci_low=f.importance.low,
                   importance_ci_high=f.importance.high)  # fmt: skip
    if design.levels:  # categorical or binary
        # A categorical driver's levels by their hashes, named by the caller.
        labels: list[Any] = list(p.levels) if p.kind == "categorical" else ["without", "with"]
        codes = values.astype(np.intp)
        counts = np.bincount(codes, minlength=len(labels))
        effects = np.array([e.value for e in f.effects])
        levels = []
        for level, label in enumerate(labels):
            value, low, high = _outcome_figure(outcome, scores[codes == level])
            effect = f.effects[level]
            levels.append({
                "level": label, "n": int(counts[level]), "share": 100.0 * counts[level] / n,
                "outcome": value, "outcome_ci_low": low, "outcome_ci_high": high,
                "effect": effect.value, "effect_ci_low": effect.low,
                "effect_ci_high": effect.high, "reference": level == design.reference,
            })  # fmt: skip
        row["levels"] = levels
        row["weak_levels"] = [
            labels[i] for i in range(len(labels)) if effects[i] < f.median and counts[i]
        ]
        if effects.max() > effects.min():
            at = float(effects @ counts) / n
            row["score"] = 100.0 * (at - effects.min()) / (effects.max() - effects.min())
        if p.kind == "binary":
            row["effect"] = _estimate(f.effects[1])
            row["mean"] = 100.0 * counts[1] / n  # the share with it
        return row
    x = values.astype(np.float64)
    mean = stats.mean_interval(n, float(x.sum()), float((x * x).sum()))
    slope = f.effects[0]
    row.update(effect=_estimate(slope), mean=mean.value, mean_ci_low=mean.ci_low,
               mean_ci_high=mean.ci_high, median=f.median,
               weak_side="below" if slope.value > 0 else "above")  # fmt: skip
    if p.driver.family == "servqual":  # the top box: 6-7
        row["top_box"] = stats.share(int((x >= 6).sum()), n).value
    elif p.driver.family == "servqual_gap":  # expectations met or exceeded
        row["top_box"] = stats.share(int((x >= 0).sum()), n).value
    lo, hi = (float(q) for q in np.percentile(x, [2.5, 97.5]))
    if hi > lo:
        at = (min(max(float(x.mean()), lo), hi) - lo) / (hi - lo)
        row["score"] = 100.0 * (at if slope.value >= 0 else 1.0 - at)
    return row


COLLINEAR_VIF = 5.0
