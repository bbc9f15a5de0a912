from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.bins_method import BinsMethod, check_bins_method

T = TypeVar("T", bound="Bins")


@_attrs_define
class Bins:
    """The bins of a numeric attribute an answer is grouped by (`group_by=attribute:<key>`):
    send `edges` back as `bins=...` to bin another selection alike.

        Attributes:
            attribute (str): The attribute's key.
            edges (list[float | int]): Ascending; each bin is [edge, next edge).
            labels (list[str]): The groups' labels, lowest first: `[..first)`, `[a..b)`, `[last..)`; each is also a filter
                value (`attribute.<key>=[a..b)`). Events without a number are the null group.
            method (BinsMethod): `explicit`: the edges of `bins=5,10,20`; `quantiles`: the selection's quantiles
                (`bins=quantiles:K`, or a numeric key with more distinct values than `FEEDBACK_MAX_ATTRIBUTE_VALUES`: K = 5),
                PostgreSQL's percentile_disc, repeats dropped.
    """

    attribute: str
    edges: list[float | int]
    labels: list[str]
    method: BinsMethod
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attribute = self.attribute

        edges = []
        for edges_item_data in self.edges:
            edges_item: float | int
            edges_item = edges_item_data
            edges.append(edges_item)

        labels = self.labels

        method: str = self.method

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attribute": attribute,
                "edges": edges,
                "labels": labels,
                "method": method,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        attribute = d.pop("attribute")

        edges = []
        _edges = d.pop("edges")
        for edges_item_data in _edges:

            def _parse_edges_item(data: object) -> float | int:
                return cast(float | int, data)

            edges_item = _parse_edges_item(edges_item_data)

            edges.append(edges_item)

        labels = cast(list[str], d.pop("labels"))

        method = check_bins_method(d.pop("method"))

        bins = cls(
            attribute=attribute,
            edges=edges,
            labels=labels,
            method=method,
        )

        bins.additional_properties = d
        return bins

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
