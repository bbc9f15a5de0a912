from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ServqualItem")


@_attrs_define
class ServqualItem:
    """One SERVQUAL dimension: 1..7 for how we did and how an excellent company would do.

    Attributes:
        expectation (int | None | Unset):
        perception (int | None | Unset):
    """

    expectation: int | None | Unset = UNSET
    perception: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        expectation: int | None | Unset
        if isinstance(self.expectation, Unset):
            expectation = UNSET
        else:
            expectation = self.expectation

        perception: int | None | Unset
        if isinstance(self.perception, Unset):
            perception = UNSET
        else:
            perception = self.perception

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if expectation is not UNSET:
            field_dict["expectation"] = expectation
        if perception is not UNSET:
            field_dict["perception"] = perception

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_expectation(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        expectation = _parse_expectation(d.pop("expectation", UNSET))

        def _parse_perception(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        perception = _parse_perception(d.pop("perception", UNSET))

        servqual_item = cls(
            expectation=expectation,
            perception=perception,
        )

        return servqual_item
