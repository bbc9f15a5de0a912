from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.alert_direction import AlertDirection, check_alert_direction
from ..models.alert_metric import AlertMetric, check_alert_metric
from ..models.alert_status import AlertStatus, check_alert_status

if TYPE_CHECKING:
    from ..models.alert_evidence import AlertEvidence
    from ..models.alert_scope import AlertScope


T = TypeVar("T", bound="Alert")


@_attrs_define
class Alert:
    """
    Attributes:
        acknowledged_at (datetime.datetime | None):
        acknowledged_by (None | str):
        direction (AlertDirection): Which way the metric moved (for the late share, up is worse).
        evidence (AlertEvidence):
        id (int):
        metric (AlertMetric):
        muted_until (datetime.datetime | None): No webhooks for this alert (or for this series reopening) until then.
        note (None | str):
        opened_at (datetime.datetime):
        resolved_at (datetime.datetime | None):
        scope (AlertScope):
        since (datetime.date): The local day the change began (the estimate).
        status (AlertStatus):
        updated_at (datetime.datetime):
        zone (str): The zone of the local days.
    """

    acknowledged_at: datetime.datetime | None
    acknowledged_by: None | str
    direction: AlertDirection
    evidence: AlertEvidence
    id: int
    metric: AlertMetric
    muted_until: datetime.datetime | None
    note: None | str
    opened_at: datetime.datetime
    resolved_at: datetime.datetime | None
    scope: AlertScope
    since: datetime.date
    status: AlertStatus
    updated_at: datetime.datetime
    zone: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        acknowledged_at: None | str
        if isinstance(self.acknowledged_at, datetime.datetime):
            acknowledged_at = self.acknowledged_at.isoformat()
        else:
            acknowledged_at = self.acknowledged_at

        acknowledged_by: None | str
        acknowledged_by = self.acknowledged_by

        direction: str = self.direction

        evidence = self.evidence.to_dict()

        id = self.id

        metric: str = self.metric

        muted_until: None | str
        if isinstance(self.muted_until, datetime.datetime):
            muted_until = self.muted_until.isoformat()
        else:
            muted_until = self.muted_until

        note: None | str
        note = self.note

        opened_at = self.opened_at.isoformat()

        resolved_at: None | str
        if isinstance(self.resolved_at, datetime.datetime):
            resolved_at = self.resolved_at.isoformat()
        else:
            resolved_at = self.resolved_at

        scope = self.scope.to_dict()

        since = self.since.isoformat()

        status: str = self.status

        updated_at = self.updated_at.isoformat()

        zone = self.zone

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "acknowledged_at": acknowledged_at,
                "acknowledged_by": acknowledged_by,
                "direction": direction,
                "evidence": evidence,
                "id": id,
                "metric": metric,
                "muted_until": muted_until,
                "note": note,
                "opened_at": opened_at,
                "resolved_at": resolved_at,
                "scope": scope,
                "since": since,
                "status": status,
                "updated_at": updated_at,
                "zone": zone,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.alert_evidence import AlertEvidence  # noqa: PLC0415
        from ..models.alert_scope import AlertScope  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_acknowledged_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                acknowledged_at_type_0 = datetime.datetime.fromisoformat(data)

                return acknowledged_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        acknowledged_at = _parse_acknowledged_at(d.pop("acknowledged_at"))

        def _parse_acknowledged_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        acknowledged_by = _parse_acknowledged_by(d.pop("acknowledged_by"))

        direction = check_alert_direction(d.pop("direction"))

        evidence = AlertEvidence.from_dict(d.pop("evidence"))

        id = d.pop("id")

        metric = check_alert_metric(d.pop("metric"))

        def _parse_muted_until(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                muted_until_type_0 = datetime.datetime.fromisoformat(data)

                return muted_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        muted_until = _parse_muted_until(d.pop("muted_until"))

        def _parse_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        note = _parse_note(d.pop("note"))

        opened_at = datetime.datetime.fromisoformat(d.pop("opened_at"))

        def _parse_resolved_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                resolved_at_type_0 = datetime.datetime.fromisoformat(data)

                return resolved_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        resolved_at = _parse_resolved_at(d.pop("resolved_at"))

        scope = AlertScope.from_dict(d.pop("scope"))

        since = datetime.date.fromisoformat(d.pop("since"))

        status = check_alert_status(d.pop("status"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        zone = d.pop("zone")

        alert = cls(
            acknowledged_at=acknowledged_at,
            acknowledged_by=acknowledged_by,
            direction=direction,
            evidence=evidence,
            id=id,
            metric=metric,
            muted_until=muted_until,
            note=note,
            opened_at=opened_at,
            resolved_at=resolved_at,
            scope=scope,
            since=since,
            status=status,
            updated_at=updated_at,
            zone=zone,
        )

        alert.additional_properties = d
        return alert

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
