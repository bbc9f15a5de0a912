from datetime import datetime
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.follow_ups.states import OUTCOMES
from app.selection.schemas import Window
from app.types import Identifier, Note, Slug
from app.vocabulary import RespondentTypeName

Status = Literal["open", "contacted", "resolved", "unreachable"]
RuleScore = Literal["nps", "csat", "ces", "follow_up_requested"]
Outcome = Literal["reached", "no_answer", "left_message", "wrong_contact", "declined"]
assert Outcome.__args__ == OUTCOMES  # type: ignore[attr-defined]  # one list, two spellings

SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}

# ---------------------------------------------------------------- rules

RULE_EXAMPLE: dict[str, Any] = {
    "name": "nps-detractor",
    "score": "nps",
    "min_score": 0,
    "max_score": 6,
    "respondent_types": ["customer", "internal"],
    "enabled": True,
}


class RuleIn(BaseModel):
    """Open a case for an event whose `score` lies in `min_score`..`max_score`
    (both inclusive), or, with `score: follow_up_requested`, that asks for one."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [RULE_EXAMPLE]})

    name: Slug = Field(description="Unique name; cases list the rules that opened them.")
    score: RuleScore
    min_score: int | None = Field(default=None, strict=True)
    max_score: int | None = Field(default=None, strict=True)
    respondent_types: list[RespondentTypeName] = Field(
        default=["customer", "internal"],
        min_length=1,
        description="Whose feedback the rule applies to (employees' eNPS opens no call-back "
        "by default).",
    )
    enabled: bool = True

    @model_validator(mode="after")
    def _range(self) -> Self:
        if self.score == "follow_up_requested":
            if self.min_score is not None or self.max_score is not None:
                raise ValueError("follow_up_requested rules take no min_score or max_score")
            return self
        low, high = SCALES[self.score]
        if self.min_score is None or self.max_score is None:
            raise ValueError(f"a {self.score} rule needs min_score and max_score ({low}..{high})")
        if not low <= self.min_score <= self.max_score <= high:
            raise ValueError(
                f"need {low} <= min_score <= max_score <= {high} on the {self.score} scale"
            )
        return self


class RuleSet(BaseModel):
    """The complete set of rules; PUT replaces every rule at once."""

    model_config = ConfigDict(
        extra="forbid",
        from_attributes=True,
        json_schema_extra={"examples": [{"rules": [RULE_EXAMPLE]}]},
    )

    rules: list[RuleIn] = Field(max_length=100)

    @model_validator(mode="after")
    def _unique(self) -> Self:
        names = [r.name for r in self.rules]
        if len(set(names)) != len(names):
            raise ValueError("rule names must be unique")
        return self


# ---------------------------------------------------------------- cases

CASE_EXAMPLE: dict[str, Any] = {
    "id": 4711,
    "event_id": "pos-7-2026-11-24-0042",
    "status": "contacted",
    "reasons": ["nps-detractor"],
    "assignee": "maria.k",
    "location_id": "vie-07",
    "channel": "pos",
    "touchpoint": "checkout",
    "employee_id": "emp-112",
    "respondent_id": "cust-93321",
    "respondent_type": "customer",
    "segment": None,
    "nps": 3,
    "csat": None,
    "ces": None,
    "occurred_at": "2026-11-24T09:12:00Z",
    "received_at": "2026-11-24T09:12:03Z",
    "opened_at": "2026-11-24T09:12:03Z",
    "first_contact_at": "2026-11-24T13:40:00Z",
    "closed_at": None,
    "resolution": None,
    "updated_at": "2026-11-24T13:40:00Z",
}
CHANGE_EXAMPLE: dict[str, Any] = {
    "at": "2026-11-24T13:40:00Z",
    "kind": "contact_attempt",
    "key_id": "0b7c3a52-8a6f-4f57-9d1e-2f6a1c1e9e10",
    "from_status": None,
    "to_status": None,
    "assignee": None,
    "contact": {"channel": "phone", "outcome": "reached", "note": "Apologised; voucher sent."},
    "resolution": None,
}


class CaseSummary(BaseModel):
    """A follow-up case as lists show it (without its history)."""

    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [CASE_EXAMPLE]})

    id: int
    event_id: str
    status: Status
    reasons: list[str] = Field(description="The rules that opened the case.")
    assignee: str | None
    location_id: str | None
    channel: str
    touchpoint: str | None
    employee_id: str | None = Field(
        description="Who served the customer; shown to admin keys only (null for others: "
        "one employee's single ratings would undo the metrics' `employee_min_n`)."
    )
    respondent_id: str | None
    respondent_type: RespondentTypeName
    segment: str | None
    nps: int | None
    csat: int | None
    ces: int | None
    occurred_at: datetime
    received_at: datetime = Field(description="When the feedback arrived.")
    opened_at: datetime
    first_contact_at: datetime | None = Field(description="When the customer was first reached.")
    closed_at: datetime | None = Field(description="When it was resolved or given up.")
    resolution: str | None
    updated_at: datetime


class ContactAttempt(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [CHANGE_EXAMPLE["contact"]]},
    )

    channel: Slug = Field(description="How: `phone`, `email`, `sms`, `visit`, ...")
    outcome: Outcome = Field(
        description="`reached` is the first contact: it moves an open case to `contacted`."
    )
    note: Note | None = None


class Change(BaseModel):
    """One entry of a case's history."""

    model_config = ConfigDict(json_schema_extra={"examples": [CHANGE_EXAMPLE]})

    at: datetime
    kind: Literal["opened", "assigned", "contact_attempt", "status"]
    key_id: str | None = Field(description="The API key that made the change (none: ingest).")
    from_status: Status | None
    to_status: Status | None
    assignee: str | None
    contact: ContactAttempt | None
    resolution: str | None


