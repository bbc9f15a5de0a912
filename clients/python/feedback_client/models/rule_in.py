from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.rule_in_respondent_types_item import RuleInRespondentTypesItem, check_rule_in_respondent_types_item
from ..models.rule_in_score import RuleInScore, check_rule_in_score
from ..types import UNSET, Unset

T = TypeVar("T", bound="RuleIn")


@_attrs_define
class RuleIn:
    """Open a case for an event whose `score` lies in `min_score`..`max_score`
    (both inclusive), or, with `score: follow_up_requested`, that asks for one.

        Attributes:
            name (str): Unique name; cases list the rules that opened them.
            score (RuleInScore):
            enabled (bool | Unset):  Default: True.
            max_score (int | None | Unset):
            min_score (int | None | Unset):
            respondent_types (list[RuleInRespondentTypesItem] | Unset): Whose feedback the rule applies to (employees' eNPS
                opens no call-back by default).
    """

    name: str
    score: RuleInScore
    enabled: bool | Unset = True
    max_score: int | None | Unset = UNSET
    min_score: int | None | Unset = UNSET
    respondent_types: list[RuleInRespondentTypesItem] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        score: str = self.score

        enabled = self.enabled

        max_score: int | None | Unset
        if isinstance(self.max_score, Unset):
            max_score = UNSET
        else:
            max_score = self.max_score

        min_score: int | None | Unset
        if isinstance(self.min_score, Unset):
            min_score = UNSET
        else:
            min_score = self.min_score

        respondent_types: list[str] | Unset = UNSET
        if not isinstance(self.respondent_types, Unset):
            respondent_types = []
            for respondent_types_item_data in self.respondent_types:
                respondent_types_item: str = respondent_types_item_data
                respondent_types.append(respondent_types_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "score": score,
            }
        )
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if max_score is not UNSET:
            field_dict["max_score"] = max_score
        if min_score is not UNSET:
            field_dict["min_score"] = min_score
        if respondent_types is not UNSET:
            field_dict["respondent_types"] = respondent_types

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        score = check_rule_in_score(d.pop("score"))

        enabled = d.pop("enabled", UNSET)

        def _parse_max_score(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_score = _parse_max_score(d.pop("max_score", UNSET))

        def _parse_min_score(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        min_score = _parse_min_score(d.pop("min_score", UNSET))

        _respondent_types = d.pop("respondent_types", UNSET)
        respondent_types: list[RuleInRespondentTypesItem] | Unset = UNSET
        if _respondent_types is not UNSET:
            respondent_types = []
            for respondent_types_item_data in _respondent_types:
                respondent_types_item = check_rule_in_respondent_types_item(respondent_types_item_data)

                respondent_types.append(respondent_types_item)

        rule_in = cls(
            name=name,
            score=score,
            enabled=enabled,
            max_score=max_score,
            min_score=min_score,
            respondent_types=respondent_types,
        )

        return rule_in
