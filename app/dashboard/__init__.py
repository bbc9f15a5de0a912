"""The dashboard: a read-only page at `/dashboard`, the reference client of the public API.

The server only hands out fixed files (`static/`); everything the page shows is
fetched by its JavaScript from `/v1` with a read key the user types, which never
leaves the browser except as the `Authorization` header of those calls.
"""
