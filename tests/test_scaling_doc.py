"""docs/scaling.md's plan for Citus, held against the schema the migrations make.

Citus cannot be installed on these machines, so nothing here runs on a cluster. What can
be checked is the schema: this test reads the catalog of a freshly migrated database and
holds every table the page classifies to the rules the page lists for its kind
(distributed by a column, reference, local). The classification and the known exceptions
are parsed from the page itself, so page and test cannot drift apart: a table the page
does not classify, a key or foreign key that breaks a rule, or an exception that was
fixed but is still listed, fails here with a message saying what to do.
"""

import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import URL

from app.db import libpq_url
from app.ingest.statement import INSERT_SQL
from app.rollups.service import rollup_sql
from app.text.service import EXAMPLES_SQL, WRITE_SQL

PAGE = Path(__file__).resolve().parents[1] / "docs" / "scaling.md"
KINDS = ("distributed", "reference", "local")

# The rules of the page's "Rules the test checks", by the name its exception rows use.
RULES = {
    "column": "the distribution column is missing",
    "not null": "the distribution column may be NULL (Citus refuses NULL there)",
    "unique": "a primary key, unique or exclusion constraint or unique index leaves out the "
    "distribution column",
    "foreign key": "a foreign key Citus cannot keep (see the page's rule)",
    "partitioning": "a distributed table partitioned on more than one level",
    "sequence": "a sequence-backed column of a distributed table narrower than bigint",
    "trigger": "a trigger on a distributed or reference table",
    "per-event write": "a reference table written by a statement that runs for every event",
}

# Statements that run for every event, or every few: a table they write grows with the
# traffic, and a reference table (a full copy on every node) must not.
PER_EVENT_STATEMENTS = {
    "the ingest statement": INSERT_SQL,
    "the rollup round": rollup_sql(("UTC", "Europe/Vienna")),
    "the text enrichment": WRITE_SQL + EXAMPLES_SQL,
}
WRITTEN = re.compile(r"\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(\w+)", re.IGNORECASE)


# ------------------------------------------------------------------ the page


@dataclass(frozen=True, slots=True)
class Placement:
    kind: str
    column: str | None  # the distribution column of a distributed table


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    table: str
    rule: str
    object: str  # the column, index, constraint, trigger or statement concerned


@dataclass(frozen=True, slots=True)
class Plan:
    tables: dict[str, Placement]
    exceptions: frozenset[Finding]


def section(text: str, title: str) -> str:
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    sections = {name.strip(): body for name, body in zip(parts[1::2], parts[2::2], strict=True)}
    assert title in sections, f"docs/scaling.md has no section '## {title}'"
    return sections[title]


def rows(body: str, columns: int) -> list[list[str]]:
    """The cells of a Markdown table's body rows (header and rule left out)."""
    found = []
    for line in body.splitlines():
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] in ("table", "") or set(cells[0]) <= {"-", ":"}:
            continue
        assert len(cells) == columns, f"docs/scaling.md: expected {columns} cells in {line!r}"
        found.append(cells)
    return found


def code(cell: str) -> str | None:
    """The name in a cell that is one `code` span, None for '-'."""
    if cell == "-":
        return None
    match = re.fullmatch(r"`([^`]+)`", cell)
    assert match, f"docs/scaling.md: expected a `name` or '-', got {cell!r}"
    return match.group(1)


def read_plan(text: str) -> Plan:
    tables: dict[str, Placement] = {}
    for name_cell, kind, column_cell, why in rows(section(text, "Classification"), 4):
        name, column = code(name_cell), code(column_cell)
        assert name is not None
        assert name not in tables, f"docs/scaling.md classifies {name} twice"
        assert kind in KINDS, f"docs/scaling.md: {name}'s kind {kind!r} is not one of {KINDS}"
        assert (column is not None) == (kind == "distributed"), (
            f"docs/scaling.md: {name}: a distributed table names its distribution column, "
            "reference and local tables none ('-')"
        )
        assert why, f"docs/scaling.md: {name}: say why"
        tables[name] = Placement(kind, column)
    exceptions = set()
    for table_cell, rule, object_cell, change in rows(section(text, "Known exceptions"), 4):
        table, object_ = code(table_cell), code(object_cell)
        assert table is not None
        assert object_ is not None
        assert rule in RULES, f"docs/scaling.md: rule {rule!r} of {table} is not one of {[*RULES]}"
        assert change, f"docs/scaling.md: {table} {rule} {object_}: say what changes"
        exceptions.add(Finding(table, rule, object_))
    return Plan(tables, frozenset(exceptions))


