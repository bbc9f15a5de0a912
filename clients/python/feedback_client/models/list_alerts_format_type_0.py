from typing import Literal

ListAlertsFormatType0 = Literal["csv", "json"]

LIST_ALERTS_FORMAT_TYPE_0_VALUES: set[ListAlertsFormatType0] = {
    "csv",
    "json",
}


def check_list_alerts_format_type_0(value: str) -> ListAlertsFormatType0:
    if value in LIST_ALERTS_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_ALERTS_FORMAT_TYPE_0_VALUES!r}")
