from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.emerging_group import EmergingGroup
    from ..models.emerging_method import EmergingMethod


T = TypeVar("T", bound="EmergingThemes")


@_attrs_define
class EmergingThemes:
    """What the comments that fit no theme talk about more than before.

    Attributes:
        comments (int): Enriched comments of the window that fit no theme (n), under the filters.
        from_ (datetime.datetime): Window start (inclusive), UTC.
        groups (list[EmergingGroup]): Most comments in the window first.
        groups_found (int): Groups found (`groups` shows up to `limit`).
        method (EmergingMethod): The parameters of the method (docs/text.md, "Emerging themes").
        previous_comments (int): The same in the previous window.
        previous_from (datetime.datetime): Previous window start (inclusive), UTC.
        previous_to (datetime.datetime): Previous window end (exclusive), UTC.
        to (datetime.datetime): Window end (exclusive), UTC.
        tz (str): IANA time zone of dates and buckets.
        words_significant (int): Those reported as growing.
        words_tested (int): (language, word) pairs mentioned in at least `min_comments` comments of the window: the
            tests the adjustment counts.
    """

    comments: int
    from_: datetime.datetime
    groups: list[EmergingGroup]
    groups_found: int
    method: EmergingMethod
    previous_comments: int
    previous_from: datetime.datetime
    previous_to: datetime.datetime
    to: datetime.datetime
    tz: str
    words_significant: int
    words_tested: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        comments = self.comments

        from_ = self.from_.isoformat()

        groups = []
        for groups_item_data in self.groups:
            groups_item = groups_item_data.to_dict()
            groups.append(groups_item)

        groups_found = self.groups_found

        method = self.method.to_dict()

        previous_comments = self.previous_comments

        previous_from = self.previous_from.isoformat()

        previous_to = self.previous_to.isoformat()

        to = self.to.isoformat()

        tz = self.tz

        words_significant = self.words_significant

        words_tested = self.words_tested

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "comments": comments,
                "from": from_,
                "groups": groups,
                "groups_found": groups_found,
                "method": method,
                "previous_comments": previous_comments,
                "previous_from": previous_from,
                "previous_to": previous_to,
                "to": to,
                "tz": tz,
                "words_significant": words_significant,
                "words_tested": words_tested,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.emerging_group import EmergingGroup  # noqa: PLC0415
        from ..models.emerging_method import EmergingMethod  # noqa: PLC0415

        d = dict(src_dict)
        comments = d.pop("comments")

        from_ = datetime.datetime.fromisoformat(d.pop("from"))

        groups = []
        _groups = d.pop("groups")
        for groups_item_data in _groups:
            groups_item = EmergingGroup.from_dict(groups_item_data)

            groups.append(groups_item)

        groups_found = d.pop("groups_found")

        method = EmergingMethod.from_dict(d.pop("method"))

        previous_comments = d.pop("previous_comments")

        previous_from = datetime.datetime.fromisoformat(d.pop("previous_from"))

        previous_to = datetime.datetime.fromisoformat(d.pop("previous_to"))

        to = datetime.datetime.fromisoformat(d.pop("to"))

        tz = d.pop("tz")

        words_significant = d.pop("words_significant")

        words_tested = d.pop("words_tested")

        emerging_themes = cls(
            comments=comments,
            from_=from_,
            groups=groups,
            groups_found=groups_found,
            method=method,
            previous_comments=previous_comments,
            previous_from=previous_from,
            previous_to=previous_to,
            to=to,
            tz=tz,
            words_significant=words_significant,
            words_tested=words_tested,
        )

        emerging_themes.additional_properties = d
        return emerging_themes

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
