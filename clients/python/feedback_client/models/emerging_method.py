from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="EmergingMethod")


@_attrs_define
class EmergingMethod:
    """The parameters of the method (docs/text.md, "Emerging themes").

    Attributes:
        fdr (float): Largest Benjamini-Hochberg adjusted p-value reported.
        min_comments (int): Words mentioned in fewer comments of the window are not tested.
        min_jaccard (float): Two growing words join one group when the Jaccard index of the comments of the window that
            mention them is at least this.
        min_ratio (float): Smallest rate ratio reported.
    """

    fdr: float
    min_comments: int
    min_jaccard: float
    min_ratio: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        fdr = self.fdr

        min_comments = self.min_comments

        min_jaccard = self.min_jaccard

        min_ratio = self.min_ratio

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "fdr": fdr,
                "min_comments": min_comments,
                "min_jaccard": min_jaccard,
                "min_ratio": min_ratio,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        fdr = d.pop("fdr")

        min_comments = d.pop("min_comments")

        min_jaccard = d.pop("min_jaccard")

        min_ratio = d.pop("min_ratio")

        emerging_method = cls(
            fdr=fdr,
            min_comments=min_comments,
            min_jaccard=min_jaccard,
            min_ratio=min_ratio,
        )

        emerging_method.additional_properties = d
        return emerging_method

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
