"""`GET /v1/metrics/drivers`: which drivers go with the outcome, and where the most is to
gain (docs/metrics.md, "Drivers").

Two statements in one snapshot over the respondents of the selection that have the
outcome: a profile (per driver how many answered, the range of a numeric one, the
levels of a categorical one with at least `min_n` answers, whether an attribute's
values are all numbers), then the answers of the complete cases themselves, streamed
as binary COPY into numpy (one fixed-width record per respondent, no Python object per
value). The model and its bootstrap are pure functions (app/driver_stats.py), run in
a worker thread so the event loop keeps serving.
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
    respondents with the outcome, and for a categorical one its levels (None: no
    value; OTHER: the rarer ones together), most answered first."""

    driver: Driver
    kind: Kind
    answers: int
    levels: tuple[str | None, ...] = ()


def _base(filters: Selection, outcome: Outcome, drivers: list[Driver], params: Params) -> str:
    """FROM and WHERE of the respondents with the outcome in the selection (those with an
    enriched comment only, when a theme is a driver)."""
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
    return f"FROM feedback_events e {' '.join(joins)} WHERE {' AND '.join(conditions)}"


def profile_sql(
    filters: Selection, outcome: Outcome, drivers: list[Driver]
) -> tuple[str, list[Any]]:
    """One row per level (with at least min_n answers) of each categorical or attribute
    driver, and one for the whole: its count, and per driver its answers, range, ones."""
    params = Params()
    select, grouped = [], []
    for i, d in enumerate(drivers):
        if d.kind in ("categorical", None):
            select.append(f"{value_sql(d, params)} AS c{i}")
            grouped.append(f"c{i}")
        if d.kind in ("numeric", "binary"):
            select.append(f"{value_sql(d, params)} AS x{i}")
        if d.kind is None:
            select.append(f"{number_sql(d, params)} AS x{i}")
    base = _base(filters, outcome, drivers, params)
    figures = ["count(*) AS n"]
    for i, d in enumerate(drivers):
        if d.kind != "categorical":
            figures += [f"count(x{i}) AS n{i}", f"min(x{i}) AS lo{i}", f"max(x{i}) AS hi{i}"]
        if d.kind == "binary":
            figures.append(f"sum(x{i}) AS ones{i}")
        if d.kind is None:
            figures.append(f"count(c{i}) AS given{i}")
    flags = [f"GROUPING({c}) AS g_{c}" for c in grouped]
    sets = ", ".join(["()", *(f"({c})" for c in grouped)])
    whole = " AND ".join(f"GROUPING({c}) = 1" for c in grouped) or "true"
    sql = (
        f"SELECT {', '.join([*grouped, *flags, *figures])}\n"
        f"FROM (SELECT {', '.join(select) or '1 AS one'} {base}) AS s\n"
        f"GROUP BY GROUPING SETS ({sets})\n"
        f"HAVING count(*) >= {params(filters.min_n)} OR ({whole})"
    )
    return sql, params.values


@dataclass(frozen=True, slots=True)
class Profile:
    n: int
    kept: list[Planned]
    dropped: list[dict[str, Any]]


