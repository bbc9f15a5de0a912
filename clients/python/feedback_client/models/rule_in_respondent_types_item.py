from typing import Literal

RuleInRespondentTypesItem = Literal["customer", "employee", "internal"]

RULE_IN_RESPONDENT_TYPES_ITEM_VALUES: set[RuleInRespondentTypesItem] = {
    "customer",
    "employee",
    "internal",
}


def check_rule_in_respondent_types_item(value: str) -> RuleInRespondentTypesItem:
    if value in RULE_IN_RESPONDENT_TYPES_ITEM_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RULE_IN_RESPONDENT_TYPES_ITEM_VALUES!r}")
