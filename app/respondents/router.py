from typing import Annotated

from fastapi import APIRouter, Path

from app.auth.dependencies import AdminKey
from app.db import DatabaseDep
from app.errors import problem_responses
from app.respondents import service
from app.respondents.schemas import Erased, RespondentData
from app.routing import StrictJSONRoute
from app.types import Identifier

router = APIRouter(prefix="/v1/respondents", tags=["data rights"], route_class=StrictJSONRoute)

RespondentId = Annotated[
    Identifier,
    Path(description="The respondent's id, as sent in `respondent.id`.", examples=["crm-88231"]),
]


@router.get(
    "/{respondent_id:id}/data",  # respondent ids may contain "/"
    response_model=RespondentData,
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def get_respondent_data(
    respondent_id: RespondentId, db: DatabaseDep, _: AdminKey
) -> RespondentData:
    """Everything stored about one respondent (a data-access request): their events,
    oldest `occurred_at` first, **with contact data**, and the follow-up cases their
    feedback opened, each with its history (contact-attempt notes included).

    Admin keys only, since it returns contact data. **404** when nothing is stored
    about the respondent (never seen, or erased).

    Example: `GET /v1/respondents/crm-88231/data`
    """
    async with db.connection() as conn:
        return RespondentData.model_validate(await service.get_data(conn, respondent_id))


@router.delete(
    "/{respondent_id:id}",
    response_model=Erased,
    responses=problem_responses(401, 403, 422, 503),
)
async def erase_respondent(respondent_id: RespondentId, db: DatabaseDep, key: AdminKey) -> Erased:
    """Erase a respondent (a right-to-erasure request), in one transaction: every event
    they posted (scores, comments, tags, attributes), its contact data, and the
    follow-up cases it opened with their history. Answers what was erased.

    Idempotent: erasing again (or an unknown id) answers **200** with zero counts.
    Each event's `event_id` stays as a tombstone, nothing else, so a device
    replaying it later gets a duplicate answer and nothing is stored again. Every
    metric stays exact: the events are taken out of the rollups in the same
    transaction. An audit row (`erasure_id`) records when, which key and the
    counts, never who. Admin keys only.

    Example: `DELETE /v1/respondents/crm-88231`
    """
    async with db.connection() as conn:
        return Erased.model_validate(await service.erase(conn, respondent_id, key.key_id))
