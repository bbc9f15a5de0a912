from typing import Annotated

from fastapi import APIRouter, Path

from app.auth.dependencies import AdminKey
from app.db import DatabaseDep
from app.errors import problem_responses
from app.http.routes import StrictJSONRoute
from app.respondents import service
from app.respondents.schemas import Erased, PersonData, PersonQuery, RespondentData
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
    transaction. Every other text that names the e-mail or phone of their contact
    data (another event's comment, a case resolution or note, a webhook body) keeps
    its row and loses that text (`redacted`), as `POST /v1/respondents/erase` does.
    An audit row (`erasure_id`) records when, which key and the counts, never who.
    Admin keys only.

    Example: `DELETE /v1/respondents/crm-88231`
    """
    async with db.connection() as conn:
        return Erased.model_validate(await service.erase(conn, respondent_id, key.key_id))


def _person(query: PersonQuery) -> service.Person:
    return service.Person(
        respondent_id=query.respondent_id,
        emails=frozenset([query.email] if query.email else []),
        phones=frozenset([query.phone] if query.phone else []),
    )


@router.post(
    "/search",
    response_model=PersonData,
    responses=problem_responses(401, 403, 404, 413, 415, 422, 503),
)
async def search_person(query: PersonQuery, db: DatabaseDep, _: AdminKey) -> PersonData:
    """Everything stored about a person (a data-access request), found by respondent id,
    **e-mail or phone**, in the body so that no personal data is in the URL.

    Their events: those with the `respondent.id`, or a `respondent.id` that is the
    e-mail, or whose contact data has the e-mail or phone (a widget answer without a
    respondent id is found this way). Contact data found on their events is followed
    too (their other e-mail or number). With contact data, and the follow-up cases
    those events opened with their history. `mentions`: every other text that names
    the e-mail or phone (a comment, a case note or resolution, a webhook body).

    Matching: e-mail case-insensitive and trimmed; phone by its digits (see the
    request body). Admin keys only. **404** when nothing is found.

    Example: `POST /v1/respondents/search` with `{"email": "anna@example.com"}`
    """
    async with db.connection() as conn:
        return PersonData.model_validate(await service.search(conn, _person(query)))


@router.post(
    "/erase",
    response_model=Erased,
    responses=problem_responses(401, 403, 413, 415, 422, 503),
)
async def erase_person(query: PersonQuery, db: DatabaseDep, key: AdminKey) -> Erased:
    """Erase a person (a right-to-erasure request) found by respondent id, **e-mail or
    phone** (the same matching as `POST /v1/respondents/search`), in one transaction.

    Their events go whole, as with `DELETE /v1/respondents/{respondent_id}` (tombstones,
    cases with their history, webhook messages about them, metrics kept exact). Every
    other text that names the e-mail or phone keeps its row and loses the match, which
    becomes `[erased]`: others' comments and attributes, case resolutions and notes,
    webhook bodies (pending or sent) and delivery errors (`redacted`).

    Idempotent: again, zero counts. The audit row holds counts and the key, never
    the id, e-mail or phone asked for (nor a hash of them). Admin keys only.

    Example: `POST /v1/respondents/erase` with `{"phone": "+36 1 234 5678"}`
    """
    async with db.connection() as conn:
        return Erased.model_validate(await service.erase_person(conn, _person(query), key.key_id))
