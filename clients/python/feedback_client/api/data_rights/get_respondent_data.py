from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.respondent_data import RespondentData
from ...types import Response


def _get_kwargs(
    respondent_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/respondents/{respondent_id}/data".format(
            respondent_id=quote(str(respondent_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | RespondentData | None:
    if response.status_code == 200:
        response_200 = RespondentData.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | RespondentData]:
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
) -> Response[Problem | RespondentData]:
    """Get Respondent Data

     Everything stored about one respondent (a data-access request): their events,
    oldest `occurred_at` first, **with contact data**, and the follow-up cases their
    feedback opened, each with its history (contact-attempt notes included).

    Admin keys only, since it returns contact data. **404** when nothing is stored
    about the respondent (never seen, or erased).

    Example: `GET /v1/respondents/crm-88231/data`

    Args:
        respondent_id (str): The respondent's id, as sent in `respondent.id`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RespondentData]
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
) -> Problem | RespondentData | None:
    """Get Respondent Data

     Everything stored about one respondent (a data-access request): their events,
    oldest `occurred_at` first, **with contact data**, and the follow-up cases their
    feedback opened, each with its history (contact-attempt notes included).

    Admin keys only, since it returns contact data. **404** when nothing is stored
    about the respondent (never seen, or erased).

    Example: `GET /v1/respondents/crm-88231/data`

    Args:
        respondent_id (str): The respondent's id, as sent in `respondent.id`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RespondentData
    """

    return sync_detailed(
        respondent_id=respondent_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    respondent_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | RespondentData]:
    """Get Respondent Data

     Everything stored about one respondent (a data-access request): their events,
    oldest `occurred_at` first, **with contact data**, and the follow-up cases their
    feedback opened, each with its history (contact-attempt notes included).

    Admin keys only, since it returns contact data. **404** when nothing is stored
    about the respondent (never seen, or erased).

    Example: `GET /v1/respondents/crm-88231/data`

    Args:
        respondent_id (str): The respondent's id, as sent in `respondent.id`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RespondentData]
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
) -> Problem | RespondentData | None:
    """Get Respondent Data

     Everything stored about one respondent (a data-access request): their events,
    oldest `occurred_at` first, **with contact data**, and the follow-up cases their
    feedback opened, each with its history (contact-attempt notes included).

    Admin keys only, since it returns contact data. **404** when nothing is stored
    about the respondent (never seen, or erased).

    Example: `GET /v1/respondents/crm-88231/data`

    Args:
        respondent_id (str): The respondent's id, as sent in `respondent.id`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RespondentData
    """

    return (
        await asyncio_detailed(
            respondent_id=respondent_id,
            client=client,
        )
    ).parsed
