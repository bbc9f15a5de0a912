from typing import Literal

MetricsThemesGroupByType0 = Literal[
    "acquisition_source",
    "channel",
    "employee_id",
    "language",
    "location_id",
    "region",
    "respondent_type",
    "segment",
    "sentiment",
    "tag",
    "theme",
    "touchpoint",
]

METRICS_THEMES_GROUP_BY_TYPE_0_VALUES: set[MetricsThemesGroupByType0] = {
    "acquisition_source",
    "channel",
    "employee_id",
    "language",
    "location_id",
    "region",
    "respondent_type",
    "segment",
    "sentiment",
    "tag",
    "theme",
    "touchpoint",
}


def check_metrics_themes_group_by_type_0(value: str) -> MetricsThemesGroupByType0:
    if value in METRICS_THEMES_GROUP_BY_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {METRICS_THEMES_GROUP_BY_TYPE_0_VALUES!r}")
