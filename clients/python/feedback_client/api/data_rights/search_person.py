from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.person_data import PersonData
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
        "url": "/v1/respondents/search",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PersonData | Problem | None:
    if response.status_code == 200:
        response_200 = PersonData.from_dict(response.json())

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
) -> Response[PersonData | Problem]:
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
) -> Response[PersonData | Problem]:
    """Search Person

     Everything stored about a person (a data-access request), found by respondent id,
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

    Args:
        body (PersonQuery): Exactly one of `respondent_id`, `email`, `phone`. In the body, never
            in the URL: personal data in a URL ends up in access logs. An e-mail matches case-
            insensitively after trimming; a phone number by its digits (spaces, dashes, dots and
            brackets ignored; a leading `+` and a leading `00` are the same; at least 6 digits).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PersonData | Problem]
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
) -> PersonData | Problem | None:
    """Search Person

     Everything stored about a person (a data-access request), found by respondent id,
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

    Args:
        body (PersonQuery): Exactly one of `respondent_id`, `email`, `phone`. In the body, never
            in the URL: personal data in a URL ends up in access logs. An e-mail matches case-
            insensitively after trimming; a phone number by its digits (spaces, dashes, dots and
            brackets ignored; a leading `+` and a leading `00` are the same; at least 6 digits).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PersonData | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: PersonQuery,
) -> Response[PersonData | Problem]:
    """Search Person

     Everything stored about a person (a data-access request), found by respondent id,
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

    Args:
        body (PersonQuery): Exactly one of `respondent_id`, `email`, `phone`. In the body, never
            in the URL: personal data in a URL ends up in access logs. An e-mail matches case-
            insensitively after trimming; a phone number by its digits (spaces, dashes, dots and
            brackets ignored; a leading `+` and a leading `00` are the same; at least 6 digits).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PersonData | Problem]
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
) -> PersonData | Problem | None:
    """Search Person

     Everything stored about a person (a data-access request), found by respondent id,
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

    Args:
        body (PersonQuery): Exactly one of `respondent_id`, `email`, `phone`. In the body, never
            in the URL: personal data in a URL ends up in access logs. An e-mail matches case-
            insensitively after trimming; a phone number by its digits (spaces, dashes, dots and
            brackets ignored; a leading `+` and a leading `00` are the same; at least 6 digits).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PersonData | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
