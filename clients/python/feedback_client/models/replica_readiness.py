from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.replica_readiness_reads import ReplicaReadinessReads, check_replica_readiness_reads
from ..models.replica_readiness_state import ReplicaReadinessState, check_replica_readiness_state

T = TypeVar("T", bound="ReplicaReadiness")


@_attrs_define
class ReplicaReadiness:
    """The read replica (`FEEDBACK_READ_DATABASE_URL`) as this worker's latest check found
    it. Never fails readiness: while it is lagging or down, reads go to the primary.

        Attributes:
            checked_at (datetime.datetime | None): When it was last checked.
            detail (None | str): Why it is lagging or down.
            lag_seconds (float | None): How far its replay is behind the primary; null when not known (down).
            max_lag_seconds (float): `FEEDBACK_READ_MAX_LAG_SECONDS`.
            reads (ReplicaReadinessReads): Where the metrics, event lists, exports and reports read now: the replica only
                while it is healthy, else falling back to the primary.
            replayed_at (datetime.datetime | None): Commit time of the last transaction it replayed (null: none since it
                started, or down).
            rollup_watermark (int | None): The rollup watermark it holds.
            state (ReplicaReadinessState): `healthy`: answers, is a standby, and its replay is within `max_lag_seconds` of
                the primary; `lagging`: further behind (or by an unknown time); `down`: does not answer, or is no standby.
    """

    checked_at: datetime.datetime | None
    detail: None | str
    lag_seconds: float | None
    max_lag_seconds: float
    reads: ReplicaReadinessReads
    replayed_at: datetime.datetime | None
    rollup_watermark: int | None
    state: ReplicaReadinessState
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        checked_at: None | str
        if isinstance(self.checked_at, datetime.datetime):
            checked_at = self.checked_at.isoformat()
        else:
            checked_at = self.checked_at

        detail: None | str
        detail = self.detail

        lag_seconds: float | None
        lag_seconds = self.lag_seconds

        max_lag_seconds = self.max_lag_seconds

        reads: str = self.reads

        replayed_at: None | str
        if isinstance(self.replayed_at, datetime.datetime):
            replayed_at = self.replayed_at.isoformat()
        else:
            replayed_at = self.replayed_at

        rollup_watermark: int | None
        rollup_watermark = self.rollup_watermark

        state: str = self.state

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "checked_at": checked_at,
                "detail": detail,
                "lag_seconds": lag_seconds,
                "max_lag_seconds": max_lag_seconds,
                "reads": reads,
                "replayed_at": replayed_at,
                "rollup_watermark": rollup_watermark,
                "state": state,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_checked_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                checked_at_type_0 = datetime.datetime.fromisoformat(data)

                return checked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        checked_at = _parse_checked_at(d.pop("checked_at"))

        def _parse_detail(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        detail = _parse_detail(d.pop("detail"))

        def _parse_lag_seconds(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        lag_seconds = _parse_lag_seconds(d.pop("lag_seconds"))

        max_lag_seconds = d.pop("max_lag_seconds")

        reads = check_replica_readiness_reads(d.pop("reads"))

        def _parse_replayed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                replayed_at_type_0 = datetime.datetime.fromisoformat(data)

                return replayed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        replayed_at = _parse_replayed_at(d.pop("replayed_at"))

        def _parse_rollup_watermark(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        rollup_watermark = _parse_rollup_watermark(d.pop("rollup_watermark"))

        state = check_replica_readiness_state(d.pop("state"))

        replica_readiness = cls(
            checked_at=checked_at,
            detail=detail,
            lag_seconds=lag_seconds,
            max_lag_seconds=max_lag_seconds,
            reads=reads,
            replayed_at=replayed_at,
            rollup_watermark=rollup_watermark,
            state=state,
        )

        replica_readiness.additional_properties = d
        return replica_readiness

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
