"""Single ratings of one employee are for admin keys only (the floor of `employee_min_n`).

Metrics show per-employee figures from `FEEDBACK_EMPLOYEE_MIN_N` answers on; the
event list, export and reads show `employee_id` to admin keys only
(metrics/test_summary.py). A follow-up case is one event's ratings too: its
`employee_id` is shown to admin keys only, in the list, one case and a PATCH's answer.
"""

import httpx

from tests.conftest import Headers, MakeKey


async def test_follow_up_cases_do_not_undo_the_floor(
    client: httpx.AsyncClient, make_key: MakeKey, admin_key: Headers
) -> None:
    detractor = {"event_id": "e1", "channel": "pos", "occurred_at": "2026-11-24T09:00:00Z",
                 "employee_id": "anna", "respondent": {"id": "cust-1"}, "nps": 2}  # fmt: skip
    posted = await client.post("/v1/feedback", json=detractor, headers=await make_key("ingest"))
    assert posted.status_code == 201, posted.text
    for scope in ("read", "cases"):
        key = await make_key(scope)
        listed = await client.get("/v1/follow-ups", headers=key)
        assert listed.status_code == 200, listed.text
        [case] = listed.json()["items"]
        assert (case["nps"], case["employee_id"]) == (2, None), scope
        one = await client.get(f"/v1/follow-ups/{case['id']}", headers=key)
        assert one.json()["employee_id"] is None, scope
    patched = await client.patch(
        f"/v1/follow-ups/{case['id']}", json={"assignee": "ben"}, headers=key
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["employee_id"] is None
    admin = await client.get(f"/v1/follow-ups/{case['id']}", headers=admin_key)
    assert admin.json()["employee_id"] == "anna"
    [listed_by_admin] = (await client.get("/v1/follow-ups", headers=admin_key)).json()["items"]
    assert listed_by_admin["employee_id"] == "anna"
