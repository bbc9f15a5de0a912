"""The late share the alerts watch: cases due by their deadline's local day, late when
nobody reached the customer by then, judged as of an instant."""

from datetime import UTC, datetime, timedelta

import asyncpg

from app.follow_ups.lateness import daily_lateness

SLA = timedelta(hours=48)
NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)  # fixed instants only: no clock here


async def case(
    conn: asyncpg.Connection, pk: int, received: datetime, contact: datetime | None,
    location: str = "lis-03",
) -> None:  # fmt: skip
    await conn.execute(
        "INSERT INTO follow_ups (event_pk, event_id, occurred_at, received_at, channel,"
        " location_id, respondent_type, reasons, first_contact_at)"
        " VALUES ($1, $2, $3, $3, 'pos', $4, 'customer', '{nps-detractor}', $5)",
        pk, f"e{pk}", received, location, contact,
    )  # fmt: skip


async def test_due_and_late_cases_by_deadline_day_as_of_an_instant(
    conn: asyncpg.Connection,
) -> None:
    await case(conn, 1, NOON, NOON + timedelta(hours=5))  # reached in time
    await case(conn, 2, NOON, NOON + timedelta(hours=50))  # reached after the deadline
    await case(conn, 3, NOON, None)  # never reached
    await case(conn, 4, NOON + timedelta(hours=1), NOON + timedelta(hours=60), "ber-02")
    await case(conn, 5, NOON + timedelta(days=3), None)  # not due yet at the end

    async def rows(as_of: datetime, group_by: str | None = None) -> list[tuple[object, ...]]:
        found = await daily_lateness(
            conn, zone="Europe/Lisbon", start=NOON - timedelta(days=5),
            end=NOON + timedelta(days=10), as_of=as_of, sla=SLA, group_by=group_by,
        )  # fmt: skip
        return sorted((r["bucket"].date(), r["grp"], r["due"], r["late"]) for r in found)

    deadline_day = (NOON + SLA).date()
    # Two days and a half on: four cases due (deadline day 12 March); case 2's contact
    # (at hour 50) already happened, after its deadline: late, as is case 3.
    at = NOON + timedelta(hours=62)
    assert await rows(at) == [(deadline_day, None, 4, 3)]
    # As of just after the deadline, case 2's contact has not happened yet: late all the
    # same, and case 4 (deadline an hour later) is not due yet.
    assert await rows(NOON + SLA + timedelta(minutes=1)) == [(deadline_day, None, 3, 2)]
    # Per branch, and a week on, case 5 is due and late too.
    week = await rows(NOON + timedelta(days=7), "location_id")
    assert week == [
        (deadline_day, "ber-02", 1, 1),
        (deadline_day, "lis-03", 3, 2),
        ((NOON + timedelta(days=3) + SLA).date(), "lis-03", 1, 1),
    ]
