from typing import Literal

AlertTestQuestion = Literal["own_past", "rest_of_chain"]

ALERT_TEST_QUESTION_VALUES: set[AlertTestQuestion] = {
    "own_past",
    "rest_of_chain",
}


def check_alert_test_question(value: str) -> AlertTestQuestion:
    if value in ALERT_TEST_QUESTION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ALERT_TEST_QUESTION_VALUES!r}")
