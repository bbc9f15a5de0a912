from typing import Literal

AlertMetric = Literal[
    "ces",
    "csat",
    "follow_up_late",
    "nps",
    "servqual_assurance_perception",
    "servqual_empathy_perception",
    "servqual_reliability_perception",
    "servqual_responsiveness_perception",
    "servqual_tangibles_perception",
]

ALERT_METRIC_VALUES: set[AlertMetric] = {
    "ces",
    "csat",
    "follow_up_late",
    "nps",
    "servqual_assurance_perception",
    "servqual_empathy_perception",
    "servqual_reliability_perception",
    "servqual_responsiveness_perception",
    "servqual_tangibles_perception",
}


def check_alert_metric(value: str) -> AlertMetric:
    if value in ALERT_METRIC_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ALERT_METRIC_VALUES!r}")
