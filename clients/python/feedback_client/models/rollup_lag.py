from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RollupLag")


@_attrs_define
class RollupLag:
    """How far the rollups are behind. Answers are exact anyway (the rest is read raw);
    a growing lag only makes them slower, so it is reported, not failed on.

        Attributes:
            lag_seconds (float): Age of the oldest event not rolled up; 0 if none.
            pending_events (int): Committed events not rolled up yet (capped).
            watermark (int): Every event with id up to this is rolled up.
    """

    lag_seconds: float
    pending_events: int
    watermark: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        lag_seconds = self.lag_seconds

        pending_events = self.pending_events

        watermark = self.watermark

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "lag_seconds": lag_seconds,
                "pending_events": pending_events,
                "watermark": watermark,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        lag_seconds = d.pop("lag_seconds")

        pending_events = d.pop("pending_events")

        watermark = d.pop("watermark")

        rollup_lag = cls(
            lag_seconds=lag_seconds,
            pending_events=pending_events,
            watermark=watermark,
        )

        rollup_lag.additional_properties = d
        return rollup_lag

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