# ------------------------------------------------------------------ the schema


@dataclass(frozen=True, slots=True)
class Column:
    type: str
    not_null: bool
    sequenced: bool  # an identity column or a nextval() default


@dataclass(frozen=True, slots=True)
class ForeignKey:
    name: str
    table: str
    columns: tuple[str, ...]
    target: str
    target_columns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Schema:
    columns: dict[str, dict[str, Column]]  # every table (not partitions), its columns
    unique: dict[str, list[tuple[str, tuple[str | None, ...]]]]  # (index, key columns)
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    multi_level: frozenset[str] = frozenset()  # partitioned tables with partitioned partitions
    triggers: dict[str, list[str]] = field(default_factory=dict)


# Tables and partitioned tables, not their partitions, nor an extension's own tables.
TABLES_SQL = """
SELECT c.oid, CASE WHEN n.nspname = 'public' THEN c.relname
                   ELSE n.nspname || '.' || c.relname END AS name
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'
  AND NOT EXISTS (SELECT FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
"""
COLUMNS_SQL = """
SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull, a.attidentity <> '' OR coalesce(
           pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%', false) AS sequenced
FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
"""
# Unique and exclusion indexes (primary keys and unique constraints have one each), with
# their key columns (attnum 0: an expression).
UNIQUE_SQL = """
SELECT i.indrelid, c.relname, (i.indkey::int2[])[0:i.indnkeyatts - 1] AS keys
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
WHERE i.indrelid = ANY($1::oid[]) AND (i.indisunique OR i.indisexclusion)
"""
FOREIGN_KEYS_SQL = """
SELECT conname, conrelid, conkey, confrelid, confkey FROM pg_constraint
WHERE contype = 'f' AND conparentid = 0
  AND (conrelid = ANY($1::oid[]) OR confrelid = ANY($1::oid[]))
"""
MULTI_LEVEL_SQL = """
SELECT t.oid FROM unnest($1::oid[]) AS t(oid)
WHERE EXISTS (SELECT FROM pg_partition_tree(t.oid) p WHERE p.level > 0 AND NOT p.isleaf)
"""
TRIGGERS_SQL = """
SELECT tgrelid, tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = ANY($1::oid[])
"""


async def read_schema(conn: asyncpg.Connection) -> Schema:
    names = {r["oid"]: r["name"] for r in await conn.fetch(TABLES_SQL)}
    oids = list(names)
    columns: dict[str, dict[str, Column]] = {name: {} for name in names.values()}
    by_number: dict[tuple[int, int], str] = {}
    for r in await conn.fetch(COLUMNS_SQL, oids):
        columns[names[r["attrelid"]]][r["attname"]] = Column(
            r["type"], r["attnotnull"], r["sequenced"]
        )
        by_number[(r["attrelid"], r["attnum"])] = r["attname"]
    unique: dict[str, list[tuple[str, tuple[str | None, ...]]]] = {n: [] for n in columns}
    for r in await conn.fetch(UNIQUE_SQL, oids):
        keys = tuple(by_number.get((r["indrelid"], k)) for k in r["keys"])
        unique[names[r["indrelid"]]].append((r["relname"], keys))
    foreign_keys = []
    for r in await conn.fetch(FOREIGN_KEYS_SQL, oids):
        assert r["conrelid"] in names, f"{r['conname']}: from a table this test does not see"
        assert r["confrelid"] in names, f"{r['conname']}: to a table this test does not see"
        foreign_keys.append(
            ForeignKey(
                r["conname"],
                names[r["conrelid"]],
                tuple(by_number[(r["conrelid"], k)] for k in r["conkey"]),
                names[r["confrelid"]],
                tuple(by_number[(r["confrelid"], k)] for k in r["confkey"]),
            )
        )
    multi_level = frozenset(names[r["oid"]] for r in await conn.fetch(MULTI_LEVEL_SQL, oids))
    triggers: dict[str, list[str]] = {}
    for r in await conn.fetch(TRIGGERS_SQL, oids):
        triggers.setdefault(names[r["tgrelid"]], []).append(r["tgname"])
    return Schema(columns, unique, foreign_keys, multi_level, triggers)


