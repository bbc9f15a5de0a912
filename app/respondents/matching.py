"""How an e-mail address or a phone number is recognised, in contact fields and in free text.

Pure functions: the service turns their results into SQL parameters.

- An e-mail matches case-insensitively after trimming: `Anna@Example.COM ` is
  `anna@example.com`. In free text it matches as a whole address (not inside a
  longer one such as `xanna@example.com` or `anna@example.com.au`).
- A phone number matches by its digits: spaces, dashes, dots and brackets are
  ignored, and a leading `+` and a leading `00` are the same international prefix
  (`+43 660 123-4567`, `0043 (660) 1234567` and `436601234567` are one number).
  A national spelling (`0660 1234567`) is a different number. In free text the
  digits may be separated the same ways, and the match is never part of a longer
  digit run. A number needs at least MIN_PHONE_DIGITS digits, so a short search
  cannot match (and an erasure cannot redact) every number in every text.
"""

import json
import re

MIN_PHONE_DIGITS = 6
MAX_PHONE_DIGITS = 20
EMAIL_PATTERN = re.compile(r"^[^@\s\x00]+@[^@\s\x00]+\.[^@\s\x00]+$")
PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ().-]+$")
REDACTED = "[erased]"

# The same normalisation in SQL, for stored contact fields.
EMAIL_SQL = "lower(btrim({}))"
PHONE_SQL = "regexp_replace(regexp_replace({}, '[^0-9]', '', 'g'), '^00', '')"

# Written so that PostgreSQL (ARE) and Python read each pattern the same way.
_SEPARATORS = r"[\s().-]*"
# Regular-expression metacharacters of PostgreSQL's ARE (and of Python's re).
_SPECIAL = re.compile(r"([\\.^$|?*+()\[\]{}])")


def normalize_email(value: str) -> str:
    """The e-mail as it is matched; ValueError if it is not an address."""
    email = value.strip().lower()
    if len(email) > 254 or not EMAIL_PATTERN.match(email):
        raise ValueError("not an e-mail address (name@domain.tld)")
    return email


def phone_digits(value: str) -> str:
    """The phone number's digits, a leading international `00` dropped (as a `+`)."""
    digits = re.sub(r"[^0-9]", "", value)
    return digits[2:] if digits.startswith("00") else digits


def normalize_phone(value: str) -> str:
    """The phone number as it is matched; ValueError if it is not one."""
    if not PHONE_CHARACTERS.match(value.strip()):
        raise ValueError("a phone number has digits, spaces, ( ) . - and a leading + only")
    digits = phone_digits(value)
    if not MIN_PHONE_DIGITS <= len(digits) <= MAX_PHONE_DIGITS:
        raise ValueError(
            f"a phone number needs {MIN_PHONE_DIGITS} to {MAX_PHONE_DIGITS} digits "
            "(after a leading 00)"
        )
    return digits


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def email_text_pattern(email: str, *, json_text: bool = False) -> str:
    """A case-insensitive PostgreSQL regex finding the address in text (`json_text`: in
    a JSON document's text, where `"` and `\\` are escaped)."""
    spelled = json.dumps(email, ensure_ascii=False)[1:-1] if json_text else email
    return f"(?<![A-Za-z0-9._%+-]){_escape(spelled)}(?![A-Za-z0-9_-]|\\.[A-Za-z0-9])"


def phone_text_pattern(digits: str) -> str:
    """A PostgreSQL regex finding the number in text, however its digits are separated."""
    return f"(?<![0-9+])(\\+|00)?{_SEPARATORS}" + _SEPARATORS.join(digits) + "(?![0-9])"


def text_pattern(emails: list[str], phones: list[str], *, json_text: bool = False) -> str | None:
    """One regex for all the identifiers (None: nothing to look for)."""
    parts = [email_text_pattern(e, json_text=json_text) for e in sorted(set(emails))]
    parts += [phone_text_pattern(d) for d in sorted(set(phones))]
    return "|".join(f"({p})" for p in parts) or None


def redact(text: str, pattern: str) -> str:
    """The text with every match replaced by REDACTED (as SQL's regexp_replace 'gi')."""
    return re.sub(pattern, REDACTED, text, flags=re.IGNORECASE)


def redact_json(value: object, pattern: str) -> object:
    """A JSON document with every matching string (key or value) redacted, and every
    matching number replaced by REDACTED: the document stays valid JSON."""
    if isinstance(value, str):
        return redact(value, pattern)
    if isinstance(value, dict):
        return {redact(k, pattern): redact_json(v, pattern) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_json(v, pattern) for v in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return REDACTED if re.search(pattern, str(value)) else value
    return value
