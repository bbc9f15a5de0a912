"""feedback_reporting reads the reporting views and nothing else.

Every check here was seen to fail once with a grant too many (docs/bi.md, "What
the role may not do"): SELECT on a base table, INSERT on a view, CREATE on a
schema, membership in pg_read_all_data.
"""

import importlib.util
import uuid
from pathlib import Path
from types import ModuleType

import asyncpg
import pytest

from app.cli import migrations_dir
from app.db import libpq_url
from tests.reporting.conftest import Reporting

VIEWS = {
    ("reporting", "events"),
    ("reporting", "daily_metrics_by_location_channel"),
    ("reporting", "daily_metrics_by_touchpoint"),
}
PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
# Relations of the owner's schemas, and where the data that must stay hidden lives.
RELATIONS_SQL = """
SELECT n.nspname, c.relname, c.relkind::text
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
  AND n.nspname NOT LIKE 'pg_temp%' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
"""


async def test_the_role_may_select_the_views_and_nothing_else(
    reporting: Reporting, bi: asyncpg.Connection
) -> None:
    relations = await bi.fetch(RELATIONS_SQL)
    names = {(r["nspname"], r["relname"]) for r in relations}
    assert names >= VIEWS
    assert {"feedback_events", "feedback_contacts", "api_keys", "webhook_subscriptions"} <= {
        name for _, name in names
    }
    for privilege in PRIVILEGES:
        allowed = {
            (r["nspname"], r["relname"])
            for r in relations
            if await bi.fetchval(
                "SELECT has_table_privilege(format('%I.%I', $1::text, $2::text), $3)",
                r["nspname"],
                r["relname"],
                privilege,
            )
        }
        assert allowed == (VIEWS if privilege == "SELECT" else set()), privilege
    for schema in ("public", "reporting"):
        assert not await bi.fetchval("SELECT has_schema_privilege($1, 'CREATE')", schema)
    # Owner's rights (not security_invoker, which would need SELECT on the base tables),
    # and no function of the reader's sees a row before a view's own WHERE.
    options = await bi.fetch(
        "SELECT c.relname, c.reloptions FROM pg_class c "
        "WHERE c.relnamespace = 'reporting'::regnamespace"
    )
    assert {r["relname"]: r["reloptions"] for r in options} == {
        name: ["security_barrier=true"] for _, name in VIEWS
    }


async def test_every_table_and_sequence_of_the_service_is_refused(
    reporting: Reporting, bi: asyncpg.Connection
) -> None:
    relations = await bi.fetch(RELATIONS_SQL + " AND n.nspname <> 'reporting'")
    tables = [r for r in relations if r["relkind"] in ("r", "p")]
    assert len(tables) >= 15  # events, ledger, contacts, keys, webhooks, rollups and partitions
    for r in relations:
        name = f'"{r["nspname"]}"."{r["relname"]}"'
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await bi.fetch(f"SELECT * FROM {name} LIMIT 1")
    for table in ("feedback_events", "metric_rollups", "api_keys"):
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await bi.execute(f"DELETE FROM public.{table}")
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await bi.execute("UPDATE public.metric_rollup_state SET watermark = 0")


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO reporting.events (event_id) VALUES ('x')",
        "UPDATE reporting.events SET nps = 10",
        "DELETE FROM reporting.events",
        "TRUNCATE reporting.events",
        "DELETE FROM reporting.daily_metrics_by_location_channel",
        "CREATE TABLE public.bi_scratch (x int)",
        "CREATE TABLE reporting.bi_scratch (x int)",
        "CREATE VIEW reporting.bi_scratch AS SELECT 1",
        "CREATE FUNCTION public.bi_scratch() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        "CREATE SCHEMA bi_scratch",
        "ALTER VIEW reporting.events RENAME TO bi_scratch",
        "DROP VIEW reporting.events",
    ],
)
async def test_the_role_cannot_write_create_or_become_another(
    reporting: Reporting, bi: asyncpg.Connection, statement: str
) -> None:
    """Each is refused (a view that is not updatable would refuse the writes anyway, so
    the privilege test above is what proves the role has no write grant)."""
    with pytest.raises(asyncpg.PostgresError) as refused:
        await bi.execute(statement)
    assert isinstance(
        refused.value,
        asyncpg.InsufficientPrivilegeError
        | asyncpg.FeatureNotSupportedError
        | asyncpg.ObjectNotInPrerequisiteStateError
        | asyncpg.WrongObjectTypeError
        | asyncpg.UndefinedObjectError,
    ), refused.value


async def test_the_views_lead_to_no_personal_column(
    reporting: Reporting, bi: asyncpg.Connection
) -> None:
    for column in ("comment", "respondent_id", "attributes", "email", "sent_at", "source_key_id"):
        with pytest.raises(asyncpg.UndefinedColumnError):
            await bi.fetch(f"SELECT {column} FROM reporting.events")


