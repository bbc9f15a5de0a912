from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.erased import Erased
from ...models.person_query import PersonQuery
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: PersonQuery,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/respondents/erase",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Erased | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: PersonQuery,
) -> Response[Erased | Problem]:
    """Erase Person

     Erase a person (a right-to-erasure request) found by respondent id, **e-mail or
    phone** (the same matching as `POST /v1/respondents/search`), in one transaction.

    Their events go whole, as with `DELETE /v1/respondents/{respondent_id}` (tombstones,
    cases with their history, webhook messages about them, metrics kept exact). Every
    other text that names the e-mail or phone keeps its row and loses the match, which
    becomes `[erased]`: others' comments and attributes, case resolutions and notes,
    webhook bodies (pending or sent) and delivery errors (`redacted`).

    Idempotent: again, zero counts. The audit row holds counts and the key, never
    the id, e-mail or phone asked for (nor a hash of them). Admin keys only.

    Example: `POST /v1/respondents/erase` with `{"phone": "+36 1 234 5678"}`

    Args:
        body (PersonQuery): Exactly one of `respondent_id`, `email`, `phone`. In the body, never
            in the URL: personal data in a URL ends up in access logs. An e-mail matches case-
            insensitively after trimming; a phone number by its digits (spaces, dashes, dots and
            brackets ignored; a leading `+` and a leading `00` are the same; at least 6 digits).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Erased | Problem]
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
    body: PersonQuery,
) -> Erased | Problem | None:
    """Erase Person

     Erase a person (a right-to-erasure request) found by respondent id, **e-mail or
    phone** (the same matching as `POST /v1/respondents/search`), in one transaction.

    Their events go whole, as with `DELETE /v1/respondents/{respondent_id}` (tombstones,
    cases with their history, webhook messages about them, metrics kept exact). Every
    other text that names the e-mail or phone keeps its row and loses the match, which
    becomes `[erased]`: others' comments and attributes, case resolutions and notes,
    webhook bodies (pending or sent) and delivery errors (`redacted`).

    Idempotent: again, zero counts. The audit row holds counts and the key, never
    the id, e-mail or phone asked for (nor a hash of them). Admin keys only.

    Example: `POST /v1/respondents/erase` with `{"phone": "+36 1 234 5678"}`

    Args:
        body (PersonQuery): Exactly one of `respondent_id`, `email`, `phone`. In the body, never
            in the URL: personal data in a URL ends up in access logs. An e-mail matches case-
            insensitively after trimming; a phone number by its digits (spaces, dashes, dots and
            brackets ignored; a leading `+` and a leading `00` are the same; at least 6 digits).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Erased | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: PersonQuery,
) -> Response[Erased | Problem]:
    """Erase Person

     Erase a person (a right-to-erasure request) found by respondent id, **e-mail or
    phone** (the same matching as `POST /v1/respondents/search`), in one transaction.

    Their events go whole, as with `DELETE /v1/respondents/{respondent_id}` (tombstones,
    cases with their history, webhook messages about them, metrics kept exact). Every
    other text that names the e-mail or phone keeps its row and loses the match, which
    becomes `[erased]`: others' comments and attributes, case resolutions and notes,
    webhook bodies (pending or sent) and delivery errors (`redacted`).

    Idempotent: again, zero counts. The audit row holds counts and the key, never
    the id, e-mail or phone asked for (nor a hash of them). Admin keys only.

    Example: `POST /v1/respondents/erase` with `{"phone": "+36 1 234 5678"}`

    Args:
        body (PersonQuery): Exactly one of `respondent_id`, `email`, `phone`. In the body, never
            in the URL: personal data in a URL ends up in access logs. An e-mail matches case-
            insensitively after trimming; a phone number by its digits (spaces, dashes, dots and
            brackets ignored; a leading `+` and a leading `00` are the same; at least 6 digits).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Erased | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: PersonQuery,
) -> Erased | Problem | None:
    """Erase Person

     Erase a person (a right-to-erasure request) found by respondent id, **e-mail or
    phone** (the same matching as `POST /v1/respondents/search`), in one transaction.

    Their events go whole, as with `DELETE /v1/respondents/{respondent_id}` (tombstones,
    cases with their history, webhook messages about them, metrics kept exact). Every
    other text that names the e-mail or phone keeps its row and loses the match, which
    becomes `[erased]`: others' comments and attributes, case resolutions and notes,
    webhook bodies (pending or sent) and delivery errors (`redacted`).

    Idempotent: again, zero counts. The audit row holds counts and the key, never
    the id, e-mail or phone asked for (nor a hash of them). Admin keys only.

    Example: `POST /v1/respondents/erase` with `{"phone": "+36 1 234 5678"}`

    Args:
        body (PersonQuery): Exactly one of `respondent_id`, `email`, `phone`. In the body, never
            in the URL: personal data in a URL ends up in access logs. An e-mail matches case-
            insensitively after trimming; a phone number by its digits (spaces, dashes, dots and
            brackets ignored; a leading `+` and a leading `00` are the same; at least 6 digits).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Erased | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
