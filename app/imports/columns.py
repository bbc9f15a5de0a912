"""Which source column fills which event field when the mapping does not say: by name. Pure.

A column (NDJSON: a key, `a.b` inside objects) named exactly like an event field fills
it, and so does one named as the service's own export names the field (`respondent_id`,
`segment`, `sq_empathy_p`, ...); `attributes` is the whole object (JSON text in a CSV
cell). A mapping in the file or a flag always wins, for its field and for its column.
Nothing is guessed: two columns that could fill the same field, or a column named like
a field only loosely (`NPS`, `Event ID`), stop the import before anything is written,
naming them; `--map` or `--ignore` settles it. The columns the service writes that are
not input (`received_at`, `has_contact`, `text`, ...) are not imported, and the import's
summary says so and why; so is every other column no field is named like. The README's
section "Importing past surveys" states these rules.
"""

import re
from collections.abc import Collection
from dataclasses import dataclass, replace

from app.imports.mapping import TARGETS, ImportSpec
from app.vocabulary import SERVQUAL_DIMENSIONS

# The export's flat names for nested event fields (GET /v1/feedback/export, whose
# columns are the stored event's: app.vocabulary.EVENT_COLUMNS).
EXPORT_NAMES = {
    "respondent_id": "respondent.id",
    "respondent_type": "respondent.type",
    "segment": "respondent.segment",
    **{
        f"sq_{d}_{pe[0]}": f"servqual.{d}.{pe}"
        for d in SERVQUAL_DIMENSIONS
        for pe in ("perception", "expectation")
    },
}
EXACT = {**{t: t for t in TARGETS}, **EXPORT_NAMES}
"""Column name -> the event field it fills by itself."""

# What the service writes (export, event reads) that is no input: why it is left out.
NOT_INPUT = {
    "received_at": "set by the service when it stores an event: here, the time of the import",
    "has_contact": "contact data is never exported, so the events are imported without it",
    "text": "derived from the comment by the service's text enrichment, which derives it again",
    "sent_at": "occurred_at is already corrected by it and is imported as it is",
    "source": "the API key that posted the event; imported events have none",
}
# Objects whose keys are fields (NDJSON: `respondent` holds `respondent.id`).
CONTAINERS = frozenset(t.rsplit(".", n)[0] for t in TARGETS for n in range(1, t.count(".") + 1))
ATTRIBUTE = "attributes."


def _loose(name: str) -> str:
    """A name as it is compared loosely: case, spaces and punctuation ignored."""
    return re.sub(r"[^0-9a-z]", "", name.casefold())


LOOSE = {_loose(name): target for name, target in EXACT.items()}


def claim(name: str) -> tuple[str, bool] | None:
    """The field a column's name points at, and whether exactly (else loosely)."""
    if name in EXACT:
        return EXACT[name], True
    if name.startswith(ATTRIBUTE) and len(name) > len(ATTRIBUTE):
        return name, True
    if name in NOT_INPUT:
        return None
    target = LOOSE.get(_loose(name))
    return None if target is None else (target, False)


@dataclass(frozen=True, slots=True)
class Resolution:
    """The mapping to import with: the declared one and the columns found by name."""

    spec: ImportSpec
    by_name: dict[str, str]  # field -> column, found by its name
    not_imported: dict[str, str]  # column -> why it is not imported
    names: frozenset[str]  # the columns (NDJSON: the keys of the first batch)
    wholes: frozenset[str]  # NDJSON: objects imported or left out whole, keys and all
    nested: bool  # NDJSON: `a.b` is key b of object a

    @property
    def export(self) -> bool:
        """The file is this service's export (or its event reads): it has their columns."""
        return self.spec.verbatim

    def late(self, keys: Collection[str]) -> str | None:
        """Why an NDJSON record cannot be imported as decided: one of its `keys` (those
        the first batch did not have) would fill a field, but the mapping by name, made
        from the first batch, never saw it."""
        for key in keys:
            parts = key.split(".")
            if key in self.wholes or any(
                ".".join(parts[:i]) in self.wholes for i in range(1, len(parts))
            ):
                continue
            found = claim(key)
            if found is None or found[0] in self.spec.constants:
                continue
            if found[0] in self.spec.columns and found[0] not in self.by_name:
                continue  # the field is mapped explicitly: that mapping wins
            return (
                f"key {key!r} is in none of the first batch's records, from which the "
                f"mapping by name was made; it would fill {found[0]}: map it "
                f"(--map {found[0]}={key}) or leave it out (--ignore {key})"
            )
        return None