async def test_no_secret_through_the_catalog(reporting: Reporting, bi: asyncpg.Connection) -> None:
    """Column statistics hold sample values (most common values, histograms): pg_stats
    shows them only for columns the reader may read; pg_statistic and pg_authid
    (password hashes) are the superuser's."""
    owner = reporting.owner
    await owner.execute("ANALYZE api_keys, feedback_events, feedback_contacts")
    hidden = ("api_keys", "feedback_events", "feedback_contacts")
    assert await owner.fetchval(
        "SELECT count(*) FROM pg_stats WHERE tablename = ANY($1::text[])", hidden
    )
    assert (
        await bi.fetchval("SELECT count(*) FROM pg_stats WHERE tablename = ANY($1::text[])", hidden)
        == 0
    )
    for catalog in ("pg_statistic", "pg_authid", "pg_user_mapping", "pg_largeobject"):
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await bi.fetch(f"SELECT count(*) FROM pg_catalog.{catalog}")
    for role in ("pg_read_all_data", "pg_write_all_data", "pg_read_all_stats", "pg_monitor"):
        assert not await bi.fetchval("SELECT pg_has_role($1, 'USAGE')", role), role
    assert (
        await bi.fetchval(
            "SELECT count(*) FROM pg_auth_members WHERE member = 'feedback_reporting'::regrole"
        )
        == 0
    ), "feedback_reporting is a member of no other role"
    attributes = await bi.fetchrow(
        "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication "
        "FROM pg_roles WHERE rolname = 'feedback_reporting'"
    )
    assert not any(attributes.values())
    # Another session's statements (an admin's key creation, say) are not shown.
    activity = await bi.fetch(
        "SELECT query FROM pg_stat_activity WHERE usename <> current_user AND query <> ''"
    )
    assert activity
    assert all(r["query"] == "<insufficient privilege>" for r in activity)


async def test_the_role_cannot_pass_on_or_escalate(
    reporting: Reporting, bi: asyncpg.Connection
) -> None:
    owner_name = await reporting.owner.fetchval("SELECT current_user")
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await bi.execute(f'SET ROLE "{owner_name}"')
    await bi.execute("GRANT SELECT ON reporting.events TO PUBLIC")  # only a warning: no option
    assert not await reporting.owner.fetchval(
        "SELECT has_table_privilege('public', 'reporting.events', 'SELECT')"
    )
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await bi.execute(f'GRANT feedback_reporting TO "{owner_name}"')


async def test_no_function_of_the_service_may_be_called(
    reporting: Reporting, bi: asyncpg.Connection
) -> None:
    """Functions run with the caller's rights unless SECURITY DEFINER: none of the service's
    may be executed by the role with its owner's rights."""
    definers = await bi.fetch(
        "SELECT p.oid::regprocedure::text AS name FROM pg_proc p "
        "JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND p.prosecdef "
        "AND has_function_privilege(p.oid, 'EXECUTE')"
    )
    assert definers == []


def migration() -> ModuleType:
    path = next((migrations_dir() / "versions").glob("*_reporting_views.py"))
    spec = importlib.util.spec_from_file_location("reporting_views", Path(path))
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_role_lifecycle_without_createrole_with_it_and_on_downgrade(
    reporting: Reporting, owner: asyncpg.Connection
) -> None:
    """The migration's role SQL under another role name (the real one is shared by every
    database of the server): skipped with a warning without CREATEROLE; created and
    granted with it, again idempotently; on downgrade kept while a login role is a
    member, dropped once none is."""
    sql = migration()
    role, member, migrator = (f"{p}_{uuid.uuid4().hex[:8]}" for p in ("rep", "bi", "mig"))
    await owner.execute(f"CREATE ROLE {migrator} LOGIN")
    try:
        url = reporting.url.set(username=migrator)
        weak = await asyncpg.connect(libpq_url(url))
        messages: list[str] = []
        weak.add_log_listener(lambda _, message: messages.append(str(message)))
        try:
            await weak.execute(sql.grant_sql(role))
        finally:
            await weak.close()
        assert await owner.fetchval("SELECT to_regrole($1)", role) is None
        assert any("lacks CREATEROLE" in m for m in messages), messages

        await owner.execute(sql.grant_sql(role))
        await owner.execute(sql.grant_sql(role))  # a second database, or a re-run
        assert await owner.fetchval(
            "SELECT has_table_privilege($1, 'reporting.events', 'SELECT')", role
        )
        await owner.execute(f"CREATE ROLE {member} LOGIN IN ROLE {role}")
        await owner.execute(sql.revoke_sql(role))
        assert await owner.fetchval("SELECT to_regrole($1)", role) is not None, "kept"
        assert not await owner.fetchval(
            "SELECT has_table_privilege($1, 'reporting.events', 'SELECT')", role
        )
        await owner.execute(f"DROP ROLE {member}")
        await owner.execute(sql.revoke_sql(role))
        assert await owner.fetchval("SELECT to_regrole($1)", role) is None, "dropped"
    finally:
        for name in (member, role, migrator):
            await owner.execute(f"DROP ROLE IF EXISTS {name}")
