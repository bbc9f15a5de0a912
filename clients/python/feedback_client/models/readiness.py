from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.replica_readiness import ReplicaReadiness
    from ..models.rollup_lag import RollupLag


T = TypeVar("T", bound="Readiness")


@_attrs_define
class Readiness:
    """
    Attributes:
        rollups (RollupLag): How far the rollups are behind. Answers are exact anyway (the rest is read raw);
            a growing lag only makes them slower, so it is reported, not failed on.
        status (str):
        replica (None | ReplicaReadiness | Unset): Only with `FEEDBACK_READ_DATABASE_URL` set.
    """

    rollups: RollupLag
    status: str
    replica: None | ReplicaReadiness | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.replica_readiness import ReplicaReadiness  # noqa: PLC0415

        rollups = self.rollups.to_dict()

        status = self.status

        replica: dict[str, Any] | None | Unset
        if isinstance(self.replica, Unset):
            replica = UNSET
        elif isinstance(self.replica, ReplicaReadiness):
            replica = self.replica.to_dict()
        else:
            replica = self.replica

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "rollups": rollups,
                "status": status,
            }
        )
        if replica is not UNSET:
            field_dict["replica"] = replica

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.replica_readiness import ReplicaReadiness  # noqa: PLC0415
        from ..models.rollup_lag import RollupLag  # noqa: PLC0415

        d = dict(src_dict)
        rollups = RollupLag.from_dict(d.pop("rollups"))

        status = d.pop("status")

        def _parse_replica(data: object) -> None | ReplicaReadiness | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                replica_type_0 = ReplicaReadiness.from_dict(data)

                return replica_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReplicaReadiness | Unset, data)

        replica = _parse_replica(d.pop("replica", UNSET))

        readiness = cls(
            rollups=rollups,
            status=status,
            replica=replica,
        )

        readiness.additional_properties = d
        return readiness

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
