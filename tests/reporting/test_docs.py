"""Every SQL query docs/bi.md shows runs as a BI user and answers what it promises."""

import re
from pathlib import Path

import asyncpg
import pytest

from tests.reporting.conftest import Reporting

DOC = Path(__file__).resolve().parents[2] / "docs" / "bi.md"
# The tools' own macros, replaced by what they expand to (a dashboard range of a year).
MACROS = {
    "{{period}}": "day >= date '2026-01-01'",
    "$__timeFilter(day_start)": "day_start >= '2026-01-01T00:00:00Z'",
    "$__timeFilter(occurred_at)": "occurred_at >= '2026-01-01T00:00:00Z'",
}


def queries() -> list[str]:
    blocks = re.findall(r"```sql\n(.*?)```", DOC.read_text(), flags=re.DOTALL)
    out = []
    for block in blocks:
        body = "\n".join(line for line in block.splitlines() if not line.strip().startswith("--"))
        if body.strip().upper().startswith("SELECT"):
            for macro, sql in MACROS.items():
                body = body.replace(macro, sql)
            out.append(body)
    return out


def test_the_doc_has_queries_for_each_tool() -> None:
    assert len(queries()) >= 4


@pytest.mark.parametrize("query", queries(), ids=lambda q: q.split("FROM ")[1].split()[0])
async def test_a_documented_query_runs_as_the_bi_role(
    reporting: Reporting, bi: asyncpg.Connection, query: str
) -> None:
    rows = await bi.fetch(query)
    assert rows


async def test_the_weekly_nps_of_the_doc_is_the_services(
    reporting: Reporting, bi: asyncpg.Connection
) -> None:
    """The doc's first query (NPS per branch per ISO week, Vienna) against the API."""
    query = queries()[0].replace("2026-09-01", "2026-11-01")
    mine = {(r["week"].isoformat(), r["branch"]): r for r in await bi.fetch(query)}
    response = await reporting.client.get(
        "/v1/metrics/timeseries",
        params={"interval": "week", "group_by": "location_id", "metrics": "nps",
                "tz": "Europe/Vienna", "from": "2026-11-01", "to": "2026-12-01"},
        headers=reporting.read_key,
    )  # fmt: skip
    assert response.status_code == 200, response.text
    names = {"vie-07": "Wien Mitte"}
    theirs = {
        (row["bucket_start"][:10], names.get(row["group"], row["group"])): row
        for row in response.json()["rows"]
        if row["n"]
    }
    assert mine.keys() == theirs.keys()
    for key, row in mine.items():
        assert row["n"] == theirs[key]["n"]
        assert float(row["nps"]) == pytest.approx(theirs[key]["value"], abs=0.05)
