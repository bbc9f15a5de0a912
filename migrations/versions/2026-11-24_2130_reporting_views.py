"""BI tools read the database directly: a `reporting` schema of read-only views and
a `feedback_reporting` role that may read that schema and nothing else.

- `reporting.events`: one row per event, scores and dimensions, no personal data
  (no comment, no contact data, no respondent id, no free-form attributes).
- `reporting.daily_metrics_by_location_channel` and
  `reporting.daily_metrics_by_touchpoint`: per local day of every rolled-up zone,
  respondent type and branch and channel (or touchpoint), the additive counts and
  sums of docs/metrics.md and the scores computed from them. They read the day cells
  of the rollups (cubes `location_channel` and `touchpoint`) plus, in the same
  statement and hence the same snapshot, the events above the watermark that no
  cell holds yet: exact at every moment, as the service's own answers are.

The views run with their owner's rights (no `security_invoker`): the role reads the
views without any privilege on the base tables, so what a view leaves out cannot
be reached. `security_barrier` stops a function of the reader's (a temporary
function needs only TEMP) from seeing rows before a view's own WHERE removes them.

Roles are cluster-wide, migrations run per database: the role is created only if
missing, and only when the migrating user may (CREATEROLE or superuser); a user
without (some managed PostgreSQL set-ups) gets a warning, and an administrator
creates the role and runs the grants of docs/bi.md. Downgrade drops the schema
and drops the role only when nothing else uses it: no other database grants it
anything and no login user was made a member (an operator's `GRANT
feedback_reporting TO bi_user` would be lost silently otherwise).

Revision ID: 1f7b701aa87f
Revises: 6a1f0c3e8b52
Create Date: 2026-11-24 21:30:00
"""

import logging
from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "1f7b701aa87f"
down_revision: str | None = "6a1f0c3e8b52"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")

ROLE = "feedback_reporting"

# Frozen copies of app.metrics.aggregates and app.rollups.cubes, as in the other rollup
# migrations: later code changes need a new migration.
SERVQUAL = ("reliability", "responsiveness", "assurance", "tangibles", "empathy")
PARTS = ("n_p", "sum_p", "n_e", "sum_e", "n_pe", "sum_gap", "sum_gap_sq")
CELLS = (
    "volume",
    *(f"nps_{s}" for s in range(0, 11)),
    *(f"csat_{s}" for s in range(1, 6)),
    *(f"ces_{s}" for s in range(1, 8)),
    *(f"sq_{d}_{part}" for d in SERVQUAL for part in PARTS),
)
CUBE_TOUCHPOINT, CUBE_LOCATION_CHANNEL = 3, 7


def _per_event(column: str) -> str:
    """A cell column's value for one raw event `e` (summed, it is the cell's value)."""
    if column == "volume":
        return "1"
    family, _, rest = column.partition("_")
    if family in ("nps", "csat", "ces"):
        return f"(e.{family} = {rest})::int"
    d = next(d for d in SERVQUAL if rest.startswith(d + "_"))
    p, e, part = f"e.sq_{d}_p", f"e.sq_{d}_e", rest.removeprefix(d + "_")
    return {
        "n_p": f"({p} IS NOT NULL)::int",
        "sum_p": p,
        "n_e": f"({e} IS NOT NULL)::int",
        "sum_e": e,
        "n_pe": f"({p} - {e} IS NOT NULL)::int",
        "sum_gap": f"{p} - {e}",
        "sum_gap_sq": f"({p} - {e}) * ({p} - {e})",
    }[part]


def _hist(family: str, scores: range) -> str:
    return " + ".join(f"{family}_{s}" for s in scores)


def _weighted(family: str, scores: range, power: int = 1) -> str:
    return " + ".join(f"{s**power} * {family}_{s}" for s in scores)


# What the views show per row, from the summed cell columns (all NULL-free: coalesced).
# Counts and sums are additive: a BI tool sums them over rows and recomputes a score
# (docs/bi.md); the scores of a row are not, and must not be averaged.
def _measures() -> list[tuple[str, str]]:
    nps, csat, ces = range(0, 11), range(1, 6), range(1, 8)
    out = [
        ("events", "volume"),
        ("nps_n", _hist("nps", nps)),
        ("nps_promoters", _hist("nps", range(9, 11))),
        ("nps_passives", _hist("nps", range(7, 9))),
        ("nps_detractors", _hist("nps", range(0, 7))),
        ("csat_n", _hist("csat", csat)),
        ("csat_satisfied", _hist("csat", range(4, 6))),
        ("csat_sum", _weighted("csat", csat)),
        ("ces_n", _hist("ces", ces)),
        ("ces_easy_count", _hist("ces", range(5, 8))),
        ("ces_sum", _weighted("ces", ces)),
        ("ces_sum_sq", _weighted("ces", ces, 2)),
    ]
    out += [(f"sq_{d}_{part}", f"sq_{d}_{part}") for d in SERVQUAL for part in PARTS]
    return out


