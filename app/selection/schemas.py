"""What answers about a selection say about it."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class Window(BaseModel):
    """The half-open window `[from, to)` on occurred_at and the zone of a metrics answer."""

    model_config = ConfigDict(populate_by_name=True)

    from_: datetime = Field(alias="from", description="Window start (inclusive), UTC.")
    to: datetime = Field(description="Window end (exclusive), UTC.")
    tz: str = Field(description="IANA time zone of dates and buckets.")