# ------------------------------------------------------------------ the rules


def written_tables(sql: str, tables: Iterable[str]) -> set[str]:
    known = set(tables)
    return {name for name in WRITTEN.findall(sql) if name in known}


def findings(plan: Plan, schema: Schema, statements: dict[str, str] | None = None) -> set[Finding]:
    """Every place where the schema breaks a rule of the page for the tables it classifies."""
    found: set[Finding] = set()
    tables = {name: p for name, p in plan.tables.items() if name in schema.columns}
    for name, placement in tables.items():
        columns = schema.columns[name]
        if placement.kind != "local":
            found |= {Finding(name, "trigger", t) for t in schema.triggers.get(name, [])}
        if placement.kind != "distributed":
            continue
        column = placement.column
        assert column is not None
        if column not in columns:
            found.add(Finding(name, "column", column))
        elif not columns[column].not_null:
            found.add(Finding(name, "not null", column))
        for index, keys in schema.unique[name]:
            if column not in keys:
                found.add(Finding(name, "unique", index))
        if name in schema.multi_level:
            found.add(Finding(name, "partitioning", name))
        for column_name, c in columns.items():
            if c.sequenced and c.type != "bigint":
                found.add(Finding(name, "sequence", column_name))
    for fk in schema.foreign_keys:
        if fk.table in tables and fk.target in tables and not _keeps(fk, tables):
            found.add(Finding(fk.table, "foreign key", fk.name))
    for label, sql in (PER_EVENT_STATEMENTS if statements is None else statements).items():
        for name in written_tables(sql, tables):
            if tables[name].kind == "reference":
                found.add(Finding(name, "per-event write", label))
    return found


def _keeps(fk: ForeignKey, tables: dict[str, Placement]) -> bool:
    """Can Citus keep this foreign key? Between two local tables or two reference tables,
    from a local or distributed table to a reference table, or between two distributed
    tables of one colocation group (the same distribution column) whose key carries the
    distribution column at the same place on both sides."""
    source, target = tables[fk.table], tables[fk.target]
    if target.kind == "reference":
        return True
    if source.kind == "local" and target.kind == "local":
        return True
    if source.kind == target.kind == "distributed" and source.column == target.column:
        pairs = list(zip(fk.columns, fk.target_columns, strict=True))
        return (source.column, target.column) in pairs
    return False


def unclassified(plan: Plan, schema: Schema) -> tuple[list[str], list[str]]:
    """Tables the page does not classify, and names it classifies that are no table."""
    return sorted(set(schema.columns) - set(plan.tables)), sorted(
        set(plan.tables) - set(schema.columns)
    )


def report(found: set[Finding], listed: frozenset[Finding]) -> str:
    lines = []
    for f in sorted(found - listed):
        lines.append(
            f"NEW  {f.table}: {RULES[f.rule]} ({f.object}). Change the schema so that it "
            f"keeps the rule, or, if it can only change with the move to Citus, add the row "
            f"| `{f.table}` | {f.rule} | `{f.object}` | <what changes> | to 'Known "
            "exceptions' in docs/scaling.md."
        )
    for f in sorted(listed - found):
        lines.append(
            f"GONE {f.table} {f.rule} `{f.object}` is listed in docs/scaling.md's 'Known "
            "exceptions' but the schema no longer breaks that rule there (or the table is "
            "classified otherwise): remove the row."
        )
    return "\n".join(lines)