def _scores() -> list[tuple[str, str]]:
    """docs/metrics.md's scores from the additive measures of the same row (NULL when n = 0)."""

    def share(count: str, n: str) -> str:
        return f"(100.0 * {count} / nullif({n}, 0))::float8"

    def mean(total: str, n: str) -> str:
        return f"({total}::numeric / nullif({n}, 0))::float8"

    gaps = [mean(f"m.sq_{d}_sum_gap", f"m.sq_{d}_n_pe") for d in SERVQUAL]
    return [
        ("nps", share("(m.nps_promoters - m.nps_detractors)", "m.nps_n")),
        ("csat", share("m.csat_satisfied", "m.csat_n")),
        ("csat_mean", mean("m.csat_sum", "m.csat_n")),
        ("ces", mean("m.ces_sum", "m.ces_n")),
        ("ces_easy", share("m.ces_easy_count", "m.ces_n")),
        *((f"servqual_{d}", gap) for d, gap in zip(SERVQUAL, gaps, strict=True)),
        # The unweighted mean of the dimension gaps that have data.
        ("servqual", f"(SELECT avg(g) FROM unnest(ARRAY[{', '.join(gaps)}]) AS g)"),
    ]


def daily_view_sql(name: str, cube: int, dimensions: tuple[str, ...]) -> str:
    """A view of the day cells of one cube, plus the events no cell holds yet."""
    dims = ", ".join(dimensions)
    # Both branches of the UNION ALL give every key column the same type (text): where
    # a branch's type differs (varchar in feedback_events and the zone column),
    # PostgreSQL does not push a reader's WHERE down into the branches, and a filter
    # on zone or branch would be applied only after aggregating every cell.
    cell_dims = ", ".join(f"{d}::text" for d in dimensions)
    raw_dims = ", ".join(f"e.{d}::text" for d in dimensions)
    cells = ", ".join(CELLS)
    summed = ",\n        ".join(f"coalesce(sum({c}), 0) AS {c}" for c in CELLS)
    measures = ",\n    ".join(f"{sql} AS {alias}" for alias, sql in _measures())
    scores = ",\n    ".join(f"{sql} AS {alias}" for alias, sql in _scores())
    measure_names = ", ".join(f"m.{alias}" for alias, _ in _measures())
    registry = "l.name AS location_name, l.region, " if "location_id" in dimensions else ""
    join = "LEFT JOIN locations l ON l.id = m.location_id" if "location_id" in dimensions else ""
    # The zones the cells hold (UTC at least, also before the first round): the raw part
    # gives the not-yet-rolled events a day in exactly those zones.
    return f"""
CREATE VIEW reporting.{name} WITH (security_barrier = true) AS
SELECT m.zone, (m.day_start AT TIME ZONE m.zone)::date AS day, m.day_start,
    m.respondent_type, {", ".join(f"m.{d}" for d in dimensions)}, {registry}
    {measure_names},
    {scores}
FROM (
    SELECT zone, day_start, respondent_type, {dims},
    {measures}
    FROM (
        SELECT zone, day_start, respondent_type, {dims},
        {summed}
        FROM (
            SELECT zone::text, bucket AS day_start, respondent_type::text, {cell_dims}, {cells}
            FROM metric_rollups
            WHERE cube = {cube} AND span = 'day'
            UNION ALL
            SELECT z.zone, date_trunc('day', e.occurred_at, z.zone), e.respondent_type::text,
                {raw_dims}, {", ".join(_per_event(c) for c in CELLS)}
            FROM metric_rollup_state s
            CROSS JOIN LATERAL (
                SELECT DISTINCT zone FROM unnest(s.zones || '{{UTC}}'::text[]) AS zone
            ) z
            JOIN feedback_events e ON e.id > s.watermark
            WHERE s.id = 1
        ) u
        GROUP BY zone, day_start, respondent_type, {dims}
    ) c
) m
{join}
"""


EVENTS_VIEW = """
CREATE VIEW reporting.events WITH (security_barrier = true) AS
SELECT e.event_id, e.occurred_at, e.received_at,
    (e.occurred_at AT TIME ZONE 'UTC')::date AS utc_day,
    e.channel, e.touchpoint, e.location_id, l.name AS location_name, l.region,
    e.employee_id, e.respondent_type, e.segment, e.acquisition_source, e.language,
    e.nps,
    CASE WHEN e.nps >= 9 THEN 'promoter' WHEN e.nps >= 7 THEN 'passive'
         WHEN e.nps >= 0 THEN 'detractor' END AS nps_group,
    e.csat, e.csat >= 4 AS csat_satisfied,
    e.ces, e.ces >= 5 AS ces_easy,
    e.sq_reliability_p, e.sq_reliability_e, e.sq_responsiveness_p, e.sq_responsiveness_e,
    e.sq_assurance_p, e.sq_assurance_e, e.sq_tangibles_p, e.sq_tangibles_e,
    e.sq_empathy_p, e.sq_empathy_e,
    e.tags, e.follow_up_requested,
    coalesce(e.comment <> '', false) AS has_comment,
    e.has_contact
FROM feedback_events e
LEFT JOIN locations l ON l.id = e.location_id
"""

