from typing import Literal

CommentTextSentimentType0 = Literal["negative", "neutral", "positive"]

COMMENT_TEXT_SENTIMENT_TYPE_0_VALUES: set[CommentTextSentimentType0] = {
    "negative",
    "neutral",
    "positive",
}


def check_comment_text_sentiment_type_0(value: str) -> CommentTextSentimentType0:
    if value in COMMENT_TEXT_SENTIMENT_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {COMMENT_TEXT_SENTIMENT_TYPE_0_VALUES!r}")
