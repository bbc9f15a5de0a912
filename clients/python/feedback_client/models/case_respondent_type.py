from typing import Literal

CaseRespondentType = Literal["customer", "employee", "internal"]

CASE_RESPONDENT_TYPE_VALUES: set[CaseRespondentType] = {
    "customer",
    "employee",
    "internal",
}


def check_case_respondent_type(value: str) -> CaseRespondentType:
    if value in CASE_RESPONDENT_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CASE_RESPONDENT_TYPE_VALUES!r}")
