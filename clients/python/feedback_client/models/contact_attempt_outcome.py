from typing import Literal

ContactAttemptOutcome = Literal["declined", "left_message", "no_answer", "reached", "wrong_contact"]

CONTACT_ATTEMPT_OUTCOME_VALUES: set[ContactAttemptOutcome] = {
    "declined",
    "left_message",
    "no_answer",
    "reached",
    "wrong_contact",
}


def check_contact_attempt_outcome(value: str) -> ContactAttemptOutcome:
    if value in CONTACT_ATTEMPT_OUTCOME_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CONTACT_ATTEMPT_OUTCOME_VALUES!r}")
