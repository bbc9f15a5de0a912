"""Webhook bodies built inside SQL, so the ingest statement can write them to the outbox.

Each builder returns a SQL expression over a row alias; the JSON it makes is
what the API returns for the same row (`FeedbackOut`, `CaseSummary`), with
timestamps spelled as the API spells them (UTC, `Z`, microseconds only when
there are any). The tests compare both byte for byte after parsing.
"""

from app.feedback.schemas import SERVQUAL_DIMENSIONS

FEEDBACK_CREATED = "feedback.created"
FOLLOW_UP_OPENED = "follow_up.opened"
FOLLOW_UP_UPDATED = "follow_up.updated"
FOLLOW_UP_RESOLVED = "follow_up.resolved"
EVENT_TYPES = (FEEDBACK_CREATED, FOLLOW_UP_OPENED, FOLLOW_UP_UPDATED, FOLLOW_UP_RESOLVED)


def timestamp_sql(column: str) -> str:
    """A timestamptz as the API writes it: `2026-11-24T08:30:02.125000Z` (NULL stays NULL)."""
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (
        f"(to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN "
        f"extract(microseconds FROM {utc})::bigint % 1000000 = 0 THEN '' "
        f"ELSE to_char({utc}, '.US') END || 'Z')"
    )


def _object(pairs: list[tuple[str, str]]) -> str:
    return "jsonb_build_object(" + ", ".join(f"'{k}', {v}" for k, v in pairs) + ")"


def feedback_sql(e: str) -> str:
    """The event `e` (columns as in `feedback_events`) as `GET /v1/feedback/{event_id}`."""

    def dimension(d: str) -> str:
        p, x = f"{e}.sq_{d}_p", f"{e}.sq_{d}_e"
        item = _object([("perception", p), ("expectation", x)])
        return f"CASE WHEN {p} IS NOT NULL OR {x} IS NOT NULL THEN {item} END"

    any_sq = " OR ".join(
        f"{e}.sq_{d}_{pe} IS NOT NULL" for d in SERVQUAL_DIMENSIONS for pe in ("p", "e")
    )
    servqual = _object([(d, dimension(d)) for d in SERVQUAL_DIMENSIONS])
    plain = ("event_id", "channel", "touchpoint", "location_id", "employee_id")
    scores = ("acquisition_source", "nps", "csat", "ces")
    return _object(
        [
            *((c, f"{e}.{c}") for c in plain[:1]),
            *((c, timestamp_sql(f"{e}.{c}")) for c in ("occurred_at", "received_at", "sent_at")),
            *((c, f"{e}.{c}") for c in plain[1:]),
            (
                "respondent",
                _object(
                    [
                        ("id", f"{e}.respondent_id"),
                        ("type", f"{e}.respondent_type"),
                        ("segment", f"{e}.segment"),
                    ]
                ),
            ),
            *((c, f"{e}.{c}") for c in scores),
            ("servqual", f"CASE WHEN {any_sq} THEN {servqual} END"),
            *((c, f"{e}.{c}") for c in ("comment", "language", "tags", "attributes")),
            *((c, f"{e}.{c}") for c in ("follow_up_requested", "has_contact")),
            ("source", f"{e}.source_key_id"),
        ]
    )


CASE_FIELDS = (
    "id", "event_id", "status", "reasons", "assignee", "location_id", "channel", "touchpoint",
    "employee_id", "respondent_id", "respondent_type", "segment", "nps", "csat", "ces",
)  # fmt: skip
CASE_TIMES = (
    "occurred_at", "received_at", "opened_at", "first_contact_at", "closed_at", "updated_at",
)  # fmt: skip


def case_sql(c: str) -> str:
    """The case `c` (columns as in `follow_ups`) as the follow-ups API lists it."""
    return _object(
        [
            *((f, f"{c}.{f}") for f in CASE_FIELDS),
            *((f, timestamp_sql(f"{c}.{f}")) for f in CASE_TIMES),
            ("resolution", f"{c}.resolution"),
        ]
    )


def message_sql(event_type: str, at: str, data: str) -> str:
    """The body of a message: `{"type", "timestamp", "data"}`."""
    return _object([("type", f"'{event_type}'"), ("timestamp", timestamp_sql(at)), ("data", data)])
