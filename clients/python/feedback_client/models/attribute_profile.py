from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.attribute_profile_kind import AttributeProfileKind, check_attribute_profile_kind

if TYPE_CHECKING:
    from ..models.attribute_value_count import AttributeValueCount


T = TypeVar("T", bound="AttributeProfile")


@_attrs_define
class AttributeProfile:
    """One attribute key of the selection: how often it is set, and what it holds.

    Attributes:
        distinct (int): Distinct values (numbers by value: 5 and 5.0 are one; else text forms).
        key (str): As `attribute.<key>` filters and `attribute:<key>` groups.
        kind (AttributeProfileKind): What every non-null value is: a JSON number, a boolean, a string; `mixed`: more
            than one of these. `numeric` groups by value or into bins, the others by their text form.
        max_ (float | int | None): numeric: the largest value.
        min_ (float | int | None): numeric: the smallest value.
        more_than_bound (bool): distinct > FEEDBACK_MAX_ATTRIBUTE_VALUES: `group_by=attribute:<key>` bins a numeric key
            into quintiles and refuses any other (422).
        n (int): Events of the selection with a non-null value.
        quartiles (list[float | int] | None): numeric: the 25th, 50th and 75th percentile (percentile_disc: values of
            the data, as `bins=quantiles:4` would use them).
        top (list[AttributeValueCount] | None): Not numeric: the most frequent values (at most 10), most frequent first.
    """

    distinct: int
    key: str
    kind: AttributeProfileKind
    max_: float | int | None
    min_: float | int | None
    more_than_bound: bool
    n: int
    quartiles: list[float | int] | None
    top: list[AttributeValueCount] | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        distinct = self.distinct

        key = self.key

        kind: str = self.kind

        max_: float | int | None
        max_ = self.max_

        min_: float | int | None
        min_ = self.min_

        more_than_bound = self.more_than_bound

        n = self.n

        quartiles: list[float | int] | None
        if isinstance(self.quartiles, list):
            quartiles = []
            for quartiles_type_0_item_data in self.quartiles:
                quartiles_type_0_item: float | int
                quartiles_type_0_item = quartiles_type_0_item_data
                quartiles.append(quartiles_type_0_item)

        else:
            quartiles = self.quartiles

        top: list[dict[str, Any]] | None
        if isinstance(self.top, list):
            top = []
            for top_type_0_item_data in self.top:
                top_type_0_item = top_type_0_item_data.to_dict()
                top.append(top_type_0_item)

        else:
            top = self.top

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "distinct": distinct,
                "key": key,
                "kind": kind,
                "max": max_,
                "min": min_,
                "more_than_bound": more_than_bound,
                "n": n,
                "quartiles": quartiles,
                "top": top,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attribute_value_count import AttributeValueCount  # noqa: PLC0415

        d = dict(src_dict)
        distinct = d.pop("distinct")

        key = d.pop("key")

        kind = check_attribute_profile_kind(d.pop("kind"))

        def _parse_max_(data: object) -> float | int | None:
            if data is None:
                return data
            return cast(float | int | None, data)

        max_ = _parse_max_(d.pop("max"))

        def _parse_min_(data: object) -> float | int | None:
            if data is None:
                return data
            return cast(float | int | None, data)

        min_ = _parse_min_(d.pop("min"))

        more_than_bound = d.pop("more_than_bound")

        n = d.pop("n")

        def _parse_quartiles(data: object) -> list[float | int] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                quartiles_type_0 = []
                _quartiles_type_0 = data
                for quartiles_type_0_item_data in _quartiles_type_0:

                    def _parse_quartiles_type_0_item(data: object) -> float | int:
                        return cast(float | int, data)

                    quartiles_type_0_item = _parse_quartiles_type_0_item(quartiles_type_0_item_data)

                    quartiles_type_0.append(quartiles_type_0_item)

                return quartiles_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[float | int] | None, data)

        quartiles = _parse_quartiles(d.pop("quartiles"))

        def _parse_top(data: object) -> list[AttributeValueCount] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                top_type_0 = []
                _top_type_0 = data
                for top_type_0_item_data in _top_type_0:
                    top_type_0_item = AttributeValueCount.from_dict(top_type_0_item_data)

                    top_type_0.append(top_type_0_item)

                return top_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[AttributeValueCount] | None, data)

        top = _parse_top(d.pop("top"))

        attribute_profile = cls(
            distinct=distinct,
            key=key,
            kind=kind,
            max_=max_,
            min_=min_,
            more_than_bound=more_than_bound,
            n=n,
            quartiles=quartiles,
            top=top,
        )

        attribute_profile.additional_properties = d
        return attribute_profile

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
