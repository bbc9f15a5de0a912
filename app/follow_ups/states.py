"""The life of a follow-up case, as a pure function: a state and a patch in, changes out.

    open ──▶ contacted ──▶ resolved
      │           │
      └───────────┴──────▶ unreachable

`resolved` and `unreachable` are final. A contact attempt whose outcome is
`reached` is the first contact: it stamps `first_contact_at` and moves an open
case to `contacted`. Resolving needs a resolution and a contacted customer (the
same patch may bring the reaching attempt). Anything else is refused with the
reason, which the API returns as 409.
"""

from dataclasses import dataclass, replace
from datetime import datetime

FINAL = frozenset({"resolved", "unreachable"})
ALLOWED = {
    "open": frozenset({"contacted", "unreachable"}),
    "contacted": frozenset({"resolved", "unreachable"}),
    "resolved": frozenset[str](),
    "unreachable": frozenset[str](),
}
REACHED = "reached"
OUTCOMES = ("reached", "no_answer", "left_message", "wrong_contact", "declined")


class Refused(Exception):
    """The patch does not fit the case's state (HTTP 409)."""


@dataclass(frozen=True, slots=True)
class Case:
    status: str
    assignee: str | None
    first_contact_at: datetime | None
    closed_at: datetime | None
    resolution: str | None


@dataclass(frozen=True, slots=True)
class Attempt:
    channel: str
    outcome: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Patch:
    """What a PATCH asks for; `assignee` is only looked at when `set_assignee` is true
    (so that `"assignee": null` unassigns while a missing field changes nothing)."""

    status: str | None = None
    set_assignee: bool = False
    assignee: str | None = None
    attempt: Attempt | None = None
    resolution: str | None = None


@dataclass(frozen=True, slots=True)
class Change:
    """One row of the case's history."""

    kind: str  # assigned, contact_attempt, status
    from_status: str | None = None
    to_status: str | None = None
    assignee: str | None = None
    contact_channel: str | None = None
    contact_outcome: str | None = None
    note: str | None = None
    resolution: str | None = None


def apply(case: Case, patch: Patch, now: datetime) -> tuple[Case, list[Change]]:
    """The case after `patch`, and the history rows it adds (empty: nothing changed)."""
    if case.status in FINAL:
        raise Refused(f"The case is {case.status}; a closed case does not change any more.")
    if patch.resolution is not None and patch.status != "resolved":
        raise Refused("A resolution is given only together with status 'resolved'.")
    changes: list[Change] = []
    if patch.set_assignee and patch.assignee != case.assignee:
        case = replace(case, assignee=patch.assignee)
        changes.append(Change("assigned", assignee=patch.assignee))
    if patch.attempt is not None:
        attempt = patch.attempt
        changes.append(
            Change(
                "contact_attempt",
                contact_channel=attempt.channel,
                contact_outcome=attempt.outcome,
                note=attempt.note,
            )
        )
        if attempt.outcome == REACHED:
            if case.first_contact_at is None:
                case = replace(case, first_contact_at=now)
            if case.status == "open" and patch.status != "unreachable":
                case, change = _move(case, "contacted", now)
                changes.append(change)
    if patch.status is not None and patch.status != case.status:
        if patch.status == "resolved" and not patch.resolution:
            raise Refused("Resolving a case needs a resolution: what was done, or why nothing.")
        case, change = _move(case, patch.status, now, patch.resolution)
        changes.append(change)
    return case, changes


def _move(case: Case, to: str, now: datetime, resolution: str | None = None) -> tuple[Case, Change]:
    if to not in ALLOWED[case.status]:
        hint = " Reach the customer first." if to == "resolved" else ""
        raise Refused(f"A case cannot go from '{case.status}' to '{to}'.{hint}")
    moved = replace(
        case,
        status=to,
        first_contact_at=case.first_contact_at or (now if to == "contacted" else None),
        closed_at=now if to in FINAL else None,
        resolution=resolution if to == "resolved" else case.resolution,
    )
    return moved, Change("status", from_status=case.status, to_status=to, resolution=resolution)
