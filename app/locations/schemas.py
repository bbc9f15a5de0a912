from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.timezones import TimeZoneName
from app.types import Name, Slug

LOCATION_EXAMPLE: dict[str, Any] = {
    "name": "Vienna Mariahilf",
    "region": "austria",
    "timezone": "Europe/Vienna",
}


class LocationIn(BaseModel):
    """A branch: its display name, its region in the chain and its IANA time zone."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [LOCATION_EXAMPLE]})

    name: Name
    region: Slug | None = Field(
        default=None, description="The branch's region (a slug); metrics filter and group by it."
    )
    timezone: TimeZoneName = Field(
        default="UTC", description="IANA time zone of the branch, e.g. `Asia/Kolkata`."
    )


class LocationOut(LocationIn):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "vie-07",
                    **LOCATION_EXAMPLE,
                    "created_at": "2026-11-24T09:00:00Z",
                    "updated_at": "2026-11-24T09:00:00Z",
                }
            ]
        },
    )

    id: str
    created_at: datetime
    updated_at: datetime


class LocationPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "id": "vie-07",
                            **LOCATION_EXAMPLE,
                            "created_at": "2026-11-24T09:00:00Z",
                            "updated_at": "2026-11-24T09:00:00Z",
                        }
                    ],
                    "next_cursor": None,
                }
            ]
        }
    )

    items: list[LocationOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )
