from typing import Literal

ExportFeedbackFormatType0 = Literal["csv", "ndjson"]

EXPORT_FEEDBACK_FORMAT_TYPE_0_VALUES: set[ExportFeedbackFormatType0] = {
    "csv",
    "ndjson",
}


def check_export_feedback_format_type_0(value: str) -> ExportFeedbackFormatType0:
    if value in EXPORT_FEEDBACK_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {EXPORT_FEEDBACK_FORMAT_TYPE_0_VALUES!r}")
