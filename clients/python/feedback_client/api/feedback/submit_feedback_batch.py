from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.batch_in import BatchIn
from ...models.batch_result import BatchResult
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: BatchIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/feedback/batch",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> BatchResult | Problem | None:
    if response.status_code == 200:
        response_200 = BatchResult.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[BatchResult | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: BatchIn,
) -> Response[BatchResult | Problem]:
    """Submit Feedback Batch

     Record up to 1,000 events in one transaction (an offline queue, a day of a POS).

    Every item gets a result, in input order: `accepted` (stored now), `duplicate`
    (stored before with the same body) or `rejected` (not stored; `problem` says
    why). Invalid items never block valid ones and are never partly stored.
    Replaying the whole batch is safe. Publishable keys may send it as a beacon, as
    `POST /v1/feedback` says.

    Args:
        body (BatchIn): Up to 1,000 events (and 1 MiB). Each is validated and stored on its own
            merits.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchResult | Problem]
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
    body: BatchIn,
) -> BatchResult | Problem | None:
    """Submit Feedback Batch

     Record up to 1,000 events in one transaction (an offline queue, a day of a POS).

    Every item gets a result, in input order: `accepted` (stored now), `duplicate`
    (stored before with the same body) or `rejected` (not stored; `problem` says
    why). Invalid items never block valid ones and are never partly stored.
    Replaying the whole batch is safe. Publishable keys may send it as a beacon, as
    `POST /v1/feedback` says.

    Args:
        body (BatchIn): Up to 1,000 events (and 1 MiB). Each is validated and stored on its own
            merits.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchResult | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: BatchIn,
) -> Response[BatchResult | Problem]:
    """Submit Feedback Batch

     Record up to 1,000 events in one transaction (an offline queue, a day of a POS).

    Every item gets a result, in input order: `accepted` (stored now), `duplicate`
    (stored before with the same body) or `rejected` (not stored; `problem` says
    why). Invalid items never block valid ones and are never partly stored.
    Replaying the whole batch is safe. Publishable keys may send it as a beacon, as
    `POST /v1/feedback` says.

    Args:
        body (BatchIn): Up to 1,000 events (and 1 MiB). Each is validated and stored on its own
            merits.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchResult | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: BatchIn,
) -> BatchResult | Problem | None:
    """Submit Feedback Batch

     Record up to 1,000 events in one transaction (an offline queue, a day of a POS).

    Every item gets a result, in input order: `accepted` (stored now), `duplicate`
    (stored before with the same body) or `rejected` (not stored; `problem` says
    why). Invalid items never block valid ones and are never partly stored.
    Replaying the whole batch is safe. Publishable keys may send it as a beacon, as
    `POST /v1/feedback` says.

    Args:
        body (BatchIn): Up to 1,000 events (and 1 MiB). Each is validated and stored on its own
            merits.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchResult | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
