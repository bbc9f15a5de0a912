from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.feedback_in import FeedbackIn
from ...models.feedback_out import FeedbackOut
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: FeedbackIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/feedback",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> FeedbackOut | Problem | None:
    if response.status_code == 200:
        response_200 = FeedbackOut.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = FeedbackOut.from_dict(response.json())

        return response_201

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 410:
        response_410 = Problem.from_dict(response.json())

        return response_410

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
) -> Response[FeedbackOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: FeedbackIn,
) -> Response[FeedbackOut | Problem]:
    """Submit Feedback

     Record one feedback event.

    Safe to retry: send the same `event_id` and the same body again and you get
    **200** with the stored event; nothing is stored twice. A new event answers
    **201**. The same `event_id` with a different body is a **409**. An `event_id` whose
    event was erased at its respondent's request is a **410**: it is never stored again,
    whatever the body (do not retry it).

    From a browser, with a publishable key: `navigator.sendBeacon(url + "?key=" + key,
    JSON.stringify(event))` works too. The key may be in the URL and the body
    `text/plain` only for a publishable key posting from one of its origins; a secret
    key in the URL is a **403**, `text/plain` from anyone else a **415**.

    Args:
        body (FeedbackIn): One feedback event. At least one score or a non-empty `comment` is
            required.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FeedbackOut | Problem]
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
    body: FeedbackIn,
) -> FeedbackOut | Problem | None:
    """Submit Feedback

     Record one feedback event.

    Safe to retry: send the same `event_id` and the same body again and you get
    **200** with the stored event; nothing is stored twice. A new event answers
    **201**. The same `event_id` with a different body is a **409**. An `event_id` whose
    event was erased at its respondent's request is a **410**: it is never stored again,
    whatever the body (do not retry it).

    From a browser, with a publishable key: `navigator.sendBeacon(url + "?key=" + key,
    JSON.stringify(event))` works too. The key may be in the URL and the body
    `text/plain` only for a publishable key posting from one of its origins; a secret
    key in the URL is a **403**, `text/plain` from anyone else a **415**.

    Args:
        body (FeedbackIn): One feedback event. At least one score or a non-empty `comment` is
            required.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FeedbackOut | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: FeedbackIn,
) -> Response[FeedbackOut | Problem]:
    """Submit Feedback

     Record one feedback event.

    Safe to retry: send the same `event_id` and the same body again and you get
    **200** with the stored event; nothing is stored twice. A new event answers
    **201**. The same `event_id` with a different body is a **409**. An `event_id` whose
    event was erased at its respondent's request is a **410**: it is never stored again,
    whatever the body (do not retry it).

    From a browser, with a publishable key: `navigator.sendBeacon(url + "?key=" + key,
    JSON.stringify(event))` works too. The key may be in the URL and the body
    `text/plain` only for a publishable key posting from one of its origins; a secret
    key in the URL is a **403**, `text/plain` from anyone else a **415**.

    Args:
        body (FeedbackIn): One feedback event. At least one score or a non-empty `comment` is
            required.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FeedbackOut | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: FeedbackIn,
) -> FeedbackOut | Problem | None:
    """Submit Feedback

     Record one feedback event.

    Safe to retry: send the same `event_id` and the same body again and you get
    **200** with the stored event; nothing is stored twice. A new event answers
    **201**. The same `event_id` with a different body is a **409**. An `event_id` whose
    event was erased at its respondent's request is a **410**: it is never stored again,
    whatever the body (do not retry it).

    From a browser, with a publishable key: `navigator.sendBeacon(url + "?key=" + key,
    JSON.stringify(event))` works too. The key may be in the URL and the body
    `text/plain` only for a publishable key posting from one of its origins; a secret
    key in the URL is a **403**, `text/plain` from anyone else a **415**.

    Args:
        body (FeedbackIn): One feedback event. At least one score or a non-empty `comment` is
            required.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FeedbackOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
