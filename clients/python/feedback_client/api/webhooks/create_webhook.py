from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.webhook_created import WebhookCreated
from ...models.webhook_in import WebhookIn
from ...types import Response


def _get_kwargs(
    *,
    body: WebhookIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/webhooks",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | WebhookCreated | None:
    if response.status_code == 201:
        response_201 = WebhookCreated.from_dict(response.json())

        return response_201

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
) -> Response[Problem | WebhookCreated]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: WebhookIn,
) -> Response[Problem | WebhookCreated]:
    """Create Webhook

     Subscribe an endpoint to event types. The answer holds the signing `secret`:
    it is shown this once.

    Every message is a `POST` of `{"type", "timestamp", "data"}` signed as the
    Standard Webhooks spec says (`webhook-id`, `webhook-timestamp`,
    `webhook-signature` headers). `data` is the event as `GET /v1/feedback/{event_id}`
    returns it (`feedback.created`, never contact data) or the case as the
    follow-ups list shows it (`follow_up.*`). Delivery is at least once, retried
    with back-off for about 32 hours; dedupe on `webhook-id`.

    Example: `{"url": "https://crm.example.com/hooks/feedback",
    "event_types": ["feedback.created"]}`. A URL that is not http(s), carries
    credentials, has a host DNS cannot carry (IDNA, labels of 1-63 octets) or
    names a non-public address literally (in any spelling: `127.1`,
    `[::ffff:10.0.0.1]`, NAT64 `[64:ff9b::7f00:1]`; `localhost`) is a 422 with
    the pointer `#/url`. A host name is resolved and checked before each attempt.

    Args:
        body (WebhookIn): Subscribe an endpoint to event types.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookCreated]
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
    body: WebhookIn,
) -> Problem | WebhookCreated | None:
    """Create Webhook

     Subscribe an endpoint to event types. The answer holds the signing `secret`:
    it is shown this once.

    Every message is a `POST` of `{"type", "timestamp", "data"}` signed as the
    Standard Webhooks spec says (`webhook-id`, `webhook-timestamp`,
    `webhook-signature` headers). `data` is the event as `GET /v1/feedback/{event_id}`
    returns it (`feedback.created`, never contact data) or the case as the
    follow-ups list shows it (`follow_up.*`). Delivery is at least once, retried
    with back-off for about 32 hours; dedupe on `webhook-id`.

    Example: `{"url": "https://crm.example.com/hooks/feedback",
    "event_types": ["feedback.created"]}`. A URL that is not http(s), carries
    credentials, has a host DNS cannot carry (IDNA, labels of 1-63 octets) or
    names a non-public address literally (in any spelling: `127.1`,
    `[::ffff:10.0.0.1]`, NAT64 `[64:ff9b::7f00:1]`; `localhost`) is a 422 with
    the pointer `#/url`. A host name is resolved and checked before each attempt.

    Args:
        body (WebhookIn): Subscribe an endpoint to event types.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookCreated
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: WebhookIn,
) -> Response[Problem | WebhookCreated]:
    """Create Webhook

     Subscribe an endpoint to event types. The answer holds the signing `secret`:
    it is shown this once.

    Every message is a `POST` of `{"type", "timestamp", "data"}` signed as the
    Standard Webhooks spec says (`webhook-id`, `webhook-timestamp`,
    `webhook-signature` headers). `data` is the event as `GET /v1/feedback/{event_id}`
    returns it (`feedback.created`, never contact data) or the case as the
    follow-ups list shows it (`follow_up.*`). Delivery is at least once, retried
    with back-off for about 32 hours; dedupe on `webhook-id`.

    Example: `{"url": "https://crm.example.com/hooks/feedback",
    "event_types": ["feedback.created"]}`. A URL that is not http(s), carries
    credentials, has a host DNS cannot carry (IDNA, labels of 1-63 octets) or
    names a non-public address literally (in any spelling: `127.1`,
    `[::ffff:10.0.0.1]`, NAT64 `[64:ff9b::7f00:1]`; `localhost`) is a 422 with
    the pointer `#/url`. A host name is resolved and checked before each attempt.

    Args:
        body (WebhookIn): Subscribe an endpoint to event types.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookCreated]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: WebhookIn,
) -> Problem | WebhookCreated | None:
    """Create Webhook

     Subscribe an endpoint to event types. The answer holds the signing `secret`:
    it is shown this once.

    Every message is a `POST` of `{"type", "timestamp", "data"}` signed as the
    Standard Webhooks spec says (`webhook-id`, `webhook-timestamp`,
    `webhook-signature` headers). `data` is the event as `GET /v1/feedback/{event_id}`
    returns it (`feedback.created`, never contact data) or the case as the
    follow-ups list shows it (`follow_up.*`). Delivery is at least once, retried
    with back-off for about 32 hours; dedupe on `webhook-id`.

    Example: `{"url": "https://crm.example.com/hooks/feedback",
    "event_types": ["feedback.created"]}`. A URL that is not http(s), carries
    credentials, has a host DNS cannot carry (IDNA, labels of 1-63 octets) or
    names a non-public address literally (in any spelling: `127.1`,
    `[::ffff:10.0.0.1]`, NAT64 `[64:ff9b::7f00:1]`; `localhost`) is a 422 with
    the pointer `#/url`. A host name is resolved and checked before each attempt.

    Args:
        body (WebhookIn): Subscribe an endpoint to event types.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookCreated
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
