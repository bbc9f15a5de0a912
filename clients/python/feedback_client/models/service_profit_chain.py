from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.chain_branch import ChainBranch


T = TypeVar("T", bound="ServiceProfitChain")


@_attrs_define
class ServiceProfitChain:
    """Per branch, customer NPS beside employee NPS, and how they move together.

    Attributes:
        branches (list[ChainBranch]):
        branches_used (int):
        from_ (datetime.datetime): Window start (inclusive), UTC.
        min_n (int):
        pearson (float | None): Null with fewer than 3 branches used.
        spearman (float | None):
        to (datetime.datetime): Window end (exclusive), UTC.
        tz (str): IANA time zone of dates and buckets.
    """

    branches: list[ChainBranch]
    branches_used: int
    from_: datetime.datetime
    min_n: int
    pearson: float | None
    spearman: float | None
    to: datetime.datetime
    tz: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        branches = []
        for branches_item_data in self.branches:
            branches_item = branches_item_data.to_dict()
            branches.append(branches_item)

        branches_used = self.branches_used

        from_ = self.from_.isoformat()

        min_n = self.min_n

        pearson: float | None
        pearson = self.pearson

        spearman: float | None
        spearman = self.spearman

        to = self.to.isoformat()

        tz = self.tz

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "branches": branches,
                "branches_used": branches_used,
                "from": from_,
                "min_n": min_n,
                "pearson": pearson,
                "spearman": spearman,
                "to": to,
                "tz": tz,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.chain_branch import ChainBranch  # noqa: PLC0415

        d = dict(src_dict)
        branches = []
        _branches = d.pop("branches")
        for branches_item_data in _branches:
            branches_item = ChainBranch.from_dict(branches_item_data)

            branches.append(branches_item)

        branches_used = d.pop("branches_used")

        from_ = datetime.datetime.fromisoformat(d.pop("from"))

        min_n = d.pop("min_n")

        def _parse_pearson(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        pearson = _parse_pearson(d.pop("pearson"))

        def _parse_spearman(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        spearman = _parse_spearman(d.pop("spearman"))

        to = datetime.datetime.fromisoformat(d.pop("to"))

        tz = d.pop("tz")

        service_profit_chain = cls(
            branches=branches,
            branches_used=branches_used,
            from_=from_,
            min_n=min_n,
            pearson=pearson,
            spearman=spearman,
            to=to,
            tz=tz,
        )

        service_profit_chain.additional_properties = d
        return service_profit_chain

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
