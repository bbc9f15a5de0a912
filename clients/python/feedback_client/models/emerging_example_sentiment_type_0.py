from typing import Literal

EmergingExampleSentimentType0 = Literal["negative", "neutral", "positive"]

EMERGING_EXAMPLE_SENTIMENT_TYPE_0_VALUES: set[EmergingExampleSentimentType0] = {
    "negative",
    "neutral",
    "positive",
}


def check_emerging_example_sentiment_type_0(value: str) -> EmergingExampleSentimentType0:
    if value in EMERGING_EXAMPLE_SENTIMENT_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {EMERGING_EXAMPLE_SENTIMENT_TYPE_0_VALUES!r}")
