from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.servqual_item import ServqualItem


T = TypeVar("T", bound="Servqual")


@_attrs_define
class Servqual:
    """The five service-quality dimensions; send those you asked about.

    Attributes:
        assurance (None | ServqualItem | Unset):
        empathy (None | ServqualItem | Unset):
        reliability (None | ServqualItem | Unset):
        responsiveness (None | ServqualItem | Unset):
        tangibles (None | ServqualItem | Unset):
    """

    assurance: None | ServqualItem | Unset = UNSET
    empathy: None | ServqualItem | Unset = UNSET
    reliability: None | ServqualItem | Unset = UNSET
    responsiveness: None | ServqualItem | Unset = UNSET
    tangibles: None | ServqualItem | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.servqual_item import ServqualItem  # noqa: PLC0415

        assurance: dict[str, Any] | None | Unset
        if isinstance(self.assurance, Unset):
            assurance = UNSET
        elif isinstance(self.assurance, ServqualItem):
            assurance = self.assurance.to_dict()
        else:
            assurance = self.assurance

        empathy: dict[str, Any] | None | Unset
        if isinstance(self.empathy, Unset):
            empathy = UNSET
        elif isinstance(self.empathy, ServqualItem):
            empathy = self.empathy.to_dict()
        else:
            empathy = self.empathy

        reliability: dict[str, Any] | None | Unset
        if isinstance(self.reliability, Unset):
            reliability = UNSET
        elif isinstance(self.reliability, ServqualItem):
            reliability = self.reliability.to_dict()
        else:
            reliability = self.reliability

        responsiveness: dict[str, Any] | None | Unset
        if isinstance(self.responsiveness, Unset):
            responsiveness = UNSET
        elif isinstance(self.responsiveness, ServqualItem):
            responsiveness = self.responsiveness.to_dict()
        else:
            responsiveness = self.responsiveness

        tangibles: dict[str, Any] | None | Unset
        if isinstance(self.tangibles, Unset):
            tangibles = UNSET
        elif isinstance(self.tangibles, ServqualItem):
            tangibles = self.tangibles.to_dict()
        else:
            tangibles = self.tangibles

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if assurance is not UNSET:
            field_dict["assurance"] = assurance
        if empathy is not UNSET:
            field_dict["empathy"] = empathy
        if reliability is not UNSET:
            field_dict["reliability"] = reliability
        if responsiveness is not UNSET:
            field_dict["responsiveness"] = responsiveness
        if tangibles is not UNSET:
            field_dict["tangibles"] = tangibles

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.servqual_item import ServqualItem  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_assurance(data: object) -> None | ServqualItem | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                assurance_type_0 = ServqualItem.from_dict(data)

                return assurance_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ServqualItem | Unset, data)

        assurance = _parse_assurance(d.pop("assurance", UNSET))

        def _parse_empathy(data: object) -> None | ServqualItem | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                empathy_type_0 = ServqualItem.from_dict(data)

                return empathy_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ServqualItem | Unset, data)

        empathy = _parse_empathy(d.pop("empathy", UNSET))

        def _parse_reliability(data: object) -> None | ServqualItem | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                reliability_type_0 = ServqualItem.from_dict(data)

                return reliability_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ServqualItem | Unset, data)

        reliability = _parse_reliability(d.pop("reliability", UNSET))

        def _parse_responsiveness(data: object) -> None | ServqualItem | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                responsiveness_type_0 = ServqualItem.from_dict(data)

                return responsiveness_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ServqualItem | Unset, data)

        responsiveness = _parse_responsiveness(d.pop("responsiveness", UNSET))

        def _parse_tangibles(data: object) -> None | ServqualItem | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tangibles_type_0 = ServqualItem.from_dict(data)

                return tangibles_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ServqualItem | Unset, data)

        tangibles = _parse_tangibles(d.pop("tangibles", UNSET))

        servqual = cls(
            assurance=assurance,
            empathy=empathy,
            reliability=reliability,
            responsiveness=responsiveness,
            tangibles=tangibles,
        )

        return servqual