class Case(CaseSummary):
    """A follow-up case with its whole history, oldest change first."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{**CASE_EXAMPLE, "history": [CHANGE_EXAMPLE]}]}
    )

    history: list[Change]


class CasePage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [CASE_EXAMPLE], "next_cursor": None}]}
    )

    items: list[CaseSummary]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null: done.")


QUEUE_SUMMARY_EXAMPLE: dict[str, Any] = {
    "as_of": "2026-11-26T10:00:00Z",
    "sla_hours": 48.0,
    "cases": 57,
    "open": 41,
    "contacted": 16,
    "resolved": 0,
    "unreachable": 0,
    "overdue": 9,
}


class QueueSummary(BaseModel):
    """Every case the list's filters select, counted (however many pages the list has)."""

    model_config = ConfigDict(json_schema_extra={"examples": [QUEUE_SUMMARY_EXAMPLE]})

    as_of: datetime = Field(description="The instant the cases were counted at.")
    sla_hours: float = Field(
        description="Hours from the feedback's arrival to the first contact "
        "(`FEEDBACK_FOLLOW_UP_SLA`)."
    )
    cases: int = Field(description="Cases the filters select.")
    open: int
    contacted: int
    resolved: int
    unreachable: int
    overdue: int = Field(
        description="Open cases (nobody reached yet) whose first contact was due before "
        "`as_of`: their feedback arrived more than `sla_hours` ago."
    )


class CasePatch(BaseModel):
    """Any of: assign (null unassigns), log a contact attempt, change the status.

    Applied in that order, all or nothing. Allowed moves: open → contacted →
    resolved, and open or contacted → unreachable; resolved and unreachable are
    final. Others answer 409.
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "assignee": "maria.k",
                    "contact_attempt": {"channel": "phone", "outcome": "reached"},
                },
                {"status": "resolved", "resolution": "Voucher sent; customer satisfied."},
            ]
        },
    )

    status: Literal["contacted", "resolved", "unreachable"] | None = None
    assignee: Identifier | None = None
    contact_attempt: ContactAttempt | None = None
    resolution: Note | None = Field(default=None, description="Required to resolve.")


# ---------------------------------------------------------------- metrics

LOOP_EXAMPLE: dict[str, Any] = {
    "cases": 120,
    "open": 10,
    "contacted": 25,
    "resolved": 80,
    "unreachable": 5,
    "time_to_first_contact": {
        "n": 105,
        "median_hours": 6.5,
        "median_ci_low": 5.1,
        "median_ci_high": 8.0,
        "p90_hours": 30.2,
        "low_sample": False,
    },
    "within_sla": {"value": 91.2, "n": 113, "ci_low": 84.5, "ci_high": 95.1, "low_sample": False},
    "resolved_share": {
        "value": 66.7,
        "n": 120,
        "ci_low": 57.8,
        "ci_high": 74.5,
        "low_sample": False,
    },
    "recovery": {"value": 58.0, "n": 50, "ci_low": 44.2, "ci_high": 70.6, "low_sample": False},
}


class ShareFigure(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [LOOP_EXAMPLE["within_sla"]]})

    value: float | None = Field(description="Percent.")
    n: int
    ci_low: float | None
    ci_high: float | None
    low_sample: bool


class DurationFigure(BaseModel):
    """Hours from the feedback's arrival to the first contact, over contacted cases."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [LOOP_EXAMPLE["time_to_first_contact"]]}
    )

    n: int
    median_hours: float | None
    median_ci_low: float | None = Field(description="Distribution-free 95 % interval.")
    median_ci_high: float | None
    p90_hours: float | None
    low_sample: bool


class LoopFigures(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [LOOP_EXAMPLE]})

    cases: int
    open: int
    contacted: int
    resolved: int
    unreachable: int
    time_to_first_contact: DurationFigure
    within_sla: ShareFigure = Field(
        description="Reached within the SLA, of the cases reached or past the SLA."
    )
    resolved_share: ShareFigure = Field(description="Resolved, of all cases.")
    recovery: ShareFigure = Field(
        description="Reached customers whose next feedback scores better, of those who gave one."
    )


class LoopGroup(LoopFigures):
    model_config = ConfigDict(json_schema_extra={"examples": [{"group": "vie-07", **LOOP_EXAMPLE}]})

    group: str | None


class LoopMetrics(Window):
    """Closing the loop (docs/metrics.md): cases whose feedback lies in the window."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "from": "2026-11-01T00:00:00+01:00",
                    "to": "2026-12-01T00:00:00+01:00",
                    "tz": "Europe/Vienna",
                    "sla_hours": 48.0,
                    "group_by": "location_id",
                    "overall": LOOP_EXAMPLE,
                    "groups": [{"group": "vie-07", **LOOP_EXAMPLE}],
                }
            ]
        }
    )

    sla_hours: float
    group_by: Literal["location_id", "assignee"] | None
    overall: LoopFigures
    groups: list[LoopGroup]
