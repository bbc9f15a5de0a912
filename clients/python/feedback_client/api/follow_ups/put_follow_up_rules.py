from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.rule_set import RuleSet
from ...types import Response


def _get_kwargs(
    *,
    body: RuleSet,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/follow-up-rules",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | RuleSet | None:
    if response.status_code == 200:
        response_200 = RuleSet.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | RuleSet]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: RuleSet,
) -> Response[Problem | RuleSet]:
    """Put Follow Up Rules

     Replace every rule at once (an empty list opens no more cases). Applies to
    events stored from now on; cases already open stay open.

    The defaults: `nps-detractor` (NPS 0-6), `csat-low` (CSAT 1-2), `ces-hard`
    (CES 1-2) and `follow-up-requested`, for customers and internal customers.

    Args:
        body (RuleSet): The complete set of rules; PUT replaces every rule at once.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RuleSet]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: RuleSet,
) -> Problem | RuleSet | None:
    """Put Follow Up Rules

     Replace every rule at once (an empty list opens no more cases). Applies to
    events stored from now on; cases already open stay open.

    The defaults: `nps-detractor` (NPS 0-6), `csat-low` (CSAT 1-2), `ces-hard`
    (CES 1-2) and `follow-up-requested`, for customers and internal customers.

    Args:
        body (RuleSet): The complete set of rules; PUT replaces every rule at once.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RuleSet
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: RuleSet,
) -> Response[Problem | RuleSet]:
    """Put Follow Up Rules

     Replace every rule at once (an empty list opens no more cases). Applies to
    events stored from now on; cases already open stay open.

    The defaults: `nps-detractor` (NPS 0-6), `csat-low` (CSAT 1-2), `ces-hard`
    (CES 1-2) and `follow-up-requested`, for customers and internal customers.

    Args:
        body (RuleSet): The complete set of rules; PUT replaces every rule at once.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RuleSet]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: RuleSet,
) -> Problem | RuleSet | None:
    """Put Follow Up Rules

     Replace every rule at once (an empty list opens no more cases). Applies to
    events stored from now on; cases already open stay open.

    The defaults: `nps-detractor` (NPS 0-6), `csat-low` (CSAT 1-2), `ces-hard`
    (CES 1-2) and `follow-up-requested`, for customers and internal customers.

    Args:
        body (RuleSet): The complete set of rules; PUT replaces every rule at once.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RuleSet
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
