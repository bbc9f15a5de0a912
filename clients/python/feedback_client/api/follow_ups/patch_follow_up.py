from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.case import Case
from ...models.case_patch import CasePatch
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    case_id: int,
    *,
    body: CasePatch,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/follow-ups/{case_id}".format(
            case_id=quote(str(case_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Case | Problem | None:
    if response.status_code == 200:
        response_200 = Case.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Case | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    case_id: int,
    *,
    client: AuthenticatedClient,
    body: CasePatch,
) -> Response[Case | Problem]:
    """Patch Follow Up

     Assign the case, log a contact attempt, or move it on; answers the case with
    its history. Needs a `cases` (or admin) key.

    A `reached` contact attempt is the first contact: it moves an open case to
    `contacted`. Resolving needs a `resolution`. A move the case cannot make
    (resolving an open case nobody reached, changing a closed case) is **409**. A key
    bound to a branch works that branch's cases only (another's is a 404, unchanged).

    Args:
        case_id (int): The case's id.
        body (CasePatch): Any of: assign (null unassigns), log a contact attempt, change the
            status.

            Applied in that order, all or nothing. Allowed moves: open → contacted →
            resolved, and open or contacted → unreachable; resolved and unreachable are
            final. Others answer 409.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Case | Problem]
    """

    kwargs = _get_kwargs(
        case_id=case_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    case_id: int,
    *,
    client: AuthenticatedClient,
    body: CasePatch,
) -> Case | Problem | None:
    """Patch Follow Up

     Assign the case, log a contact attempt, or move it on; answers the case with
    its history. Needs a `cases` (or admin) key.

    A `reached` contact attempt is the first contact: it moves an open case to
    `contacted`. Resolving needs a `resolution`. A move the case cannot make
    (resolving an open case nobody reached, changing a closed case) is **409**. A key
    bound to a branch works that branch's cases only (another's is a 404, unchanged).

    Args:
        case_id (int): The case's id.
        body (CasePatch): Any of: assign (null unassigns), log a contact attempt, change the
            status.

            Applied in that order, all or nothing. Allowed moves: open → contacted →
            resolved, and open or contacted → unreachable; resolved and unreachable are
            final. Others answer 409.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Case | Problem
    """

    return sync_detailed(
        case_id=case_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    case_id: int,
    *,
    client: AuthenticatedClient,
    body: CasePatch,
) -> Response[Case | Problem]:
    """Patch Follow Up

     Assign the case, log a contact attempt, or move it on; answers the case with
    its history. Needs a `cases` (or admin) key.

    A `reached` contact attempt is the first contact: it moves an open case to
    `contacted`. Resolving needs a `resolution`. A move the case cannot make
    (resolving an open case nobody reached, changing a closed case) is **409**. A key
    bound to a branch works that branch's cases only (another's is a 404, unchanged).

    Args:
        case_id (int): The case's id.
        body (CasePatch): Any of: assign (null unassigns), log a contact attempt, change the
            status.

            Applied in that order, all or nothing. Allowed moves: open → contacted →
            resolved, and open or contacted → unreachable; resolved and unreachable are
            final. Others answer 409.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Case | Problem]
    """

    kwargs = _get_kwargs(
        case_id=case_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    case_id: int,
    *,
    client: AuthenticatedClient,
    body: CasePatch,
) -> Case | Problem | None:
    """Patch Follow Up

     Assign the case, log a contact attempt, or move it on; answers the case with
    its history. Needs a `cases` (or admin) key.

    A `reached` contact attempt is the first contact: it moves an open case to
    `contacted`. Resolving needs a `resolution`. A move the case cannot make
    (resolving an open case nobody reached, changing a closed case) is **409**. A key
    bound to a branch works that branch's cases only (another's is a 404, unchanged).

    Args:
        case_id (int): The case's id.
        body (CasePatch): Any of: assign (null unassigns), log a contact attempt, change the
            status.

            Applied in that order, all or nothing. Allowed moves: open → contacted →
            resolved, and open or contacted → unreachable; resolved and unreachable are
            final. Others answer 409.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Case | Problem
    """

    return (
        await asyncio_detailed(
            case_id=case_id,
            client=client,
            body=body,
        )
    ).parsed
