from typing import Literal

AttributeProfileKind = Literal["boolean", "mixed", "numeric", "text"]

ATTRIBUTE_PROFILE_KIND_VALUES: set[AttributeProfileKind] = {
    "boolean",
    "mixed",
    "numeric",
    "text",
}


def check_attribute_profile_kind(value: str) -> AttributeProfileKind:
    if value in ATTRIBUTE_PROFILE_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ATTRIBUTE_PROFILE_KIND_VALUES!r}")