# ------------------------------------------------------------------ the tests


@pytest.fixture(scope="module")
async def schema(fresh_database: Callable[[], Awaitable[URL]]) -> Schema:
    """The catalog of a freshly migrated database (a copy of the suite's template)."""
    conn = await asyncpg.connect(libpq_url(await fresh_database()))
    try:
        return await read_schema(conn)
    finally:
        await conn.close()


@pytest.fixture(scope="module")
def plan() -> Plan:
    return read_plan(PAGE.read_text(encoding="utf-8"))


def test_every_table_is_classified_in_the_scaling_page(plan: Plan, schema: Schema) -> None:
    missing, extra = unclassified(plan, schema)
    assert not missing, (
        f"not classified in docs/scaling.md: {', '.join(missing)}. Add each to its "
        "'Classification' table: distributed (and by which column), reference (small, "
        "joined to distributed tables) or local (stays on the coordinator), and say why; "
        "then run this test again for the rules that kind brings."
    )
    assert not extra, (
        f"docs/scaling.md classifies {', '.join(extra)}, which the migrations do not "
        "create: remove or rename the row."
    )


def test_the_schema_keeps_to_the_citus_plan(plan: Plan, schema: Schema) -> None:
    found = findings(plan, schema)
    assert found == plan.exceptions, "\n" + report(found, plan.exceptions)


def test_the_plan_distributes_the_events_by_branch_and_the_ledger_by_event_id(
    plan: Plan,
) -> None:
    """The decisions the page argues for, so that a change of mind changes the page's prose
    too (its 'distribution column' section), not only a cell of its table."""
    assert plan.tables["feedback_events"] == Placement("distributed", "location_id")
    assert plan.tables["feedback_event_ids"] == Placement("distributed", "event_id")
    colocated = [n for n, p in plan.tables.items() if p.column == "location_id"]
    assert "metric_rollups" in colocated
    assert "follow_ups" in colocated


# The checks can fail: each is shown failing on a wrong classification of the real schema
# or on a made-up table that breaks its rule.


def test_a_table_left_out_of_the_page_fails(plan: Plan, schema: Schema) -> None:
    tables = {n: p for n, p in plan.tables.items() if n != "follow_ups"}
    assert unclassified(replace(plan, tables=tables), schema) == (["follow_ups"], [])
    renamed = {**plan.tables, "feedback_event": plan.tables["feedback_events"]}
    assert unclassified(replace(plan, tables=renamed), schema)[1] == ["feedback_event"]


@pytest.mark.parametrize(
    ("table", "placement", "expected"),
    [
        # written by the ingest statement for every event: no reference table
        ("feedback_contacts", Placement("reference", None),
         Finding("feedback_contacts", "per-event write", "the ingest statement")),
        # its trigger would fire on every node's copy
        ("api_keys", Placement("reference", None),
         Finding("api_keys", "trigger", "api_keys_changed")),
        # its primary key is (event_id) alone
        ("feedback_event_ids", Placement("distributed", "event_pk"),
         Finding("feedback_event_ids", "unique", "pk_feedback_event_ids")),
        # the delivery log (local) has a foreign key into it
        ("webhook_messages", Placement("distributed", "subscription_id"),
         Finding("webhook_attempts", "foreign key",
                 "fk_webhook_attempts_message_id_webhook_messages")),
        # a reference table's foreign key may only point to another reference table
        ("webhook_attempts", Placement("reference", None),
         Finding("webhook_attempts", "foreign key",
                 "fk_webhook_attempts_message_id_webhook_messages")),
        ("locations", Placement("distributed", "region"),
         Finding("locations", "not null", "region")),
    ],
)  # fmt: skip
def test_a_wrong_classification_is_found(
    plan: Plan, schema: Schema, table: str, placement: Placement, expected: Finding
) -> None:
    wrong = replace(plan, tables={**plan.tables, table: placement})
    assert expected in findings(wrong, schema) - plan.exceptions


