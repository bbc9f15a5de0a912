from typing import Annotated

import asyncpg
from fastapi import APIRouter, Query

from app.auth.access import ReadSelection
from app.auth.dependencies import AdminKey, ReadKey
from app.auth.tokens import Scope
from app.db import DatabaseDep
from app.errors import FieldError, Forbidden, ValidationFailed, problem_responses
from app.http.routes import StrictJSONRoute
from app.selection.filters import previous_window
from app.settings import SettingsDep
from app.text import emerging, service
from app.text.schemas import EmergingThemes, ThemeOut, Themes, ThemesIn
from app.text.themes import ThemeSet

router = APIRouter(prefix="/v1/themes", tags=["themes"], route_class=StrictJSONRoute)


async def _answer(conn: asyncpg.Connection) -> Themes:
    themes = await service.themes(conn)
    rebuilding = await conn.fetchval("SELECT rebuild_to IS NOT NULL FROM text_state WHERE id = 1")
    return Themes(
        themes=[ThemeOut(**t.definition(), builtin=t.builtin) for t in themes],
        digest=ThemeSet(themes).digest,
        rebuilding=bool(rebuilding),
    )


@router.get("", response_model=Themes, responses=problem_responses(401, 403, 422, 503))
async def get_themes(db: DatabaseDep, _: ReadKey) -> Themes:
    """The themes comments are sorted into: the default customer-service taxonomy
    (waiting, staff friendliness and competence, price, product quality, availability,
    cleanliness, payment, delivery, returns, website and app, opening hours) and the
    ones an admin defined."""
    async with db.connection() as conn:
        return await _answer(conn)


@router.put("", response_model=Themes, responses=problem_responses(401, 403, 413, 415, 422, 503))
async def put_themes(body: ThemesIn, db: DatabaseDep, _: AdminKey) -> Themes:
    """Replace the themes an admin defines (a theme named like a default one replaces
    it; `{"themes": []}` goes back to the defaults). When the themes in force change,
    every stored comment is sorted again in the background (`rebuilding` is true until
    it is done; `feedback text status` shows the progress)."""
    async with db.connection() as conn:
        await service.replace_themes(conn, [t.theme() for t in body.themes])
        return await _answer(conn)


@router.get(
    "/emerging",
    response_model=EmergingThemes,
    response_model_by_alias=True,
    responses=problem_responses(401, 403, 422, 503),
)
async def emerging_themes(
    filters: ReadSelection,
    key: ReadKey,
    db: DatabaseDep,
    settings: SettingsDep,
    min_comments: Annotated[
        int,
        Query(
            ge=2,
            le=100_000,
            description="Words mentioned in fewer comments of the window are not tested.",
        ),
    ] = 5,
    fdr: Annotated[
        float,
        Query(
            gt=0,
            le=0.5,
            description="False discovery rate: the largest "
            "Benjamini-Hochberg adjusted p-value of a word reported.",
        ),
    ] = 0.05,
    limit: Annotated[int, Query(ge=1, le=50, description="Most groups shown.")] = 10,
    previous_from: Annotated[
        str | None,
        Query(
            max_length=40,
            description="Start of the previous window (default: the "
            "window of equal length just before `from`); same form, range and length "
            "limit as `from`/`to`, given together with `previous_to`, ending by `from`.",
        ),
    ] = None,
    previous_to: Annotated[
        str | None, Query(max_length=40, description="End of the previous window.")
    ] = None,
) -> EmergingThemes:
    """What the comments that fit no theme talk about more than before: a new problem
    (a broken terminal, a rude new hire) before anyone defines a theme for it.

    Among the enriched comments of the window with no theme, each content word of their
    key phrases (per language) that is mentioned in at least `min_comments` of them is
    tested for growth against the previous window (one-sided binomial test given its
    mentions in both, Benjamini-Hochberg across all words tested). Words with an
    adjusted p-value of at most `fdr` and a rate ratio of at least 1.5 grow; growing
    words of one language mentioned in the same comments (Jaccard index of at least
    0.25) form one group. Each group shows its words, its comments now and before,
    its most frequent key phrases, its most recent comments and their sentiment;
    the groups with the most comments first. The window and dimension filters are
    those of the metrics (external customers unless `respondent_type` is given;
    `sentiment` and `language` select comments, `theme` is refused: these comments
    have none); a key bound to a branch reads that branch only. Filtering by
    `employee_id` needs an admin key, as for event lists (the examples are single
    comments). The previous window is the one of equal length just before `from`, or
    `previous_from`/`previous_to`, ending by `from`.

    Example: `GET /v1/themes/emerging?from=2026-11-01&to=2026-12-01&location_id=vie-07`
    """
    if "employee_id" in filters.dimensions and not key.allows(Scope.admin):
        raise Forbidden(
            "Comments by employee_id need an admin key: the examples are single comments, "
            "and single ratings of one employee are shown to admin keys only."
        )
    if "theme" in filters.dimensions:
        raise ValidationFailed(
            "Emerging themes are found among the comments that fit no theme: a `theme` "
            "filter would leave none.",
            errors=[FieldError(pointer="", loc=["query", "theme"], type="value_error",
                               message="Not a filter of emerging themes.")],
        )  # fmt: skip
    previous = previous_window(filters, previous_from, previous_to, settings.max_window_days)
    if previous.end > filters.start:
        raise ValidationFailed(
            "The previous window must end by the start of the window (`from`).",
            errors=[FieldError(pointer="", loc=["query", "previous_to"], type="value_error",
                               message="`previous_to` must not be after `from`.")],
        )  # fmt: skip
    async with db.connection() as conn:
        return await emerging.emerging(
            conn, filters, previous, min_comments=min_comments, fdr=fdr, limit=limit
        )
