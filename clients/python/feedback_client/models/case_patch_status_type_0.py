from typing import Literal

CasePatchStatusType0 = Literal["contacted", "resolved", "unreachable"]

CASE_PATCH_STATUS_TYPE_0_VALUES: set[CasePatchStatusType0] = {
    "contacted",
    "resolved",
    "unreachable",
}


def check_case_patch_status_type_0(value: str) -> CasePatchStatusType0:
    if value in CASE_PATCH_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CASE_PATCH_STATUS_TYPE_0_VALUES!r}")
