from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.erased import Erased
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    respondent_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/v1/respondents/{respondent_id}".format(
            respondent_id=quote(str(respondent_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Erased | Problem | None:
    if response.status_code == 200:
        response_200 = Erased.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Erased | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    respondent_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[Erased | Problem]:
    """Erase Respondent

     Erase a respondent (a right-to-erasure request), in one transaction: every event
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

    Args:
        respondent_id (str): The respondent's id, as sent in `respondent.id`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Erased | Problem]
    """

    kwargs = _get_kwargs(
        respondent_id=respondent_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    respondent_id: str,
    *,
    client: AuthenticatedClient,
) -> Erased | Problem | None:
    """Erase Respondent

     Erase a respondent (a right-to-erasure request), in one transaction: every event
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

    Args:
        respondent_id (str): The respondent's id, as sent in `respondent.id`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Erased | Problem
    """

    return sync_detailed(
        respondent_id=respondent_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    respondent_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[Erased | Problem]:
    """Erase Respondent

     Erase a respondent (a right-to-erasure request), in one transaction: every event
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

    Args:
        respondent_id (str): The respondent's id, as sent in `respondent.id`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Erased | Problem]
    """

    kwargs = _get_kwargs(
        respondent_id=respondent_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    respondent_id: str,
    *,
    client: AuthenticatedClient,
) -> Erased | Problem | None:
    """Erase Respondent

     Erase a respondent (a right-to-erasure request), in one transaction: every event
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

    Args:
        respondent_id (str): The respondent's id, as sent in `respondent.id`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Erased | Problem
    """

    return (
        await asyncio_detailed(
            respondent_id=respondent_id,
            client=client,
        )
    ).parsed
