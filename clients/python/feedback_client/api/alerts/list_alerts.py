import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.alert_page import AlertPage
from ...models.list_alerts_format_type_0 import ListAlertsFormatType0
from ...models.list_alerts_metric_type_0_item import ListAlertsMetricType0Item
from ...models.list_alerts_status import ListAlertsStatus
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: ListAlertsStatus | Unset = "open",
    metric: list[ListAlertsMetricType0Item] | None | Unset = UNSET,
    dimension: list[str] | None | Unset = UNSET,
    location_id: list[str] | None | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
    format_: ListAlertsFormatType0 | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status

    params["status"] = json_status

    json_metric: list[str] | None | Unset
    if isinstance(metric, Unset):
        json_metric = UNSET
    elif isinstance(metric, list):
        json_metric = []
        for metric_type_0_item_data in metric:
            metric_type_0_item: str = metric_type_0_item_data
            json_metric.append(metric_type_0_item)

    else:
        json_metric = metric
    params["metric"] = json_metric

    json_dimension: list[str] | None | Unset
    if isinstance(dimension, Unset):
        json_dimension = UNSET
    elif isinstance(dimension, list):
        json_dimension = dimension

    else:
        json_dimension = dimension
    params["dimension"] = json_dimension

    json_location_id: list[str] | None | Unset
    if isinstance(location_id, Unset):
        json_location_id = UNSET
    elif isinstance(location_id, list):
        json_location_id = location_id

    else:
        json_location_id = location_id
    params["location_id"] = json_location_id

    json_from_: None | str | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    elif isinstance(from_, datetime.datetime):
        json_from_ = from_.isoformat()
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: None | str | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    elif isinstance(to, datetime.datetime):
        json_to = to.isoformat()
    else:
        json_to = to
    params["to"] = json_to

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    json_format_: None | str | Unset
    if isinstance(format_, Unset):
        json_format_ = UNSET
    elif isinstance(format_, str):
        json_format_ = format_
    else:
        json_format_ = format_
    params["format"] = json_format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/alerts",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AlertPage | Problem | None:
    if response.status_code == 200:
        response_200 = AlertPage.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AlertPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: ListAlertsStatus | Unset = "open",
    metric: list[ListAlertsMetricType0Item] | None | Unset = UNSET,
    dimension: list[str] | None | Unset = UNSET,
    location_id: list[str] | None | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
    format_: ListAlertsFormatType0 | None | Unset = UNSET,
) -> Response[AlertPage | Problem]:
    """List Alerts

     What the service noticed: changes in a metric of one scope that are real (a CUSUM
    against the scope's own past and against the rest of the chain, false discoveries
    controlled across every series checked) and large enough to matter. Newest first.
    CSV (`format=csv`) gives one row per alert with the figures that opened it.

    Example: the open alerts of one branch: `GET /v1/alerts?location_id=lis-03`

    Args:
        status (ListAlertsStatus | Unset): Which alerts (default open). Default: 'open'.
        metric (list[ListAlertsMetricType0Item] | None | Unset): Only these metrics.
        dimension (list[str] | None | Unset): Only scopes of these dimensions (`location_id`...).
        location_id (list[str] | None | Unset): Only alerts about these branches (the branch, or
            its channels, touchpoints and employees). A key bound to a branch sees that branch only.
        from_ (datetime.datetime | None | Unset): Alerts open at some time at or after this
            instant.
        to (datetime.datetime | None | Unset): Alerts opened before this instant.
        limit (int | Unset): Page size. Default: 100.
        cursor (None | str | Unset): `next_cursor` of the previous page.
        format_ (ListAlertsFormatType0 | None | Unset): Overrides the Accept header.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AlertPage | Problem]
    """

    kwargs = _get_kwargs(
        status=status,
        metric=metric,
        dimension=dimension,
        location_id=location_id,
        from_=from_,
        to=to,
        limit=limit,
        cursor=cursor,
        format_=format_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    status: ListAlertsStatus | Unset = "open",
    metric: list[ListAlertsMetricType0Item] | None | Unset = UNSET,
    dimension: list[str] | None | Unset = UNSET,
    location_id: list[str] | None | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
    format_: ListAlertsFormatType0 | None | Unset = UNSET,
) -> AlertPage | Problem | None:
    """List Alerts

     What the service noticed: changes in a metric of one scope that are real (a CUSUM
    against the scope's own past and against the rest of the chain, false discoveries
    controlled across every series checked) and large enough to matter. Newest first.
    CSV (`format=csv`) gives one row per alert with the figures that opened it.

    Example: the open alerts of one branch: `GET /v1/alerts?location_id=lis-03`

    Args:
        status (ListAlertsStatus | Unset): Which alerts (default open). Default: 'open'.
        metric (list[ListAlertsMetricType0Item] | None | Unset): Only these metrics.
        dimension (list[str] | None | Unset): Only scopes of these dimensions (`location_id`...).
        location_id (list[str] | None | Unset): Only alerts about these branches (the branch, or
            its channels, touchpoints and employees). A key bound to a branch sees that branch only.
        from_ (datetime.datetime | None | Unset): Alerts open at some time at or after this
            instant.
        to (datetime.datetime | None | Unset): Alerts opened before this instant.
        limit (int | Unset): Page size. Default: 100.
        cursor (None | str | Unset): `next_cursor` of the previous page.
        format_ (ListAlertsFormatType0 | None | Unset): Overrides the Accept header.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AlertPage | Problem
    """

    return sync_detailed(
        client=client,
        status=status,
        metric=metric,
        dimension=dimension,
        location_id=location_id,
        from_=from_,
        to=to,
        limit=limit,
        cursor=cursor,
        format_=format_,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: ListAlertsStatus | Unset = "open",
    metric: list[ListAlertsMetricType0Item] | None | Unset = UNSET,
    dimension: list[str] | None | Unset = UNSET,
    location_id: list[str] | None | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
    format_: ListAlertsFormatType0 | None | Unset = UNSET,
) -> Response[AlertPage | Problem]:
    """List Alerts

     What the service noticed: changes in a metric of one scope that are real (a CUSUM
    against the scope's own past and against the rest of the chain, false discoveries
    controlled across every series checked) and large enough to matter. Newest first.
    CSV (`format=csv`) gives one row per alert with the figures that opened it.

    Example: the open alerts of one branch: `GET /v1/alerts?location_id=lis-03`

    Args:
        status (ListAlertsStatus | Unset): Which alerts (default open). Default: 'open'.
        metric (list[ListAlertsMetricType0Item] | None | Unset): Only these metrics.
        dimension (list[str] | None | Unset): Only scopes of these dimensions (`location_id`...).
        location_id (list[str] | None | Unset): Only alerts about these branches (the branch, or
            its channels, touchpoints and employees). A key bound to a branch sees that branch only.
        from_ (datetime.datetime | None | Unset): Alerts open at some time at or after this
            instant.
        to (datetime.datetime | None | Unset): Alerts opened before this instant.
        limit (int | Unset): Page size. Default: 100.
        cursor (None | str | Unset): `next_cursor` of the previous page.
        format_ (ListAlertsFormatType0 | None | Unset): Overrides the Accept header.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AlertPage | Problem]
    """

    kwargs = _get_kwargs(
        status=status,
        metric=metric,
        dimension=dimension,
        location_id=location_id,
        from_=from_,
        to=to,
        limit=limit,
        cursor=cursor,
        format_=format_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    status: ListAlertsStatus | Unset = "open",
    metric: list[ListAlertsMetricType0Item] | None | Unset = UNSET,
    dimension: list[str] | None | Unset = UNSET,
    location_id: list[str] | None | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
    format_: ListAlertsFormatType0 | None | Unset = UNSET,
) -> AlertPage | Problem | None:
    """List Alerts

     What the service noticed: changes in a metric of one scope that are real (a CUSUM
    against the scope's own past and against the rest of the chain, false discoveries
    controlled across every series checked) and large enough to matter. Newest first.
    CSV (`format=csv`) gives one row per alert with the figures that opened it.

    Example: the open alerts of one branch: `GET /v1/alerts?location_id=lis-03`

    Args:
        status (ListAlertsStatus | Unset): Which alerts (default open). Default: 'open'.
        metric (list[ListAlertsMetricType0Item] | None | Unset): Only these metrics.
        dimension (list[str] | None | Unset): Only scopes of these dimensions (`location_id`...).
        location_id (list[str] | None | Unset): Only alerts about these branches (the branch, or
            its channels, touchpoints and employees). A key bound to a branch sees that branch only.
        from_ (datetime.datetime | None | Unset): Alerts open at some time at or after this
            instant.
        to (datetime.datetime | None | Unset): Alerts opened before this instant.
        limit (int | Unset): Page size. Default: 100.
        cursor (None | str | Unset): `next_cursor` of the previous page.
        format_ (ListAlertsFormatType0 | None | Unset): Overrides the Accept header.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AlertPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            metric=metric,
            dimension=dimension,
            location_id=location_id,
            from_=from_,
            to=to,
            limit=limit,
            cursor=cursor,
            format_=format_,
        )
    ).parsed