def _quoted(names: Collection[str]) -> str:
    return ", ".join(repr(n) for n in names)


REQUIRED = {
    "occurred_at": (
        "COLUMN",
        "a past survey's answers need the time they were given, or they would all count "
        "as answered today",
    ),
    "channel": ("COLUMN or --set channel=email", "every event needs one"),
}


def resolve(spec: ImportSpec, names: Collection[str], *, nested: bool) -> Resolution:
    """Add the columns that fill fields by their names to `spec`. Raises ValueError,
    naming the columns, for anything ambiguous and when occurred_at or channel has no
    column or constant; `names` holds every column (NDJSON: the first batch's keys)."""
    declared = {*spec.columns, *spec.constants}
    wholes = {*spec.columns.values(), *spec.ignore}
    if both := sorted(set(spec.columns.values()) & set(spec.ignore)):
        raise ValueError(f"columns both mapped and ignored: {both}")
    candidates: dict[str, list[tuple[str, bool]]] = {}
    not_imported: dict[str, str] = {}
    objects = {n.rsplit(".", i)[0] for n in names for i in range(1, n.count(".") + 1)}
    not_imported.update((name, "left out, as --ignore says") for name in spec.ignore)
    # Objects before their keys (NDJSON), so a key knows whether its object is decided;
    # otherwise in the file's order.
    for name in sorted(names, key=lambda n: n.count(".")):
        parts = name.split(".")
        if name in wholes or (
            nested and any(".".join(parts[:i]) in wholes for i in range(1, len(parts)))
        ):
            continue
        found = claim(name)
        if found is None:
            if nested and name not in NOT_INPUT and (name in CONTAINERS or name in objects):
                continue  # an object: its keys are looked at one by one
            not_imported[name] = NOT_INPUT.get(name, "no event field is named like it")
            wholes.add(name)
            continue
        field, exact = found
        if field in declared:
            how = f"--set {field}" if field in spec.constants else f"column {spec.columns[field]!r}"
            not_imported[name] = f"{field} comes from {how}, as the mapping says"
            wholes.add(name)
            continue
        candidates.setdefault(field, []).append((name, exact))
        if field == "attributes":
            wholes.add(name)  # in NDJSON, its keys are the object's
    problems = []
    by_name: dict[str, str] = {}
    for field, claims in candidates.items():
        if len(claims) > 1:
            problems.append(
                f"columns {_quoted([n for n, _ in claims])} could each be {field} "
                f"(--map {field}=COLUMN with the one you mean)"
            )
        elif not claims[0][1]:
            name = claims[0][0]
            problems.append(
                f"column {name!r} is named like {field}, but not exactly (--map {field}={name} "
                f"to import it, --ignore {name} to leave it out)"
            )
        else:
            by_name[field] = claims[0][0]
    own = sorted(c for f, c in by_name.items() if f.startswith(ATTRIBUTE))
    whole = by_name.get("attributes") or spec.columns.get("attributes")
    if own and whole:
        problems.append(
            f"columns {_quoted([whole, *own])} could each give {', '.join(own)} "
            "(--ignore the ones you do not mean, or --map them)"
        )
    if problems:
        raise ValueError("columns that cannot be mapped by their names: " + "; ".join(problems))
    columns = {**by_name, **spec.columns}
    export = {"received_at", "has_contact"} <= set(names)
    resolved = replace(spec, columns=columns, verbatim=export, unguard=export and not nested)
    if names or not nested:  # an NDJSON file without one readable record maps nothing
        for field, (how, why) in REQUIRED.items():
            if field not in columns and field not in spec.constants:
                raise ValueError(
                    f"map {field} (--map {field}={how}): no column is named {field}, and {why}"
                )
    return Resolution(resolved, by_name, not_imported, frozenset(names), frozenset(wholes), nested)
