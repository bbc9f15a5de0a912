from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.follow_ups_summary_status_type_0_item import (
    FollowUpsSummaryStatusType0Item,
)
from ...models.problem import Problem
from ...models.queue_summary import QueueSummary
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: list[FollowUpsSummaryStatusType0Item] | None | Unset = UNSET,
    location_id: list[str] | None | Unset = UNSET,
    channel: list[str] | None | Unset = UNSET,
    assignee: list[str] | None | Unset = UNSET,
    unassigned: bool | Unset = False,
    min_age_hours: float | None | Unset = UNSET,
    max_age_hours: float | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

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
        "url": "/v1/follow-ups/summary",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | QueueSummary | None:
    if response.status_code == 200:
        response_200 = QueueSummary.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | QueueSummary]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: list[FollowUpsSummaryStatusType0Item] | None | Unset = UNSET,
    location_id: list[str] | None | Unset = UNSET,
    channel: list[str] | None | Unset = UNSET,
    assignee: list[str] | None | Unset = UNSET,
    unassigned: bool | Unset = False,
    min_age_hours: float | None | Unset = UNSET,
    max_age_hours: float | None | Unset = UNSET,
) -> Response[Problem | QueueSummary]:
    """Follow Ups Summary

     Every case the list's filters select, counted in one statement: by status, and
    how many are **overdue** (open, their first contact due `FEEDBACK_FOLLOW_UP_SLA` after
    the feedback arrived, and that time passed). The list pages; this counts them all.

    Example: the waiting cases of one branch's tills and kiosks, and how many are late:
    `GET /v1/follow-ups/summary?status=open&status=contacted&location_id=vie-07&channel=pos,kiosk`

    Args:
        status (list[FollowUpsSummaryStatusType0Item] | None | Unset): Only these (repeatable).
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
        Response[Problem | QueueSummary]
    """

    kwargs = _get_kwargs(
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
    status: list[FollowUpsSummaryStatusType0Item] | None | Unset = UNSET,
    location_id: list[str] | None | Unset = UNSET,
    channel: list[str] | None | Unset = UNSET,
    assignee: list[str] | None | Unset = UNSET,
    unassigned: bool | Unset = False,
    min_age_hours: float | None | Unset = UNSET,
    max_age_hours: float | None | Unset = UNSET,
) -> Problem | QueueSummary | None:
    """Follow Ups Summary

     Every case the list's filters select, counted in one statement: by status, and
    how many are **overdue** (open, their first contact due `FEEDBACK_FOLLOW_UP_SLA` after
    the feedback arrived, and that time passed). The list pages; this counts them all.

    Example: the waiting cases of one branch's tills and kiosks, and how many are late:
    `GET /v1/follow-ups/summary?status=open&status=contacted&location_id=vie-07&channel=pos,kiosk`

    Args:
        status (list[FollowUpsSummaryStatusType0Item] | None | Unset): Only these (repeatable).
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
        Problem | QueueSummary
    """

    return sync_detailed(
        client=client,
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
    status: list[FollowUpsSummaryStatusType0Item] | None | Unset = UNSET,
    location_id: list[str] | None | Unset = UNSET,
    channel: list[str] | None | Unset = UNSET,
    assignee: list[str] | None | Unset = UNSET,
    unassigned: bool | Unset = False,
    min_age_hours: float | None | Unset = UNSET,
    max_age_hours: float | None | Unset = UNSET,
) -> Response[Problem | QueueSummary]:
    """Follow Ups Summary

     Every case the list's filters select, counted in one statement: by status, and
    how many are **overdue** (open, their first contact due `FEEDBACK_FOLLOW_UP_SLA` after
    the feedback arrived, and that time passed). The list pages; this counts them all.

    Example: the waiting cases of one branch's tills and kiosks, and how many are late:
    `GET /v1/follow-ups/summary?status=open&status=contacted&location_id=vie-07&channel=pos,kiosk`

    Args:
        status (list[FollowUpsSummaryStatusType0Item] | None | Unset): Only these (repeatable).
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
        Response[Problem | QueueSummary]
    """

    kwargs = _get_kwargs(
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
    status: list[FollowUpsSummaryStatusType0Item] | None | Unset = UNSET,
    location_id: list[str] | None | Unset = UNSET,
    channel: list[str] | None | Unset = UNSET,
    assignee: list[str] | None | Unset = UNSET,
    unassigned: bool | Unset = False,
    min_age_hours: float | None | Unset = UNSET,
    max_age_hours: float | None | Unset = UNSET,
) -> Problem | QueueSummary | None:
    """Follow Ups Summary

     Every case the list's filters select, counted in one statement: by status, and
    how many are **overdue** (open, their first contact due `FEEDBACK_FOLLOW_UP_SLA` after
    the feedback arrived, and that time passed). The list pages; this counts them all.

    Example: the waiting cases of one branch's tills and kiosks, and how many are late:
    `GET /v1/follow-ups/summary?status=open&status=contacted&location_id=vie-07&channel=pos,kiosk`

    Args:
        status (list[FollowUpsSummaryStatusType0Item] | None | Unset): Only these (repeatable).
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
        Problem | QueueSummary
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            location_id=location_id,
            channel=channel,
            assignee=assignee,
            unassigned=unassigned,
            min_age_hours=min_age_hours,
            max_age_hours=max_age_hours,
        )
    ).parsed
