from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.case_page import CasePage
from ...models.list_follow_ups_status_type_0_item import (
    ListFollowUpsStatusType0Item,
)
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
    status: list[ListFollowUpsStatusType0Item] | None | Unset = UNSET,
    location_id: list[str] | None | Unset = UNSET,
    channel: list[str] | None | Unset = UNSET,
    assignee: list[str] | None | Unset = UNSET,
    unassigned: bool | Unset = False,
    min_age_hours: float | None | Unset = UNSET,
    max_age_hours: float | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    json_status: list[str] | None | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, list):
        json_status = []
        for status_type_0_item_data in status:
            status_type_0_item: str = status_type_0_item_data
            json_status.append(status_type_0_item)

    else:
        json_status = status
    params["status"] = json_status

    json_location_id: list[str] | None | Unset
    if isinstance(location_id, Unset):
        json_location_id = UNSET
    elif isinstance(location_id, list):
        json_location_id = location_id

    else:
        json_location_id = location_id
    params["location_id"] = json_location_id

    json_channel: list[str] | None | Unset
    if isinstance(channel, Unset):
        json_channel = UNSET
    elif isinstance(channel, list):
        json_channel = channel

    else:
        json_channel = channel
    params["channel"] = json_channel

    json_assignee: list[str] | None | Unset
    if isinstance(assignee, Unset):
        json_assignee = UNSET
    elif isinstance(assignee, list):
        json_assignee = assignee

    else:
        json_assignee = assignee
    params["assignee"] = json_assignee

    params["unassigned"] = unassigned

    json_min_age_hours: float | None | Unset
    if isinstance(min_age_hours, Unset):
        json_min_age_hours = UNSET
    else:
        json_min_age_hours = min_age_hours
    params["min_age_hours"] = json_min_age_hours

    json_max_age_hours: float | None | Unset
    if isinstance(max_age_hours, Unset):
        json_max_age_hours = UNSET
    else:
        json_max_age_hours = max_age_hours
    params["max_age_hours"] = json_max_age_hours

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/follow-ups",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CasePage | Problem | None:
    if response.status_code == 200:
        response_200 = CasePage.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[CasePage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
    status: list[ListFollowUpsStatusType0Item] | None | Unset = UNSET,
    location_id: list[str] | None | Unset = UNSET,
    channel: list[str] | None | Unset = UNSET,
    assignee: list[str] | None | Unset = UNSET,
    unassigned: bool | Unset = False,
    min_age_hours: float | None | Unset = UNSET,
    max_age_hours: float | None | Unset = UNSET,
) -> Response[CasePage | Problem]:
    """List Follow Ups

     The work queue: follow-up cases, oldest first. `employee_id` is shown to admin
    keys only (null for others: see `employee_min_n` in the metrics). How many cases the
    filters select in all, and how many are overdue: `GET /v1/follow-ups/summary`.

    Example: the open cases of one branch waiting more than a day:
    `GET /v1/follow-ups?status=open&location_id=vie-07&min_age_hours=24`

    Args:
        limit (int | Unset): Page size. Default: 100.
        cursor (None | str | Unset): `next_cursor` of the previous page.
        status (list[ListFollowUpsStatusType0Item] | None | Unset): Only these (repeatable).
        location_id (list[str] | None | Unset): Only these branches. A key bound to a branch lists
            that branch only; naming another is a 403.
        channel (list[str] | None | Unset): Only cases of feedback from these channels (`web`,
            `pos`, ...). Repeatable or comma-separated, as in the metrics.
        assignee (list[str] | None | Unset): Only these assignees.
        unassigned (bool | Unset): Only cases without an assignee (or also them, with `assignee`).
            Default: False.
        min_age_hours (float | None | Unset): Opened at least this long ago.
        max_age_hours (float | None | Unset): Opened at most this long ago.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CasePage | Problem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        status=status,
        location_id=location_id,
        channel=channel,
        assignee=assignee,
        unassigned=unassigned,
        min_age_hours=min_age_hours,
        max_age_hours=max_age_hours,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
    status: list[ListFollowUpsStatusType0Item] | None | Unset = UNSET,
    location_id: list[str] | None | Unset = UNSET,
    channel: list[str] | None | Unset = UNSET,
    assignee: list[str] | None | Unset = UNSET,
    unassigned: bool | Unset = False,
    min_age_hours: float | None | Unset = UNSET,
    max_age_hours: float | None | Unset = UNSET,
) -> CasePage | Problem | None:
    """List Follow Ups

     The work queue: follow-up cases, oldest first. `employee_id` is shown to admin
    keys only (null for others: see `employee_min_n` in the metrics). How many cases the
    filters select in all, and how many are overdue: `GET /v1/follow-ups/summary`.

    Example: the open cases of one branch waiting more than a day:
    `GET /v1/follow-ups?status=open&location_id=vie-07&min_age_hours=24`

    Args:
        limit (int | Unset): Page size. Default: 100.
        cursor (None | str | Unset): `next_cursor` of the previous page.
        status (list[ListFollowUpsStatusType0Item] | None | Unset): Only these (repeatable).
        location_id (list[str] | None | Unset): Only these branches. A key bound to a branch lists
            that branch only; naming another is a 403.
        channel (list[str] | None | Unset): Only cases of feedback from these channels (`web`,
            `pos`, ...). Repeatable or comma-separated, as in the metrics.
        assignee (list[str] | None | Unset): Only these assignees.
        unassigned (bool | Unset): Only cases without an assignee (or also them, with `assignee`).
            Default: False.
        min_age_hours (float | None | Unset): Opened at least this long ago.
        max_age_hours (float | None | Unset): Opened at most this long ago.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CasePage | Problem
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
        status=status,
        location_id=location_id,
        channel=channel,
        assignee=assignee,
        unassigned=unassigned,
        min_age_hours=min_age_hours,
        max_age_hours=max_age_hours,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
    status: list[ListFollowUpsStatusType0Item] | None | Unset = UNSET,
    location_id: list[str] | None | Unset = UNSET,
    channel: list[str] | None | Unset = UNSET,
    assignee: list[str] | None | Unset = UNSET,
    unassigned: bool | Unset = False,
    min_age_hours: float | None | Unset = UNSET,
    max_age_hours: float | None | Unset = UNSET,
) -> Response[CasePage | Problem]:
    """List Follow Ups

     The work queue: follow-up cases, oldest first. `employee_id` is shown to admin
    keys only (null for others: see `employee_min_n` in the metrics). How many cases the
    filters select in all, and how many are overdue: `GET /v1/follow-ups/summary`.

    Example: the open cases of one branch waiting more than a day:
    `GET /v1/follow-ups?status=open&location_id=vie-07&min_age_hours=24`

    Args:
        limit (int | Unset): Page size. Default: 100.
        cursor (None | str | Unset): `next_cursor` of the previous page.
        status (list[ListFollowUpsStatusType0Item] | None | Unset): Only these (repeatable).
        location_id (list[str] | None | Unset): Only these branches. A key bound to a branch lists
            that branch only; naming another is a 403.
        channel (list[str] | None | Unset): Only cases of feedback from these channels (`web`,
            `pos`, ...). Repeatable or comma-separated, as in the metrics.
        assignee (list[str] | None | Unset): Only these assignees.
        unassigned (bool | Unset): Only cases without an assignee (or also them, with `assignee`).
            Default: False.
        min_age_hours (float | None | Unset): Opened at least this long ago.
        max_age_hours (float | None | Unset): Opened at most this long ago.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CasePage | Problem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        status=status,
        location_id=location_id,
        channel=channel,
        assignee=assignee,
        unassigned=unassigned,
        min_age_hours=min_age_hours,
        max_age_hours=max_age_hours,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
    status: list[ListFollowUpsStatusType0Item] | None | Unset = UNSET,
    location_id: list[str] | None | Unset = UNSET,
    channel: list[str] | None | Unset = UNSET,
    assignee: list[str] | None | Unset = UNSET,
    unassigned: bool | Unset = False,
    min_age_hours: float | None | Unset = UNSET,
    max_age_hours: float | None | Unset = UNSET,
) -> CasePage | Problem | None:
    """List Follow Ups

     The work queue: follow-up cases, oldest first. `employee_id` is shown to admin
    keys only (null for others: see `employee_min_n` in the metrics). How many cases the
    filters select in all, and how many are overdue: `GET /v1/follow-ups/summary`.

    Example: the open cases of one branch waiting more than a day:
    `GET /v1/follow-ups?status=open&location_id=vie-07&min_age_hours=24`

    Args:
        limit (int | Unset): Page size. Default: 100.
        cursor (None | str | Unset): `next_cursor` of the previous page.
        status (list[ListFollowUpsStatusType0Item] | None | Unset): Only these (repeatable).
        location_id (list[str] | None | Unset): Only these branches. A key bound to a branch lists
            that branch only; naming another is a 403.
        channel (list[str] | None | Unset): Only cases of feedback from these channels (`web`,
            `pos`, ...). Repeatable or comma-separated, as in the metrics.
        assignee (list[str] | None | Unset): Only these assignees.
        unassigned (bool | Unset): Only cases without an assignee (or also them, with `assignee`).
            Default: False.
        min_age_hours (float | None | Unset): Opened at least this long ago.
        max_age_hours (float | None | Unset): Opened at most this long ago.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CasePage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
            status=status,
            location_id=location_id,
            channel=channel,
            assignee=assignee,
            unassigned=unassigned,
            min_age_hours=min_age_hours,
            max_age_hours=max_age_hours,
        )
    ).parsed
