from typing import Literal

MetricsThemesFormatType0 = Literal["csv", "json"]

METRICS_THEMES_FORMAT_TYPE_0_VALUES: set[MetricsThemesFormatType0] = {
    "csv",
    "json",
}


def check_metrics_themes_format_type_0(value: str) -> MetricsThemesFormatType0:
    if value in METRICS_THEMES_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {METRICS_THEMES_FORMAT_TYPE_0_VALUES!r}")
