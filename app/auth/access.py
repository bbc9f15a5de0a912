"""What a key may read of a selection: a key bound to a branch reads that branch only.

The one place bound read keys are enforced on metrics, event lists, exports and the
follow-up figures: routes take `ReadSelection` or `ReadMetricSelection`, the selection's
filters as asked (app.selection.filters), narrowed to the key's branch.
"""

from dataclasses import replace
from typing import Annotated

from fastapi import Depends

from app.auth.dependencies import ReadKey
from app.auth.service import Principal
from app.selection.filters import Selection, event_filters, metric_filters


def narrowed(filters: Selection, key: Principal) -> Selection:
    """The filters as `key` may read them: a bound key its own branch (403 for another)."""
    if key.location_id is None:
        return filters
    branches = key.branches(filters.dimensions.get("location_id", ()))
    return replace(filters, dimensions={**filters.dimensions, "location_id": branches})


async def readable_filters(
    key: ReadKey, filters: Annotated[Selection, Depends(event_filters)]
) -> Selection:
    return narrowed(filters, key)


async def readable_metric_filters(
    key: ReadKey, filters: Annotated[Selection, Depends(metric_filters)]
) -> Selection:
    return narrowed(filters, key)


ReadSelection = Annotated[Selection, Depends(readable_filters)]
ReadMetricSelection = Annotated[Selection, Depends(readable_metric_filters)]