async def test_a_new_table_or_key_in_a_migrated_database_is_found(
    fresh_database: Callable[[], Awaitable[URL]], plan: Plan
) -> None:
    """What a careless migration could add, read back from the catalog: a table nobody
    classified, a unique index and an exclusion constraint without the branch."""
    conn = await asyncpg.connect(libpq_url(await fresh_database()))
    try:
        await conn.execute("CREATE TABLE surveys (id bigint PRIMARY KEY)")
        await conn.execute("CREATE UNIQUE INDEX uq_contacts_email ON feedback_contacts (email)")
        await conn.execute(
            "ALTER TABLE follow_ups ADD CONSTRAINT ex_follow_ups_open "
            "EXCLUDE USING gist (tstzrange(opened_at, closed_at) WITH &&)"
        )
        changed = await read_schema(conn)
    finally:
        await conn.close()
    assert unclassified(plan, changed) == (["surveys"], [])
    assert findings(plan, changed) - plan.exceptions == {
        Finding("feedback_contacts", "unique", "uq_contacts_email"),
        Finding("follow_ups", "unique", "ex_follow_ups_open"),
    }


def test_every_rule_can_fail() -> None:
    """A made-up schema that breaks each rule once."""
    bigint, text = Column("bigint", True, False), Column("text", False, False)
    schema = Schema(
        columns={
            "parts": {"id": Column("integer", True, True), "shop": text},
            "lines": {"id": bigint, "part_id": bigint},
            "shops": {"id": bigint},
            "kinds": {"id": bigint, "part_id": bigint},
        },
        unique={"parts": [("parts_pkey", ("id",))], "lines": [], "shops": [], "kinds": []},
        foreign_keys=[
            ForeignKey("lines_part", "lines", ("part_id",), "parts", ("id",)),
            ForeignKey("kinds_part", "kinds", ("part_id",), "parts", ("id",)),
            ForeignKey("parts_shop", "parts", ("shop",), "shops", ("id",)),
        ],
        multi_level=frozenset({"parts"}),
        triggers={"parts": ["parts_changed"], "shops": ["shops_changed"]},
    )
    plan = Plan(
        {
            "parts": Placement("distributed", "shop"),
            "lines": Placement("distributed", "shop"),
            "shops": Placement("reference", None),
            "kinds": Placement("reference", None),
        },
        frozenset(),
    )
    found = findings(plan, schema, {"a hot path": "INSERT INTO shops (id) VALUES (1)"})
    assert {f.rule for f in found} == set(RULES)
    assert found == {
        Finding("parts", "not null", "shop"),
        Finding("parts", "unique", "parts_pkey"),
        Finding("parts", "partitioning", "parts"),
        Finding("parts", "sequence", "id"),
        Finding("parts", "trigger", "parts_changed"),
        Finding("lines", "column", "shop"),
        Finding("lines", "foreign key", "lines_part"),
        Finding("kinds", "foreign key", "kinds_part"),
        Finding("shops", "trigger", "shops_changed"),
        Finding("shops", "per-event write", "a hot path"),
    }
    # and what the rules allow: a distributed table's key to a reference table
    assert Finding("parts", "foreign key", "parts_shop") not in found


def test_the_page_is_read_as_written() -> None:
    """The parser takes the page's tables, and refuses what it cannot read."""
    text = (
        "## Classification\n\n| table | kind | distribution column | why |\n|---|---|---|---|\n"
        "| `a` | distributed | `k` | big |\n| `b` | local | - | small |\n\n"
        "## Known exceptions\n\n| table | rule | object | what changes |\n|---|---|---|---|\n"
        "| `a` | unique | `a_pkey` | (k, id) |\n"
    )
    plan = read_plan(text)
    assert plan.tables == {"a": Placement("distributed", "k"), "b": Placement("local", None)}
    assert plan.exceptions == {Finding("a", "unique", "a_pkey")}
    with pytest.raises(AssertionError, match="names its distribution column"):
        read_plan(text.replace("| `a` | distributed | `k` |", "| `a` | distributed | - |"))
    with pytest.raises(AssertionError, match="is not one of"):
        read_plan(text.replace("| unique |", "| uniqueness |"))
