import asyncpg
from fastapi import APIRouter

from app.auth.dependencies import AdminKey, ReadKey
from app.db import DatabaseDep
from app.errors import problem_responses
from app.http.routes import StrictJSONRoute
from app.text import service
from app.text.schemas import ThemeOut, Themes, ThemesIn
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


@router.get("", response_model=Themes, responses=problem_responses(401, 403, 503))
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
