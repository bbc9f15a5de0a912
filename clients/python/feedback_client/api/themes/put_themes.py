from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.themes import Themes
from ...models.themes_in import ThemesIn
from ...types import Response


def _get_kwargs(
    *,
    body: ThemesIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/themes",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Themes | None:
    if response.status_code == 200:
        response_200 = Themes.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Themes]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ThemesIn,
) -> Response[Problem | Themes]:
    """Put Themes

     Replace the themes an admin defines (a theme named like a default one replaces
    it; `{"themes": []}` goes back to the defaults). When the themes in force change,
    every stored comment is sorted again in the background (`rebuilding` is true until
    it is done; `feedback text status` shows the progress).

    Args:
        body (ThemesIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Themes]
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
    body: ThemesIn,
) -> Problem | Themes | None:
    """Put Themes

     Replace the themes an admin defines (a theme named like a default one replaces
    it; `{"themes": []}` goes back to the defaults). When the themes in force change,
    every stored comment is sorted again in the background (`rebuilding` is true until
    it is done; `feedback text status` shows the progress).

    Args:
        body (ThemesIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Themes
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ThemesIn,
) -> Response[Problem | Themes]:
    """Put Themes

     Replace the themes an admin defines (a theme named like a default one replaces
    it; `{"themes": []}` goes back to the defaults). When the themes in force change,
    every stored comment is sorted again in the background (`rebuilding` is true until
    it is done; `feedback text status` shows the progress).

    Args:
        body (ThemesIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Themes]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ThemesIn,
) -> Problem | Themes | None:
    """Put Themes

     Replace the themes an admin defines (a theme named like a default one replaces
    it; `{"themes": []}` goes back to the defaults). When the themes in force change,
    every stored comment is sorted again in the background (`rebuilding` is true until
    it is done; `feedback text status` shows the progress).

    Args:
        body (ThemesIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Themes
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
