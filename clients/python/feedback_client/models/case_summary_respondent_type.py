from typing import Literal

CaseSummaryRespondentType = Literal["customer", "employee", "internal"]

CASE_SUMMARY_RESPONDENT_TYPE_VALUES: set[CaseSummaryRespondentType] = {
    "customer",
    "employee",
    "internal",
}


def check_case_summary_respondent_type(value: str) -> CaseSummaryRespondentType:
    if value in CASE_SUMMARY_RESPONDENT_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CASE_SUMMARY_RESPONDENT_TYPE_VALUES!r}")