def plan(records: list[asyncpg.Record], drivers: list[Driver], min_n: int) -> Profile:
    """Which drivers the model can use, as what, and why the others cannot."""
    grouped = [f"c{i}" for i, d in enumerate(drivers) if d.kind in ("categorical", None)]
    whole = next(r for r in records if all(r[f"g_{c}"] == 1 for c in grouped))
    n = int(whole["n"])
    kept: list[Planned] = []
    dropped: list[dict[str, Any]] = []

    def drop(d: Driver, reason: str, answers: int) -> None:
        dropped.append({"driver": d.name, "reason": reason, "n": answers})

    for i, d in enumerate(drivers):
        kind = d.kind
        if kind is None:  # an attribute: numeric when every value given is a JSON number
            given = int(whole[f"given{i}"])
            kind = "numeric" if given and whole[f"n{i}"] == given else "categorical"
        if kind == "categorical":
            counts = [
                (r[f"c{i}"], int(r["n"]))
                for r in records
                if r[f"g_c{i}"] == 0
            ]  # fmt: skip
            counts.sort(key=lambda item: (-item[1], item[0] is None, item[0] or ""))
            named = counts[: MAX_LEVELS - 1]
            rest = n - sum(c for _, c in named)
            levels = tuple(level for level, _ in named) + ((OTHER,) if rest else ())
            # A category is never missing (no value is a level); an attribute counts the
            # respondents who gave it.
            answers = n if d.kind == "categorical" else int(whole[f"given{i}"])
            if len(levels) < 2:
                drop(d, "no variation: fewer than two values with min_n answers", answers)
                continue
            kept.append(Planned(d, "categorical", answers, levels))
            continue
        answers = int(whole[f"n{i}"])
        if answers < min_n:
            drop(d, "fewer than min_n answers", answers)
        elif whole[f"lo{i}"] == whole[f"hi{i}"]:
            drop(d, "no variation: every answer the same", answers)
        elif kind == "binary" and min(ones := int(whole[f"ones{i}"]), answers - ones) < min_n:
            drop(d, "fewer than min_n respondents with it, or without it", answers)
        else:
            kept.append(Planned(d, kind, answers))
    return Profile(n=n, kept=kept, dropped=dropped)


def rows_sql(
    filters: Selection, outcome: Outcome, kept: list[Planned]
) -> tuple[str, list[Any], np.dtype[Any]]:
    """The complete cases, for a binary COPY: the outcome's score, then per driver an int2 (a
    SERVQUAL answer, a 0/1, a level's index) or a float8 (a numeric attribute), never
    NULL, so every record has the same width; and the numpy dtype that reads them."""
    params = Params()
    drivers = [p.driver for p in kept]
    columns = [f"{OUTCOME_COLUMNS[outcome]}::int2"]
    fields: list[tuple[str, str]] = [("count", ">i2"), ("len_y", ">i4"), ("y", ">i2")]
    complete = []
    for i, p in enumerate(kept):
        d = p.driver
        if p.kind == "categorical":
            value = value_sql(d, params)
            levels = params(list(p.levels), "::text[]")
            other = p.levels.index(OTHER) + 1 if OTHER in p.levels else 0
            columns.append(f"(coalesce(array_position({levels}, {value}), {other}) - 1)::int2")
            fields += [(f"len{i}", ">i4"), (f"v{i}", ">i2")]
        elif d.family == "attribute":
            value = number_sql(d, params)
            columns.append(f"{value}")
            complete.append(f"{value} IS NOT NULL")
            fields += [(f"len{i}", ">i4"), (f"v{i}", ">f8")]
        else:
            value = value_sql(d, params)
            columns.append(f"{value}::int2")
            complete.append(f"{value} IS NOT NULL")
            fields += [(f"len{i}", ">i4"), (f"v{i}", ">i2")]
    base = _base(filters, outcome, drivers, params)
    where = "".join(f" AND {c}" for c in complete)
    sql = f"SELECT {', '.join(columns)} {base}{where}"  # asyncpg wraps it in COPY
    return sql, params.values, np.dtype(fields)


_HEADER = b"PGCOPY\n\xff\r\n\x00"


def parse_copy(data: bytes, dtype: np.dtype[Any]) -> NDArray[Any]:
    """Records of a binary COPY whose fields are all fixed-width and never NULL."""
    if not data.startswith(_HEADER):
        raise ValueError("not a binary COPY")
    (extension,) = struct.unpack_from(">I", data, len(_HEADER) + 4)
    start = len(_HEADER) + 8 + extension
    body = data[start:-2]  # the trailer: a field count of -1
    return np.frombuffer(body, dtype=dtype)