VIEWS = ("events", "daily_metrics_by_location_channel", "daily_metrics_by_touchpoint")


def grant_sql(role: str = ROLE) -> str:
    """Create the role if missing and allowed, then grant it the schema; else a warning.

    Two databases of one server migrating at once may both find the role missing:
    the loser of the race gets unique_violation/duplicate_object and goes on.
    """
    return f"""
DO $grant$
BEGIN
    IF to_regrole('{role}') IS NULL THEN
        IF NOT (SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user) THEN
            RAISE WARNING 'role {role} not created: % lacks CREATEROLE. An administrator '
                'creates it and runs the grants of docs/bi.md ("Without CREATEROLE")',
                current_user;
            RETURN;
        END IF;
        BEGIN
            CREATE ROLE {role} NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;  -- created meanwhile by the migration of another database
        END;
    END IF;
    -- Only what the role was granted in this database directly; PUBLIC's defaults stay.
    REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role};
    REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role};
    REVOKE ALL ON SCHEMA public FROM {role};
    GRANT USAGE ON SCHEMA reporting TO {role};
    GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO {role};
    -- Views a later migration adds to the schema (as this user) are readable too.
    ALTER DEFAULT PRIVILEGES IN SCHEMA reporting GRANT SELECT ON TABLES TO {role};
    -- Explicit, so it still connects where an operator revoked CONNECT from PUBLIC.
    IF has_database_privilege(current_database(), 'CONNECT WITH GRANT OPTION') THEN
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO {role}', current_database());
    END IF;
    IF has_schema_privilege('{role}', 'public', 'CREATE') THEN
        RAISE WARNING 'PUBLIC may create objects in schema public (a database from before '
            'PostgreSQL 15?), so {role} may too: REVOKE CREATE ON SCHEMA public FROM PUBLIC';
    END IF;
END
$grant$
"""


def revoke_sql(role: str = ROLE) -> str:
    """Take back this database's grants; drop the role only when nothing else uses it."""
    return f"""
DO $revoke$
BEGIN
    IF to_regrole('{role}') IS NULL THEN
        RETURN;
    END IF;
    ALTER DEFAULT PRIVILEGES IN SCHEMA reporting REVOKE SELECT ON TABLES FROM {role};
    REVOKE ALL ON ALL TABLES IN SCHEMA reporting FROM {role};
    REVOKE ALL ON SCHEMA reporting FROM {role};
    IF has_database_privilege(current_database(), 'CONNECT WITH GRANT OPTION') THEN
        EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM {role}', current_database());
    END IF;
    IF EXISTS (SELECT FROM pg_auth_members WHERE roleid = '{role}'::regrole) THEN
        RAISE NOTICE 'role {role} kept: login roles are still members of it';
        RETURN;
    END IF;
    BEGIN
        DROP ROLE {role};
    EXCEPTION
        WHEN dependent_objects_still_exist THEN
            RAISE NOTICE 'role {role} kept: another database still grants it privileges';
        WHEN insufficient_privilege THEN
            RAISE NOTICE 'role {role} kept: % may not drop roles', current_user;
    END;
END
$revoke$
"""


def upgrade() -> None:
    op.execute("CREATE SCHEMA reporting")
    op.execute(EVENTS_VIEW)
    op.execute(
        daily_view_sql(
            "daily_metrics_by_location_channel",
            CUBE_LOCATION_CHANNEL,
            ("location_id", "channel"),
        )
    )
    op.execute(daily_view_sql("daily_metrics_by_touchpoint", CUBE_TOUCHPOINT, ("touchpoint",)))
    for view in VIEWS:
        op.execute(f"REVOKE ALL ON reporting.{view} FROM PUBLIC")
    op.execute(grant_sql())
    if op.get_bind().execute(text(f"SELECT to_regrole('{ROLE}') IS NULL")).scalar():
        log.warning(
            "%s was not created (the migrating user lacks CREATEROLE); "
            "the reporting views exist, but no role may read them yet: see docs/bi.md",
            ROLE,
        )


def downgrade() -> None:
    op.execute(revoke_sql())
    for view in reversed(VIEWS):
        op.execute(f"DROP VIEW reporting.{view}")
    op.execute("DROP SCHEMA reporting")
