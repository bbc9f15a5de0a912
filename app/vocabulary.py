"""The service's vocabulary, spelled once: what an event is made of, and the dimensions
and intervals a selection names. A leaf: imports nothing of the service."""

from typing import Literal, get_args

# The five service-quality dimensions (SERVQUAL), in the order answers list them.
SERVQUAL_DIMENSIONS = ("reliability", "responsiveness", "assurance", "tangibles", "empathy")

# Channels the API documents by name; any other slug is accepted as it is.
WELL_KNOWN_CHANNELS = (
    "web", "app", "pos", "kiosk", "phone", "email", "sms", "chat", "in_person", "social", "other",
)  # fmt: skip

RespondentTypeName = Literal["customer", "internal", "employee"]
RESPONDENT_TYPES: tuple[RespondentTypeName, ...] = get_args(RespondentTypeName)

# What a selection filters and groups on.
Dimension = Literal[
    "channel", "touchpoint", "location_id", "region", "employee_id", "respondent_type",
    "segment", "tag", "acquisition_source",
]  # fmt: skip

# What the text enrichment finds in a comment (app/text): its sentiment classes, and the
# form of a theme's name.
SENTIMENTS = ("negative", "neutral", "positive")
THEME_NAME = r"^[a-z][a-z0-9_]{0,47}$"

Interval = Literal["hour", "day", "week", "month", "quarter", "year"]

# The columns of a stored event (`feedback_events`, its id aside) and their PostgreSQL
# types, in the order of the ingest statement.
EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("event_id", "text"),
    ("occurred_at", "timestamptz"),
    ("received_at", "timestamptz"),
    ("sent_at", "timestamptz"),
    ("source_key_id", "uuid"),
    ("channel", "text"),
    ("touchpoint", "text"),
    ("location_id", "text"),
    ("employee_id", "text"),
    ("respondent_id", "text"),
    ("respondent_type", "text"),
    ("segment", "text"),
    ("acquisition_source", "text"),
    ("nps", "smallint"),
    ("csat", "smallint"),
    ("ces", "smallint"),
    *((f"sq_{d}_{pe}", "smallint") for d in SERVQUAL_DIMENSIONS for pe in ("p", "e")),
    ("comment", "text"),
    ("language", "text"),
    ("tags", "text[]"),
    ("attributes", "jsonb"),
    ("follow_up_requested", "boolean"),
    ("has_contact", "boolean"),
)