async def fetch(
    db: Database, filters: Selection, outcome: Outcome, drivers: list[Driver]
) -> tuple[Profile, NDArray[Any] | None]:
    """The profile, and (when any driver is kept) the complete cases, in one snapshot."""
    async with db.connection() as conn, snapshot(conn):
        await conn.execute(CUSTOM_PLANS)
        sql, args = profile_sql(filters, outcome, drivers)
        profile = plan(await conn.fetch(sql, *args), drivers, filters.min_n)
        if not profile.kept:
            return profile, None
        sql, args, dtype = rows_sql(filters, outcome, profile.kept)
        chunks: list[bytes] = []

        async def sink(chunk: bytes) -> None:
            chunks.append(chunk)

        await conn.copy_from_query(sql, *args, output=sink, format="binary")
    return profile, parse_copy(b"".join(chunks), dtype)


def _too_few(message: str) -> ValidationFailed:
    return ValidationFailed(
        "Too few answers for a driver analysis of this selection.",
        errors=[FieldError(pointer="", loc=["query"], type="insufficient_data",
                           message=message)],
    )  # fmt: skip


async def analyse(
    db: Database, filters: Selection, outcome: Outcome, drivers: list[Driver], replicates: int
) -> dict[str, Any]:
    """The answer (shaped as schemas.DriverReport, JSON-ready)."""
    profile, records = await fetch(db, filters, outcome, drivers)
    if records is None:
        raise _too_few(
            f"None of the drivers has min_n ({filters.min_n}) answers with variation among "
            f"the {profile.n} respondents with {outcome}: "
            + "; ".join(f"{d['driver']}: {d['reason']}" for d in profile.dropped)
        )
    columns = sum(1 if p.kind != "categorical" else len(p.levels) - 1 for p in profile.kept)
    least = max(filters.min_n, ANSWERS_PER_COLUMN * columns)
    if len(records) < least:
        raise _too_few(
            f"{len(records)} respondents answered {outcome} and every numeric driver; the "
            f"model has {columns} columns and needs at least {least} "
            f"({ANSWERS_PER_COLUMN} per column, and min_n). Widen the window or name fewer "
            "drivers."
        )
    return await asyncio.to_thread(_answer, filters, outcome, profile, records, replicates)


def _answer(
    filters: Selection,
    outcome: Outcome,
    profile: Profile,
    records: NDArray[Any],
    replicates: int,
) -> dict[str, Any]:
    scores = records["y"].astype(np.intp)
    y = outcome_values(outcome, scores)
    designs = []
    for i, p in enumerate(profile.kept):
        values = records[f"v{i}"]
        if p.kind == "categorical":  # the most answered level is the reference
            counts = np.bincount(values.astype(np.intp), minlength=len(p.levels))
            designs.append(
                driver_stats.Design(values, levels=len(p.levels), reference=int(counts.argmax()))
            )
        elif p.kind == "binary":  # without it is the reference
            designs.append(driver_stats.Design(values, levels=2, reference=0))
        else:
            designs.append(driver_stats.Design(values))
    fit = driver_stats.fit(y, designs, replicates=replicates, seed=SEED)
    rows = [
        _driver_row(outcome, p, design, driver_fit, records[f"v{i}"], scores)
        for i, (p, design, driver_fit) in enumerate(
            zip(profile.kept, designs, fit.drivers, strict=True)
        )
    ]
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
            if any(p.driver.family == "theme" for p in profile.kept)
            else "respondents"
        ),
        "n": fit.n,
        "n_outcome": profile.n,
        "outcome_value": float(y.mean()),
        "r2": fit.r2.value,
        "r2_ci_low": fit.r2.low,
        "r2_ci_high": fit.r2.high,
        "r2_adjusted": fit.r2_adjusted,
        "min_n": filters.min_n,
        "bootstrap": {"replicates": fit.replicates, "blocks": fit.blocks, "seed": SEED},
        "drivers": rows,
        "dropped": profile.dropped,
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
    values: NDArray[Any],
    scores: NDArray[Any],
) -> dict[str, Any]:
    """One driver of the answer (schemas.DriverRow). Performance is exact, from the
    answers; `score` places the average respondent between the driver's worst and best
    level (numeric: its 2.5th and 97.5th percentile) by the model's effects: 0 all at
    the worst, 100 all at the best."""
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
        labels = list(p.levels) if p.kind == "categorical" else ["without", "with"]
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
