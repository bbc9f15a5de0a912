from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.consistency import Consistency
from ...models.metrics_consistency_format_type_0 import (
    MetricsConsistencyFormatType0,
)
from ...models.metrics_consistency_group_by_type_0 import (
    MetricsConsistencyGroupByType0,
)
from ...models.metrics_consistency_metric import MetricsConsistencyMetric
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    group_by: MetricsConsistencyGroupByType0 | str | Unset = "location_id",
    metric: MetricsConsistencyMetric | Unset = "nps",
    min_change: float | None | Unset = UNSET,
    bins: None | str | Unset = UNSET,
    format_: MetricsConsistencyFormatType0 | None | Unset = UNSET,
    metrics: list[str] | None | Unset = UNSET,
    min_n: int | Unset = 30,
    employee_min_n: int | None | Unset = UNSET,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    tz: None | str | Unset = UNSET,
    channel: list[str] | None | Unset = UNSET,
    touchpoint: list[str] | None | Unset = UNSET,
    location_id: list[str] | None | Unset = UNSET,
    region: list[str] | None | Unset = UNSET,
    employee_id: list[str] | None | Unset = UNSET,
    respondent_type: list[str] | None | Unset = UNSET,
    segment: list[str] | None | Unset = UNSET,
    tag: list[str] | None | Unset = UNSET,
    acquisition_source: list[str] | None | Unset = UNSET,
    theme: list[str] | None | Unset = UNSET,
    sentiment: list[str] | None | Unset = UNSET,
    language: list[str] | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_group_by: str | Unset
    if isinstance(group_by, Unset):
        json_group_by = UNSET
    elif isinstance(group_by, str):
        json_group_by = group_by
    else:
        json_group_by = group_by
    params["group_by"] = json_group_by

    json_metric: str | Unset = UNSET
    if not isinstance(metric, Unset):
        json_metric = metric

    params["metric"] = json_metric

    json_min_change: float | None | Unset
    if isinstance(min_change, Unset):
        json_min_change = UNSET
    else:
        json_min_change = min_change
    params["min_change"] = json_min_change

    json_bins: None | str | Unset
    if isinstance(bins, Unset):
        json_bins = UNSET
    else:
        json_bins = bins
    params["bins"] = json_bins

    json_format_: None | str | Unset
    if isinstance(format_, Unset):
        json_format_ = UNSET
    elif isinstance(format_, str):
        json_format_ = format_
    else:
        json_format_ = format_
    params["format"] = json_format_

    json_metrics: list[str] | None | Unset
    if isinstance(metrics, Unset):
        json_metrics = UNSET
    elif isinstance(metrics, list):
        json_metrics = metrics

    else:
        json_metrics = metrics
    params["metrics"] = json_metrics

    params["min_n"] = min_n

    json_employee_min_n: int | None | Unset
    if isinstance(employee_min_n, Unset):
        json_employee_min_n = UNSET
    else:
        json_employee_min_n = employee_min_n
    params["employee_min_n"] = json_employee_min_n

    json_from_: None | str | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: None | str | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    else:
        json_to = to
    params["to"] = json_to

    json_tz: None | str | Unset
    if isinstance(tz, Unset):
        json_tz = UNSET
    else:
        json_tz = tz
    params["tz"] = json_tz

    json_channel: list[str] | None | Unset
    if isinstance(channel, Unset):
        json_channel = UNSET
    elif isinstance(channel, list):
        json_channel = channel

    else:
        json_channel = channel
    params["channel"] = json_channel

    json_touchpoint: list[str] | None | Unset
    if isinstance(touchpoint, Unset):
        json_touchpoint = UNSET
    elif isinstance(touchpoint, list):
        json_touchpoint = touchpoint

    else:
        json_touchpoint = touchpoint
    params["touchpoint"] = json_touchpoint

    json_location_id: list[str] | None | Unset
    if isinstance(location_id, Unset):
        json_location_id = UNSET
    elif isinstance(location_id, list):
        json_location_id = location_id

    else:
        json_location_id = location_id
    params["location_id"] = json_location_id

    json_region: list[str] | None | Unset
    if isinstance(region, Unset):
        json_region = UNSET
    elif isinstance(region, list):
        json_region = region

    else:
        json_region = region
    params["region"] = json_region

    json_employee_id: list[str] | None | Unset
    if isinstance(employee_id, Unset):
        json_employee_id = UNSET
    elif isinstance(employee_id, list):
        json_employee_id = employee_id

    else:
        json_employee_id = employee_id
    params["employee_id"] = json_employee_id

    json_respondent_type: list[str] | None | Unset
    if isinstance(respondent_type, Unset):
        json_respondent_type = UNSET
    elif isinstance(respondent_type, list):
        json_respondent_type = respondent_type

    else:
        json_respondent_type = respondent_type
    params["respondent_type"] = json_respondent_type

    json_segment: list[str] | None | Unset
    if isinstance(segment, Unset):
        json_segment = UNSET
    elif isinstance(segment, list):
        json_segment = segment

    else:
        json_segment = segment
    params["segment"] = json_segment

    json_tag: list[str] | None | Unset
    if isinstance(tag, Unset):
        json_tag = UNSET
    elif isinstance(tag, list):
        json_tag = tag

    else:
        json_tag = tag
    params["tag"] = json_tag

    json_acquisition_source: list[str] | None | Unset
    if isinstance(acquisition_source, Unset):
        json_acquisition_source = UNSET
    elif isinstance(acquisition_source, list):
        json_acquisition_source = acquisition_source

    else:
        json_acquisition_source = acquisition_source
    params["acquisition_source"] = json_acquisition_source

    json_theme: list[str] | None | Unset
    if isinstance(theme, Unset):
        json_theme = UNSET
    elif isinstance(theme, list):
        json_theme = theme

    else:
        json_theme = theme
    params["theme"] = json_theme

    json_sentiment: list[str] | None | Unset
    if isinstance(sentiment, Unset):
        json_sentiment = UNSET
    elif isinstance(sentiment, list):
        json_sentiment = sentiment

    else:
        json_sentiment = sentiment
    params["sentiment"] = json_sentiment

    json_language: list[str] | None | Unset
    if isinstance(language, Unset):
        json_language = UNSET
    elif isinstance(language, list):
        json_language = language

    else:
        json_language = language
    params["language"] = json_language

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/metrics/consistency",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Consistency | Problem | None:
    if response.status_code == 200:
        response_200 = Consistency.from_dict(response.json())

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
) -> Response[Consistency | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    group_by: MetricsConsistencyGroupByType0 | str | Unset = "location_id",
    metric: MetricsConsistencyMetric | Unset = "nps",
    min_change: float | None | Unset = UNSET,
    bins: None | str | Unset = UNSET,
    format_: MetricsConsistencyFormatType0 | None | Unset = UNSET,
    metrics: list[str] | None | Unset = UNSET,
    min_n: int | Unset = 30,
    employee_min_n: int | None | Unset = UNSET,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    tz: None | str | Unset = UNSET,
    channel: list[str] | None | Unset = UNSET,
    touchpoint: list[str] | None | Unset = UNSET,
    location_id: list[str] | None | Unset = UNSET,
    region: list[str] | None | Unset = UNSET,
    employee_id: list[str] | None | Unset = UNSET,
    respondent_type: list[str] | None | Unset = UNSET,
    segment: list[str] | None | Unset = UNSET,
    tag: list[str] | None | Unset = UNSET,
    acquisition_source: list[str] | None | Unset = UNSET,
    theme: list[str] | None | Unset = UNSET,
    sentiment: list[str] | None | Unset = UNSET,
    language: list[str] | None | Unset = UNSET,
) -> Response[Consistency | Problem]:
    """Metrics Consistency

     Does every branch serve equally well? Spread of one metric across the groups with
    n ≥ `min_n` (unweighted mean, population standard deviation, min, max, range), and the
    groups whose whole 95 % interval lies below or above the pooled value (docs/metrics.md).

    With many answers every small difference is significant, so each group also has its
    `difference` from the pooled value and whether it reaches `min_change` (`practical`):
    the groups to act on are in `practical_below` and `practical_above`, significantly and
    practically different. CSV: the rows, with `difference` and `practical`.

    Example: `GET /v1/metrics/consistency?group_by=location_id&metric=csat&min_n=50`

    Example: does every member tier get the same service?
    `GET /v1/metrics/consistency?group_by=attribute:member_tier&metric=nps`

    Args:
        group_by (MetricsConsistencyGroupByType0 | str | Unset): Usually location_id or region.
            `theme` counts an event in each theme its enriched comment mentions (like `tag`);
            `sentiment` and `language` (the comment's resolved one) put the events without an enriched
            comment in the null group. `attribute:<key>` groups by one of the events' attributes, as
            the selection's data says: text, booleans and mixed keys by value (at most
            `FEEDBACK_MAX_ATTRIBUTE_VALUES` distinct values, else 422), numeric keys by value up to
            that many distinct values, into quintiles beyond, or into `bins`; events without the key
            are the null group (`GET /v1/metrics/attributes` lists the keys). Default: 'location_id'.
        metric (MetricsConsistencyMetric | Unset):  Default: 'nps'.
        min_change (float | None | Unset): The smallest difference from the pooled value that
            matters, in the metric's units. Default: the alert rules' minimum change of the metric
            (NPS 10, CSAT 5, CES 0.25 unless `PUT /v1/alert-rules` changed them); none for the other
            metrics.
        bins (None | str | Unset): With `group_by=attribute:<key>` of a numeric key: the bins, as
            ascending edges (`5,10,20`: groups `[..5)`, `[5..10)`, `[10..20)`, `[20..)`, half-open) or
            `quantiles:K` (K 2..20: the edges are the selection's K-quantiles, PostgreSQL's
            percentile_disc, repeats dropped). The answer's `bins` gives the edges and labels. 422
            with another group_by or a key that holds other values than numbers.
        format_ (MetricsConsistencyFormatType0 | None | Unset): Overrides the Accept header.
        metrics (list[str] | None | Unset): Which of nps, csat, ces, servqual, volume (default
            all).
        min_n (int | Unset): Below this n a figure is `low_sample`. Default: 30.
        employee_min_n (int | None | Unset): Per-employee figures from fewer answers are returned
            as null. The service's floor (`FEEDBACK_EMPLOYEE_MIN_N`, default 5) by default; a request
            may raise it, never lower it (422).
        from_ (None | str | Unset): Start (inclusive) of the window on `occurred_at`: RFC 3339
            with offset, or a date (local midnight in `tz`), between 1900-01-01 and 3000-01-01 UTC
            (else 422). Default: 30 days before `to`.
        to (None | str | Unset): End (exclusive) of the window, in the same form and range; at
            most `FEEDBACK_MAX_WINDOW_DAYS` after `from` (else 422). Default: now.
        tz (None | str | Unset): IANA time zone for dates and buckets. Default: the service
            setting.
        channel (list[str] | None | Unset): Repeatable or comma-separated.
        touchpoint (list[str] | None | Unset):
        location_id (list[str] | None | Unset): Repeatable or comma-separated. A key bound to a
            branch reads that branch only, whether or not it names it; naming another is a 403.
        region (list[str] | None | Unset): Regions of registered locations.
        employee_id (list[str] | None | Unset):
        respondent_type (list[str] | None | Unset): customer (default), internal, employee.
            Repeatable.
        segment (list[str] | None | Unset):
        tag (list[str] | None | Unset): Events with any of these tags.

            **Attributes** (`attribute.<key>`): the events' own flat fields filter too, one query
            parameter per key, named `attribute.` and the key (1 to 64 printable characters; at most
            10 keys): `attribute.wait_minutes=5`, `attribute.member=true`,
            `attribute.basket=[20..50)`. Repeatable or comma-separated, like every dimension
            (alternatives). A value matches an attribute of that text form (strings as sent, booleans
            `true`/`false`); a number also every JSON number equal to it (`5` matches 5 and 5.0); a
            bin label `[5..10)`, `[..5)`, `[20..)` the JSON numbers in that half-open range (the
            labels `group_by=attribute:<key>` returns). Such filters read raw events, like `tag`
            (docs/metrics.md, "Attributes as dimensions").
        acquisition_source (list[str] | None | Unset):
        theme (list[str] | None | Unset): Events whose enriched comment mentions any of these
            themes (names as `GET /v1/themes` lists them). Repeatable or comma-separated.
        sentiment (list[str] | None | Unset): Events whose enriched comment has this sentiment:
            negative, neutral, positive. Repeatable or comma-separated.
        language (list[str] | None | Unset): Events whose enriched comment is in this language:
            the comment's resolved language (ISO 639-1 code, or `unknown` for too little text), not
            the event's own `language` field. Repeatable or comma-separated.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Consistency | Problem]
    """

    kwargs = _get_kwargs(
        group_by=group_by,
        metric=metric,
        min_change=min_change,
        bins=bins,
        format_=format_,
        metrics=metrics,
        min_n=min_n,
        employee_min_n=employee_min_n,
        from_=from_,
        to=to,
        tz=tz,
        channel=channel,
        touchpoint=touchpoint,
        location_id=location_id,
        region=region,
        employee_id=employee_id,
        respondent_type=respondent_type,
        segment=segment,
        tag=tag,
        acquisition_source=acquisition_source,
        theme=theme,
        sentiment=sentiment,
        language=language,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    group_by: MetricsConsistencyGroupByType0 | str | Unset = "location_id",
    metric: MetricsConsistencyMetric | Unset = "nps",
    min_change: float | None | Unset = UNSET,
    bins: None | str | Unset = UNSET,
    format_: MetricsConsistencyFormatType0 | None | Unset = UNSET,
    metrics: list[str] | None | Unset = UNSET,
    min_n: int | Unset = 30,
    employee_min_n: int | None | Unset = UNSET,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    tz: None | str | Unset = UNSET,
    channel: list[str] | None | Unset = UNSET,
    touchpoint: list[str] | None | Unset = UNSET,
    location_id: list[str] | None | Unset = UNSET,
    region: list[str] | None | Unset = UNSET,
    employee_id: list[str] | None | Unset = UNSET,
    respondent_type: list[str] | None | Unset = UNSET,
    segment: list[str] | None | Unset = UNSET,
    tag: list[str] | None | Unset = UNSET,
    acquisition_source: list[str] | None | Unset = UNSET,
    theme: list[str] | None | Unset = UNSET,
    sentiment: list[str] | None | Unset = UNSET,
    language: list[str] | None | Unset = UNSET,
) -> Consistency | Problem | None:
    """Metrics Consistency

     Does every branch serve equally well? Spread of one metric across the groups with
    n ≥ `min_n` (unweighted mean, population standard deviation, min, max, range), and the
    groups whose whole 95 % interval lies below or above the pooled value (docs/metrics.md).

    With many answers every small difference is significant, so each group also has its
    `difference` from the pooled value and whether it reaches `min_change` (`practical`):
    the groups to act on are in `practical_below` and `practical_above`, significantly and
    practically different. CSV: the rows, with `difference` and `practical`.

    Example: `GET /v1/metrics/consistency?group_by=location_id&metric=csat&min_n=50`

    Example: does every member tier get the same service?
    `GET /v1/metrics/consistency?group_by=attribute:member_tier&metric=nps`

    Args:
        group_by (MetricsConsistencyGroupByType0 | str | Unset): Usually location_id or region.
            `theme` counts an event in each theme its enriched comment mentions (like `tag`);
            `sentiment` and `language` (the comment's resolved one) put the events without an enriched
            comment in the null group. `attribute:<key>` groups by one of the events' attributes, as
            the selection's data says: text, booleans and mixed keys by value (at most
            `FEEDBACK_MAX_ATTRIBUTE_VALUES` distinct values, else 422), numeric keys by value up to
            that many distinct values, into quintiles beyond, or into `bins`; events without the key
            are the null group (`GET /v1/metrics/attributes` lists the keys). Default: 'location_id'.
        metric (MetricsConsistencyMetric | Unset):  Default: 'nps'.
        min_change (float | None | Unset): The smallest difference from the pooled value that
            matters, in the metric's units. Default: the alert rules' minimum change of the metric
            (NPS 10, CSAT 5, CES 0.25 unless `PUT /v1/alert-rules` changed them); none for the other
            metrics.
        bins (None | str | Unset): With `group_by=attribute:<key>` of a numeric key: the bins, as
            ascending edges (`5,10,20`: groups `[..5)`, `[5..10)`, `[10..20)`, `[20..)`, half-open) or
            `quantiles:K` (K 2..20: the edges are the selection's K-quantiles, PostgreSQL's
            percentile_disc, repeats dropped). The answer's `bins` gives the edges and labels. 422
            with another group_by or a key that holds other values than numbers.
        format_ (MetricsConsistencyFormatType0 | None | Unset): Overrides the Accept header.
        metrics (list[str] | None | Unset): Which of nps, csat, ces, servqual, volume (default
            all).
        min_n (int | Unset): Below this n a figure is `low_sample`. Default: 30.
        employee_min_n (int | None | Unset): Per-employee figures from fewer answers are returned
            as null. The service's floor (`FEEDBACK_EMPLOYEE_MIN_N`, default 5) by default; a request
            may raise it, never lower it (422).
        from_ (None | str | Unset): Start (inclusive) of the window on `occurred_at`: RFC 3339
            with offset, or a date (local midnight in `tz`), between 1900-01-01 and 3000-01-01 UTC
            (else 422). Default: 30 days before `to`.
        to (None | str | Unset): End (exclusive) of the window, in the same form and range; at
            most `FEEDBACK_MAX_WINDOW_DAYS` after `from` (else 422). Default: now.
        tz (None | str | Unset): IANA time zone for dates and buckets. Default: the service
            setting.
        channel (list[str] | None | Unset): Repeatable or comma-separated.
        touchpoint (list[str] | None | Unset):
        location_id (list[str] | None | Unset): Repeatable or comma-separated. A key bound to a
            branch reads that branch only, whether or not it names it; naming another is a 403.
        region (list[str] | None | Unset): Regions of registered locations.
        employee_id (list[str] | None | Unset):
        respondent_type (list[str] | None | Unset): customer (default), internal, employee.
            Repeatable.
        segment (list[str] | None | Unset):
        tag (list[str] | None | Unset): Events with any of these tags.

            **Attributes** (`attribute.<key>`): the events' own flat fields filter too, one query
            parameter per key, named `attribute.` and the key (1 to 64 printable characters; at most
            10 keys): `attribute.wait_minutes=5`, `attribute.member=true`,
            `attribute.basket=[20..50)`. Repeatable or comma-separated, like every dimension
            (alternatives). A value matches an attribute of that text form (strings as sent, booleans
            `true`/`false`); a number also every JSON number equal to it (`5` matches 5 and 5.0); a
            bin label `[5..10)`, `[..5)`, `[20..)` the JSON numbers in that half-open range (the
            labels `group_by=attribute:<key>` returns). Such filters read raw events, like `tag`
            (docs/metrics.md, "Attributes as dimensions").
        acquisition_source (list[str] | None | Unset):
        theme (list[str] | None | Unset): Events whose enriched comment mentions any of these
            themes (names as `GET /v1/themes` lists them). Repeatable or comma-separated.
        sentiment (list[str] | None | Unset): Events whose enriched comment has this sentiment:
            negative, neutral, positive. Repeatable or comma-separated.
        language (list[str] | None | Unset): Events whose enriched comment is in this language:
            the comment's resolved language (ISO 639-1 code, or `unknown` for too little text), not
            the event's own `language` field. Repeatable or comma-separated.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Consistency | Problem
    """

    return sync_detailed(
        client=client,
        group_by=group_by,
        metric=metric,
        min_change=min_change,
        bins=bins,
        format_=format_,
        metrics=metrics,
        min_n=min_n,
        employee_min_n=employee_min_n,
        from_=from_,
        to=to,
        tz=tz,
        channel=channel,
        touchpoint=touchpoint,
        location_id=location_id,
        region=region,
        employee_id=employee_id,
        respondent_type=respondent_type,
        segment=segment,
        tag=tag,
        acquisition_source=acquisition_source,
        theme=theme,
        sentiment=sentiment,
        language=language,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    group_by: MetricsConsistencyGroupByType0 | str | Unset = "location_id",
    metric: MetricsConsistencyMetric | Unset = "nps",
    min_change: float | None | Unset = UNSET,
    bins: None | str | Unset = UNSET,
    format_: MetricsConsistencyFormatType0 | None | Unset = UNSET,
    metrics: list[str] | None | Unset = UNSET,
    min_n: int | Unset = 30,
    employee_min_n: int | None | Unset = UNSET,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    tz: None | str | Unset = UNSET,
    channel: list[str] | None | Unset = UNSET,
    touchpoint: list[str] | None | Unset = UNSET,
    location_id: list[str] | None | Unset = UNSET,
    region: list[str] | None | Unset = UNSET,
    employee_id: list[str] | None | Unset = UNSET,
    respondent_type: list[str] | None | Unset = UNSET,
    segment: list[str] | None | Unset = UNSET,
    tag: list[str] | None | Unset = UNSET,
    acquisition_source: list[str] | None | Unset = UNSET,
    theme: list[str] | None | Unset = UNSET,
    sentiment: list[str] | None | Unset = UNSET,
    language: list[str] | None | Unset = UNSET,
) -> Response[Consistency | Problem]:
    """Metrics Consistency

     Does every branch serve equally well? Spread of one metric across the groups with
    n ≥ `min_n` (unweighted mean, population standard deviation, min, max, range), and the
    groups whose whole 95 % interval lies below or above the pooled value (docs/metrics.md).

    With many answers every small difference is significant, so each group also has its
    `difference` from the pooled value and whether it reaches `min_change` (`practical`):
    the groups to act on are in `practical_below` and `practical_above`, significantly and
    practically different. CSV: the rows, with `difference` and `practical`.

    Example: `GET /v1/metrics/consistency?group_by=location_id&metric=csat&min_n=50`

    Example: does every member tier get the same service?
    `GET /v1/metrics/consistency?group_by=attribute:member_tier&metric=nps`

    Args:
        group_by (MetricsConsistencyGroupByType0 | str | Unset): Usually location_id or region.
            `theme` counts an event in each theme its enriched comment mentions (like `tag`);
            `sentiment` and `language` (the comment's resolved one) put the events without an enriched
            comment in the null group. `attribute:<key>` groups by one of the events' attributes, as
            the selection's data says: text, booleans and mixed keys by value (at most
            `FEEDBACK_MAX_ATTRIBUTE_VALUES` distinct values, else 422), numeric keys by value up to
            that many distinct values, into quintiles beyond, or into `bins`; events without the key
            are the null group (`GET /v1/metrics/attributes` lists the keys). Default: 'location_id'.
        metric (MetricsConsistencyMetric | Unset):  Default: 'nps'.
        min_change (float | None | Unset): The smallest difference from the pooled value that
            matters, in the metric's units. Default: the alert rules' minimum change of the metric
            (NPS 10, CSAT 5, CES 0.25 unless `PUT /v1/alert-rules` changed them); none for the other
            metrics.
        bins (None | str | Unset): With `group_by=attribute:<key>` of a numeric key: the bins, as
            ascending edges (`5,10,20`: groups `[..5)`, `[5..10)`, `[10..20)`, `[20..)`, half-open) or
            `quantiles:K` (K 2..20: the edges are the selection's K-quantiles, PostgreSQL's
            percentile_disc, repeats dropped). The answer's `bins` gives the edges and labels. 422
            with another group_by or a key that holds other values than numbers.
        format_ (MetricsConsistencyFormatType0 | None | Unset): Overrides the Accept header.
        metrics (list[str] | None | Unset): Which of nps, csat, ces, servqual, volume (default
            all).
        min_n (int | Unset): Below this n a figure is `low_sample`. Default: 30.
        employee_min_n (int | None | Unset): Per-employee figures from fewer answers are returned
            as null. The service's floor (`FEEDBACK_EMPLOYEE_MIN_N`, default 5) by default; a request
            may raise it, never lower it (422).
        from_ (None | str | Unset): Start (inclusive) of the window on `occurred_at`: RFC 3339
            with offset, or a date (local midnight in `tz`), between 1900-01-01 and 3000-01-01 UTC
            (else 422). Default: 30 days before `to`.
        to (None | str | Unset): End (exclusive) of the window, in the same form and range; at
            most `FEEDBACK_MAX_WINDOW_DAYS` after `from` (else 422). Default: now.
        tz (None | str | Unset): IANA time zone for dates and buckets. Default: the service
            setting.
        channel (list[str] | None | Unset): Repeatable or comma-separated.
        touchpoint (list[str] | None | Unset):
        location_id (list[str] | None | Unset): Repeatable or comma-separated. A key bound to a
            branch reads that branch only, whether or not it names it; naming another is a 403.
        region (list[str] | None | Unset): Regions of registered locations.
        employee_id (list[str] | None | Unset):
        respondent_type (list[str] | None | Unset): customer (default), internal, employee.
            Repeatable.
        segment (list[str] | None | Unset):
        tag (list[str] | None | Unset): Events with any of these tags.

            **Attributes** (`attribute.<key>`): the events' own flat fields filter too, one query
            parameter per key, named `attribute.` and the key (1 to 64 printable characters; at most
            10 keys): `attribute.wait_minutes=5`, `attribute.member=true`,
            `attribute.basket=[20..50)`. Repeatable or comma-separated, like every dimension
            (alternatives). A value matches an attribute of that text form (strings as sent, booleans
            `true`/`false`); a number also every JSON number equal to it (`5` matches 5 and 5.0); a
            bin label `[5..10)`, `[..5)`, `[20..)` the JSON numbers in that half-open range (the
            labels `group_by=attribute:<key>` returns). Such filters read raw events, like `tag`
            (docs/metrics.md, "Attributes as dimensions").
        acquisition_source (list[str] | None | Unset):
        theme (list[str] | None | Unset): Events whose enriched comment mentions any of these
            themes (names as `GET /v1/themes` lists them). Repeatable or comma-separated.
        sentiment (list[str] | None | Unset): Events whose enriched comment has this sentiment:
            negative, neutral, positive. Repeatable or comma-separated.
        language (list[str] | None | Unset): Events whose enriched comment is in this language:
            the comment's resolved language (ISO 639-1 code, or `unknown` for too little text), not
            the event's own `language` field. Repeatable or comma-separated.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Consistency | Problem]
    """

    kwargs = _get_kwargs(
        group_by=group_by,
        metric=metric,
        min_change=min_change,
        bins=bins,
        format_=format_,
        metrics=metrics,
        min_n=min_n,
        employee_min_n=employee_min_n,
        from_=from_,
        to=to,
        tz=tz,
        channel=channel,
        touchpoint=touchpoint,
        location_id=location_id,
        region=region,
        employee_id=employee_id,
        respondent_type=respondent_type,
        segment=segment,
        tag=tag,
        acquisition_source=acquisition_source,
        theme=theme,
        sentiment=sentiment,
        language=language,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    group_by: MetricsConsistencyGroupByType0 | str | Unset = "location_id",
    metric: MetricsConsistencyMetric | Unset = "nps",
    min_change: float | None | Unset = UNSET,
    bins: None | str | Unset = UNSET,
    format_: MetricsConsistencyFormatType0 | None | Unset = UNSET,
    metrics: list[str] | None | Unset = UNSET,
    min_n: int | Unset = 30,
    employee_min_n: int | None | Unset = UNSET,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    tz: None | str | Unset = UNSET,
    channel: list[str] | None | Unset = UNSET,
    touchpoint: list[str] | None | Unset = UNSET,
    location_id: list[str] | None | Unset = UNSET,
    region: list[str] | None | Unset = UNSET,
    employee_id: list[str] | None | Unset = UNSET,
    respondent_type: list[str] | None | Unset = UNSET,
    segment: list[str] | None | Unset = UNSET,
    tag: list[str] | None | Unset = UNSET,
    acquisition_source: list[str] | None | Unset = UNSET,
    theme: list[str] | None | Unset = UNSET,
    sentiment: list[str] | None | Unset = UNSET,
    language: list[str] | None | Unset = UNSET,
) -> Consistency | Problem | None:
    """Metrics Consistency

     Does every branch serve equally well? Spread of one metric across the groups with
    n ≥ `min_n` (unweighted mean, population standard deviation, min, max, range), and the
    groups whose whole 95 % interval lies below or above the pooled value (docs/metrics.md).

    With many answers every small difference is significant, so each group also has its
    `difference` from the pooled value and whether it reaches `min_change` (`practical`):
    the groups to act on are in `practical_below` and `practical_above`, significantly and
    practically different. CSV: the rows, with `difference` and `practical`.

    Example: `GET /v1/metrics/consistency?group_by=location_id&metric=csat&min_n=50`

    Example: does every member tier get the same service?
    `GET /v1/metrics/consistency?group_by=attribute:member_tier&metric=nps`

    Args:
        group_by (MetricsConsistencyGroupByType0 | str | Unset): Usually location_id or region.
            `theme` counts an event in each theme its enriched comment mentions (like `tag`);
            `sentiment` and `language` (the comment's resolved one) put the events without an enriched
            comment in the null group. `attribute:<key>` groups by one of the events' attributes, as
            the selection's data says: text, booleans and mixed keys by value (at most
            `FEEDBACK_MAX_ATTRIBUTE_VALUES` distinct values, else 422), numeric keys by value up to
            that many distinct values, into quintiles beyond, or into `bins`; events without the key
            are the null group (`GET /v1/metrics/attributes` lists the keys). Default: 'location_id'.
        metric (MetricsConsistencyMetric | Unset):  Default: 'nps'.
        min_change (float | None | Unset): The smallest difference from the pooled value that
            matters, in the metric's units. Default: the alert rules' minimum change of the metric
            (NPS 10, CSAT 5, CES 0.25 unless `PUT /v1/alert-rules` changed them); none for the other
            metrics.
        bins (None | str | Unset): With `group_by=attribute:<key>` of a numeric key: the bins, as
            ascending edges (`5,10,20`: groups `[..5)`, `[5..10)`, `[10..20)`, `[20..)`, half-open) or
            `quantiles:K` (K 2..20: the edges are the selection's K-quantiles, PostgreSQL's
            percentile_disc, repeats dropped). The answer's `bins` gives the edges and labels. 422
            with another group_by or a key that holds other values than numbers.
        format_ (MetricsConsistencyFormatType0 | None | Unset): Overrides the Accept header.
        metrics (list[str] | None | Unset): Which of nps, csat, ces, servqual, volume (default
            all).
        min_n (int | Unset): Below this n a figure is `low_sample`. Default: 30.
        employee_min_n (int | None | Unset): Per-employee figures from fewer answers are returned
            as null. The service's floor (`FEEDBACK_EMPLOYEE_MIN_N`, default 5) by default; a request
            may raise it, never lower it (422).
        from_ (None | str | Unset): Start (inclusive) of the window on `occurred_at`: RFC 3339
            with offset, or a date (local midnight in `tz`), between 1900-01-01 and 3000-01-01 UTC
            (else 422). Default: 30 days before `to`.
        to (None | str | Unset): End (exclusive) of the window, in the same form and range; at
            most `FEEDBACK_MAX_WINDOW_DAYS` after `from` (else 422). Default: now.
        tz (None | str | Unset): IANA time zone for dates and buckets. Default: the service
            setting.
        channel (list[str] | None | Unset): Repeatable or comma-separated.
        touchpoint (list[str] | None | Unset):
        location_id (list[str] | None | Unset): Repeatable or comma-separated. A key bound to a
            branch reads that branch only, whether or not it names it; naming another is a 403.
        region (list[str] | None | Unset): Regions of registered locations.
        employee_id (list[str] | None | Unset):
        respondent_type (list[str] | None | Unset): customer (default), internal, employee.
            Repeatable.
        segment (list[str] | None | Unset):
        tag (list[str] | None | Unset): Events with any of these tags.

            **Attributes** (`attribute.<key>`): the events' own flat fields filter too, one query
            parameter per key, named `attribute.` and the key (1 to 64 printable characters; at most
            10 keys): `attribute.wait_minutes=5`, `attribute.member=true`,
            `attribute.basket=[20..50)`. Repeatable or comma-separated, like every dimension
            (alternatives). A value matches an attribute of that text form (strings as sent, booleans
            `true`/`false`); a number also every JSON number equal to it (`5` matches 5 and 5.0); a
            bin label `[5..10)`, `[..5)`, `[20..)` the JSON numbers in that half-open range (the
            labels `group_by=attribute:<key>` returns). Such filters read raw events, like `tag`
            (docs/metrics.md, "Attributes as dimensions").
        acquisition_source (list[str] | None | Unset):
        theme (list[str] | None | Unset): Events whose enriched comment mentions any of these
            themes (names as `GET /v1/themes` lists them). Repeatable or comma-separated.
        sentiment (list[str] | None | Unset): Events whose enriched comment has this sentiment:
            negative, neutral, positive. Repeatable or comma-separated.
        language (list[str] | None | Unset): Events whose enriched comment is in this language:
            the comment's resolved language (ISO 639-1 code, or `unknown` for too little text), not
            the event's own `language` field. Repeatable or comma-separated.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Consistency | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            group_by=group_by,
            metric=metric,
            min_change=min_change,
            bins=bins,
            format_=format_,
            metrics=metrics,
            min_n=min_n,
            employee_min_n=employee_min_n,
            from_=from_,
            to=to,
            tz=tz,
            channel=channel,
            touchpoint=touchpoint,
            location_id=location_id,
            region=region,
            employee_id=employee_id,
            respondent_type=respondent_type,
            segment=segment,
            tag=tag,
            acquisition_source=acquisition_source,
            theme=theme,
            sentiment=sentiment,
            language=language,
        )
    ).parsed
