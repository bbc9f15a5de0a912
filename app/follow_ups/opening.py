"""Opening follow-up cases inside the ingest statement (app.ingest.statement): a case for
every new event that an enabled rule matches, in the same statement, so no qualifying
event is ever stored without its case."""

from app.sql import json_object_sql, timestamp_sql

# The event's copy on its case; event_pk first (it is `pk` in the statement's input).
EVENT_COPY = (
    "event_pk, event_id, occurred_at, received_at, channel, touchpoint, location_id, "
    "employee_id, respondent_id, respondent_type, segment, acquisition_source, tags, nps, csat, ces"
)


def opening_ctes(new_events: str, *, when: str) -> str:
    """CTEs `cases` (the opened cases, RETURNING *) and `opened` (their first change),
    for the events `new_events` gives as `i` (the statement's input rows, `pk` their new
    id), when `when` holds."""
    return f"""cases AS (
    INSERT INTO follow_ups ({EVENT_COPY}, reasons)
    SELECT i.pk, {", ".join(f"i.{n}" for n in EVENT_COPY.split(", ")[1:])}, m.reasons
    FROM {new_events}
    CROSS JOIN LATERAL (
        SELECT array_agg(r.name ORDER BY r.name) AS reasons
        FROM follow_up_rules r
        WHERE r.enabled AND i.respondent_type = ANY (r.respondent_types) AND CASE r.score
            WHEN 'nps' THEN i.nps BETWEEN r.min_score AND r.max_score
            WHEN 'csat' THEN i.csat BETWEEN r.min_score AND r.max_score
            WHEN 'ces' THEN i.ces BETWEEN r.min_score AND r.max_score
            ELSE i.follow_up_requested
        END
    ) m
    WHERE {when} AND m.reasons IS NOT NULL
    RETURNING *
), opened AS (
    INSERT INTO follow_up_changes (follow_up_id, at, kind, to_status)
    SELECT id, opened_at, 'opened', 'open' FROM cases
)"""


CASE_FIELDS = (
    "id", "event_id", "status", "reasons", "assignee", "location_id", "channel", "touchpoint",
    "employee_id", "respondent_id", "respondent_type", "segment", "nps", "csat", "ces",
)  # fmt: skip
CASE_TIMES = (
    "occurred_at", "received_at", "opened_at", "first_contact_at", "closed_at", "updated_at",
)  # fmt: skip


def case_json_sql(c: str) -> str:
    """The case `c` (columns as in `follow_ups`) as the follow-ups API lists it."""
    return json_object_sql(
        [
            *((f, f"{c}.{f}") for f in CASE_FIELDS),
            *((f, timestamp_sql(f"{c}.{f}")) for f in CASE_TIMES),
            ("resolution", f"{c}.resolution"),
        ]
    )
