"""Each domain owns the SQL of its own tables (docs/architecture.md, "Layers"): the
compositions (app.ingest, app.respondents, app.alerts) compose their statements from the parts the
domains supply (app/*/data_rights.py, app/*/retention.py, app/feedback/store.py, ...)
and spell no table of another package themselves."""

import importlib
import re
from pathlib import Path

from sqlalchemy import Table

ROOT = Path(__file__).resolve().parents[2]
COMPOSITIONS = ("ingest", "respondents", "alerts")
# A table named where SQL names one (the SQL of this service is written upper case).
NAMED_TABLE = re.compile(r"\b(?:FROM|JOIN|UPDATE|INTO|USING|TABLE)\s+(\w+)")


def _tables_by_package() -> dict[str, set[str]]:
    owned: dict[str, set[str]] = {}
    for models in sorted((ROOT / "app").glob("*/models.py")):
        module = importlib.import_module(f"app.{models.parent.name}.models")
        tables = {v.name for v in vars(module).values() if isinstance(v, Table)}
        tables |= {
            vars(v)["__table__"].name
            for v in vars(module).values()
            if isinstance(v, type) and v.__module__ == module.__name__ and "__table__" in vars(v)
        }
        owned[models.parent.name] = tables
    return owned


def test_compositions_name_no_table_of_another_package() -> None:
    owned = _tables_by_package()
    assert {"feedback_events", "follow_ups", "webhook_messages"} <= set().union(*owned.values())
    named = []
    for package in COMPOSITIONS:
        others = set().union(*(t for p, t in owned.items() if p != package))
        for source in sorted((ROOT / "app" / package).glob("*.py")):
            for table in NAMED_TABLE.findall(source.read_text()):
                if table in others:
                    named.append(f"app/{package}/{source.name}: {table}")
    assert named == []


def test_the_check_finds_a_table_named_in_sql() -> None:
    sql = "WITH gone AS (DELETE FROM feedback_events e USING batch b WHERE e.id = b.id)"
    assert NAMED_TABLE.findall(sql) == ["feedback_events", "batch"]
