from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.duration_figure import DurationFigure
    from ..models.share_figure import ShareFigure


T = TypeVar("T", bound="LoopFigures")


@_attrs_define
class LoopFigures:
    """
    Attributes:
        cases (int):
        contacted (int):
        open_ (int):
        recovery (ShareFigure):
        resolved (int):
        resolved_share (ShareFigure):
        time_to_first_contact (DurationFigure): Hours from the feedback's arrival to the first contact, over contacted
            cases.
        unreachable (int):
        within_sla (ShareFigure):
    """

    cases: int
    contacted: int
    open_: int
    recovery: ShareFigure
    resolved: int
    resolved_share: ShareFigure
    time_to_first_contact: DurationFigure
    unreachable: int
    within_sla: ShareFigure
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cases = self.cases

        contacted = self.contacted

        open_ = self.open_

        recovery = self.recovery.to_dict()

        resolved = self.resolved

        resolved_share = self.resolved_share.to_dict()

        time_to_first_contact = self.time_to_first_contact.to_dict()

        unreachable = self.unreachable

        within_sla = self.within_sla.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cases": cases,
                "contacted": contacted,
                "open": open_,
                "recovery": recovery,
                "resolved": resolved,
                "resolved_share": resolved_share,
                "time_to_first_contact": time_to_first_contact,
                "unreachable": unreachable,
                "within_sla": within_sla,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.duration_figure import DurationFigure  # noqa: PLC0415
        from ..models.share_figure import ShareFigure  # noqa: PLC0415

        d = dict(src_dict)
        cases = d.pop("cases")

        contacted = d.pop("contacted")

        open_ = d.pop("open")

        recovery = ShareFigure.from_dict(d.pop("recovery"))

        resolved = d.pop("resolved")

        resolved_share = ShareFigure.from_dict(d.pop("resolved_share"))

        time_to_first_contact = DurationFigure.from_dict(d.pop("time_to_first_contact"))

        unreachable = d.pop("unreachable")

        within_sla = ShareFigure.from_dict(d.pop("within_sla"))

        loop_figures = cls(
            cases=cases,
            contacted=contacted,
            open_=open_,
            recovery=recovery,
            resolved=resolved,
            resolved_share=resolved_share,
            time_to_first_contact=time_to_first_contact,
            unreachable=unreachable,
            within_sla=within_sla,
        )

        loop_figures.additional_properties = d
        return loop_figures

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
