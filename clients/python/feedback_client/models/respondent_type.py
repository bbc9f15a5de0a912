from typing import Literal

RespondentType = Literal["customer", "employee", "internal"]

RESPONDENT_TYPE_VALUES: set[RespondentType] = {
    "customer",
    "employee",
    "internal",
}


def check_respondent_type(value: str) -> RespondentType:
    if value in RESPONDENT_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RESPONDENT_TYPE_VALUES!r}")
