from typing import Literal

ThemeReportMetric = Literal["csat", "nps"]

THEME_REPORT_METRIC_VALUES: set[ThemeReportMetric] = {
    "csat",
    "nps",
}


def check_theme_report_metric(value: str) -> ThemeReportMetric:
    if value in THEME_REPORT_METRIC_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {THEME_REPORT_METRIC_VALUES!r}")
