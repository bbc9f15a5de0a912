from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.emerging_themes import EmergingThemes
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    min_comments: int | Unset = 5,
    fdr: float | Unset = 0.05,
    limit: int | Unset = 10,
    previous_from: None | str | Unset = UNSET,
    previous_to: None | str | Unset = UNSET,
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

    params["min_comments"] = min_comments

    params["fdr"] = fdr

    params["limit"] = limit

    json_previous_from: None | str | Unset
    if isinstance(previous_from, Unset):
        json_previous_from = UNSET
    else:
        json_previous_from = previous_from
    params["previous_from"] = json_previous_from

    json_previous_to: None | str | Unset
    if isinstance(previous_to, Unset):
        json_previous_to = UNSET
    else:
        json_previous_to = previous_to
    params["previous_to"] = json_previous_to

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
        "url": "/v1/themes/emerging",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EmergingThemes | Problem | None:
    if response.status_code == 200:
        response_200 = EmergingThemes.from_dict(response.json())

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
) -> Response[EmergingThemes | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    min_comments: int | Unset = 5,
    fdr: float | Unset = 0.05,
    limit: int | Unset = 10,
    previous_from: None | str | Unset = UNSET,
    previous_to: None | str | Unset = UNSET,
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
) -> Response[EmergingThemes | Problem]:
    """Emerging Themes

     What the comments that fit no theme talk about more than before: a new problem
    (a broken terminal, a rude new hire) before anyone defines a theme for it.

    Among the enriched comments of the window with no theme, each content word of their
    key phrases (per language) that is mentioned in at least `min_comments` of them is
    tested for growth against the previous window (one-sided binomial test given its
    mentions in both, Benjamini-Hochberg across all words tested). Words with an
    adjusted p-value of at most `fdr` and a rate ratio of at least 1.5 grow; growing
    words of one language mentioned in the same comments (Jaccard index of at least
    0.25) form one group. Each group shows its words, its comments now and before,
    its most frequent key phrases, its most recent comments and their sentiment;
    the groups with the most comments first. The window and dimension filters are
    those of the metrics (external customers unless `respondent_type` is given;
    `sentiment` and `language` select comments, `theme` is refused: these comments
    have none); a key bound to a branch reads that branch only. Filtering by
    `employee_id` needs an admin key, as for event lists (the examples are single
    comments). The previous window is the one of equal length just before `from`, or
    `previous_from`/`previous_to`, ending by `from`.

    Example: `GET /v1/themes/emerging?from=2026-11-01&to=2026-12-01&location_id=vie-07`

    Args:
        min_comments (int | Unset): Words mentioned in fewer comments of the window are not
            tested. Default: 5.
        fdr (float | Unset): False discovery rate: the largest Benjamini-Hochberg adjusted p-value
            of a word reported. Default: 0.05.
        limit (int | Unset): Most groups shown. Default: 10.
        previous_from (None | str | Unset): Start of the previous window (default: the window of
            equal length just before `from`); same form, range and length limit as `from`/`to`, given
            together with `previous_to`, ending by `from`.
        previous_to (None | str | Unset): End of the previous window.
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
        Response[EmergingThemes | Problem]
    """

    kwargs = _get_kwargs(
        min_comments=min_comments,
        fdr=fdr,
        limit=limit,
        previous_from=previous_from,
        previous_to=previous_to,
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
    min_comments: int | Unset = 5,
    fdr: float | Unset = 0.05,
    limit: int | Unset = 10,
    previous_from: None | str | Unset = UNSET,
    previous_to: None | str | Unset = UNSET,
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
) -> EmergingThemes | Problem | None:
    """Emerging Themes

     What the comments that fit no theme talk about more than before: a new problem
    (a broken terminal, a rude new hire) before anyone defines a theme for it.

    Among the enriched comments of the window with no theme, each content word of their
    key phrases (per language) that is mentioned in at least `min_comments` of them is
    tested for growth against the previous window (one-sided binomial test given its
    mentions in both, Benjamini-Hochberg across all words tested). Words with an
    adjusted p-value of at most `fdr` and a rate ratio of at least 1.5 grow; growing
    words of one language mentioned in the same comments (Jaccard index of at least
    0.25) form one group. Each group shows its words, its comments now and before,
    its most frequent key phrases, its most recent comments and their sentiment;
    the groups with the most comments first. The window and dimension filters are
    those of the metrics (external customers unless `respondent_type` is given;
    `sentiment` and `language` select comments, `theme` is refused: these comments
    have none); a key bound to a branch reads that branch only. Filtering by
    `employee_id` needs an admin key, as for event lists (the examples are single
    comments). The previous window is the one of equal length just before `from`, or
    `previous_from`/`previous_to`, ending by `from`.

    Example: `GET /v1/themes/emerging?from=2026-11-01&to=2026-12-01&location_id=vie-07`

    Args:
        min_comments (int | Unset): Words mentioned in fewer comments of the window are not
            tested. Default: 5.
        fdr (float | Unset): False discovery rate: the largest Benjamini-Hochberg adjusted p-value
            of a word reported. Default: 0.05.
        limit (int | Unset): Most groups shown. Default: 10.
        previous_from (None | str | Unset): Start of the previous window (default: the window of
            equal length just before `from`); same form, range and length limit as `from`/`to`, given
            together with `previous_to`, ending by `from`.
        previous_to (None | str | Unset): End of the previous window.
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
        EmergingThemes | Problem
    """

    return sync_detailed(
        client=client,
        min_comments=min_comments,
        fdr=fdr,
        limit=limit,
        previous_from=previous_from,
        previous_to=previous_to,
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
    min_comments: int | Unset = 5,
    fdr: float | Unset = 0.05,
    limit: int | Unset = 10,
    previous_from: None | str | Unset = UNSET,
    previous_to: None | str | Unset = UNSET,
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
) -> Response[EmergingThemes | Problem]:
    """Emerging Themes

     What the comments that fit no theme talk about more than before: a new problem
    (a broken terminal, a rude new hire) before anyone defines a theme for it.

    Among the enriched comments of the window with no theme, each content word of their
    key phrases (per language) that is mentioned in at least `min_comments` of them is
    tested for growth against the previous window (one-sided binomial test given its
    mentions in both, Benjamini-Hochberg across all words tested). Words with an
    adjusted p-value of at most `fdr` and a rate ratio of at least 1.5 grow; growing
    words of one language mentioned in the same comments (Jaccard index of at least
    0.25) form one group. Each group shows its words, its comments now and before,
    its most frequent key phrases, its most recent comments and their sentiment;
    the groups with the most comments first. The window and dimension filters are
    those of the metrics (external customers unless `respondent_type` is given;
    `sentiment` and `language` select comments, `theme` is refused: these comments
    have none); a key bound to a branch reads that branch only. Filtering by
    `employee_id` needs an admin key, as for event lists (the examples are single
    comments). The previous window is the one of equal length just before `from`, or
    `previous_from`/`previous_to`, ending by `from`.

    Example: `GET /v1/themes/emerging?from=2026-11-01&to=2026-12-01&location_id=vie-07`

    Args:
        min_comments (int | Unset): Words mentioned in fewer comments of the window are not
            tested. Default: 5.
        fdr (float | Unset): False discovery rate: the largest Benjamini-Hochberg adjusted p-value
            of a word reported. Default: 0.05.
        limit (int | Unset): Most groups shown. Default: 10.
        previous_from (None | str | Unset): Start of the previous window (default: the window of
            equal length just before `from`); same form, range and length limit as `from`/`to`, given
            together with `previous_to`, ending by `from`.
        previous_to (None | str | Unset): End of the previous window.
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
        Response[EmergingThemes | Problem]
    """

    kwargs = _get_kwargs(
        min_comments=min_comments,
        fdr=fdr,
        limit=limit,
        previous_from=previous_from,
        previous_to=previous_to,
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
    min_comments: int | Unset = 5,
    fdr: float | Unset = 0.05,
    limit: int | Unset = 10,
    previous_from: None | str | Unset = UNSET,
    previous_to: None | str | Unset = UNSET,
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
) -> EmergingThemes | Problem | None:
    """Emerging Themes

     What the comments that fit no theme talk about more than before: a new problem
    (a broken terminal, a rude new hire) before anyone defines a theme for it.

    Among the enriched comments of the window with no theme, each content word of their
    key phrases (per language) that is mentioned in at least `min_comments` of them is
    tested for growth against the previous window (one-sided binomial test given its
    mentions in both, Benjamini-Hochberg across all words tested). Words with an
    adjusted p-value of at most `fdr` and a rate ratio of at least 1.5 grow; growing
    words of one language mentioned in the same comments (Jaccard index of at least
    0.25) form one group. Each group shows its words, its comments now and before,
    its most frequent key phrases, its most recent comments and their sentiment;
    the groups with the most comments first. The window and dimension filters are
    those of the metrics (external customers unless `respondent_type` is given;
    `sentiment` and `language` select comments, `theme` is refused: these comments
    have none); a key bound to a branch reads that branch only. Filtering by
    `employee_id` needs an admin key, as for event lists (the examples are single
    comments). The previous window is the one of equal length just before `from`, or
    `previous_from`/`previous_to`, ending by `from`.

    Example: `GET /v1/themes/emerging?from=2026-11-01&to=2026-12-01&location_id=vie-07`

    Args:
        min_comments (int | Unset): Words mentioned in fewer comments of the window are not
            tested. Default: 5.
        fdr (float | Unset): False discovery rate: the largest Benjamini-Hochberg adjusted p-value
            of a word reported. Default: 0.05.
        limit (int | Unset): Most groups shown. Default: 10.
        previous_from (None | str | Unset): Start of the previous window (default: the window of
            equal length just before `from`); same form, range and length limit as `from`/`to`, given
            together with `previous_to`, ending by `from`.
        previous_to (None | str | Unset): End of the previous window.
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
        EmergingThemes | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            min_comments=min_comments,
            fdr=fdr,
            limit=limit,
            previous_from=previous_from,
            previous_to=previous_to,
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
