from typing import Literal

RuleInScore = Literal["ces", "csat", "follow_up_requested", "nps"]

RULE_IN_SCORE_VALUES: set[RuleInScore] = {
    "ces",
    "csat",
    "follow_up_requested",
    "nps",
}


def check_rule_in_score(value: str) -> RuleInScore:
    if value in RULE_IN_SCORE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RULE_IN_SCORE_VALUES!r}")
