"""The alerts as the API shows them (`GET /v1/alerts`, `GET`/`PATCH /v1/alerts/{id}`)."""

from datetime import date, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from app.alerts.detect import Question
from app.alerts.rules import AlertMetric
from app.types import Identifier, Note

AlertStatus = Literal["open", "resolved"]

PERIOD_EXAMPLE: dict[str, Any] = {
    "from": "2026-10-12T23:00:00Z",
    "to": "2026-10-15T23:00:00Z",
    "value": 4.1,
    "n": 212,
    "ci_low": -6.2,
    "ci_high": 14.3,
    "request": "/v1/metrics/summary?from=2026-10-12T23%3A00%3A00Z&to=2026-10-15T23%3A00%3A00Z"
    "&tz=Europe%2FLisbon&location_id=lis-03&metrics=nps",
}
ALERT_EXAMPLE: dict[str, Any] = {
    "id": 41,
    "status": "open",
    "metric": "nps",
    "scope": {"dimension": "location_id", "value": "lis-03", "within": {}},
    "direction": "down",
    "since": "2026-10-12",
    "zone": "Europe/Lisbon",
    "opened_at": "2026-10-14T23:00:00Z",
    "updated_at": "2026-10-15T23:00:00Z",
    "resolved_at": None,
    "acknowledged_at": None,
    "acknowledged_by": None,
    "note": None,
    "muted_until": None,
    "evidence": {
        "since": "2026-10-12",
        "zone": "Europe/Lisbon",
        "as_of": "2026-10-15T23:00:00Z",
        "unit": "NPS points",
        "current": PERIOD_EXAMPLE,
        "baseline": {
            **PERIOD_EXAMPLE,
            "from": "2026-07-20T23:00:00Z",
            "to": "2026-09-14T23:00:00Z",
            "value": 31.4,
            "n": 2803,
            "ci_low": 28.5,
            "ci_high": 34.2,
        },
        "rest_of_chain": {**PERIOD_EXAMPLE, "value": 30.2, "n": 3120, "note": "..."},
        "change": -27.3,
        "min_change": 10.0,
        "tests": [
            {
                "question": "own_past",
                "method": "CUSUM of the log-likelihood ratio against the scope's own baseline",
                "statistic": 11.2,
                "threshold": 8.0,
                "p_value": 1.4e-5,
                "adjusted_p_value": 0.004,
                "change": -27.3,
                "fired": True,
            }
        ],
    },
}


class AlertScope(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [ALERT_EXAMPLE["scope"]]})

    dimension: str = Field(
        description="`chain`, `region`, `location_id`, `channel`, `touchpoint`, "
        "`respondent_type` or `employee_id`."
    )
    value: str | None = Field(description="The scope's value (null for the whole chain).")
    within: dict[str, str] = Field(
        description='Further conditions: `{"location_id": ...}` for a branch\'s channel, '
        "touchpoint or employee."
    )


class AlertPeriod(BaseModel):
    model_config = ConfigDict(
        populate_by_name=True, json_schema_extra={"examples": [PERIOD_EXAMPLE]}
    )

    from_: datetime = Field(alias="from")
    to: datetime
    value: float | None
    n: int
    ci_low: float | None
    ci_high: float | None
    request: str = Field(description="The metrics request that reproduces this figure.")
    note: str | None = None


class AlertTest(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [ALERT_EXAMPLE["evidence"]["tests"][0]]}
    )

    question: Question = Field(
        description="`own_past`: against the scope's baseline; `rest_of_chain`: its gap to "
        "the rest of the chain against the gap in the baseline."
    )
    method: str
    statistic: float = Field(description="The CUSUM statistic (evidence in nats).")
    threshold: float
    p_value: float = Field(description="exp(-statistic): valid at every look.")
    adjusted_p_value: float | None = Field(
        description="Benjamini-Hochberg across every test of the round that opened the alert "
        "(kept as it was then)."
    )
    change: float | None = Field(
        description="The change this question measures, since the change began; null when "
        "it sees no evidence of one (statistic 0)."
    )
    fired: bool = Field(
        description="Opened the alert (first round), or still signals (later rounds)."
    )


class AlertEvidence(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [ALERT_EXAMPLE["evidence"]]})

    since: date
    zone: str
    as_of: datetime
    unit: str
    current: AlertPeriod = Field(
        description="The scope since the change began (within the window)."
    )
    baseline: AlertPeriod = Field(
        description="The scope in its baseline, as when the alert opened."
    )
    rest_of_chain: AlertPeriod | None = Field(
        description="The rest of the chain over the current days (null for the chain itself)."
    )
    change: float | None = Field(description="current - baseline, in the metric's units.")
    min_change: float
    tests: list[AlertTest]


class Alert(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [ALERT_EXAMPLE]})

    id: int
    status: AlertStatus
    metric: AlertMetric
    scope: AlertScope
    direction: Literal["down", "up"] = Field(
        description="Which way the metric moved (for the late share, up is worse)."
    )
    since: date = Field(description="The local day the change began (the estimate).")
    zone: str = Field(description="The zone of the local days.")
    opened_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    note: str | None
    muted_until: datetime | None = Field(
        description="No webhooks for this alert (or for this series reopening) until then."
    )
    evidence: AlertEvidence


class AlertPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [ALERT_EXAMPLE], "next_cursor": None}]}
    )

    items: list[Alert]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null: done.")


class AlertPatch(BaseModel):
    """Acknowledge an alert, note what is being done, or mute it for a time. Fields left out
    keep their values."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"acknowledged": True, "note": "Second till opens on Monday."},
                {"muted_until": "2026-10-20T00:00:00Z"},
            ]
        },
    )

    acknowledged: bool | None = Field(
        default=None, description="true: acknowledged (by the key's name); false: taken back."
    )
    acknowledged_by: Identifier | None = Field(
        default=None, description="Who acknowledges (default: the API key's name)."
    )
    note: Note | None = None
    muted_until: AwareDatetime | None = Field(
        default=None,
        description="No webhooks for this alert, nor for its series reopening, until then; "
        "null unmutes.",
    )
