"""Types shared by several schema families."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

MAX_MESSAGE_CHARS = 2000
# The whitespace a message may not consist of, spelled out: Python's str.strip() and the
# ECMAScript "\s" of JSON Schema patterns disagree on several code points, and the schema
# must accept exactly what the app accepts.
BLANK = " \t\n\r\x0b\x0c"


def _stripped_non_blank(text: str) -> str:
    stripped = text.strip(BLANK)
    if not stripped:
        raise ValueError("must contain something besides spaces and line breaks")
    return stripped


# Leading/trailing blanks are dropped; a message of blanks only is refused.
MessageText = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_MESSAGE_CHARS,
        json_schema_extra={"pattern": "[^ \\t\\n\\r\\x0b\\x0c]"},
    ),
    AfterValidator(_stripped_non_blank),
]


class Theme(StrEnum):
    """What a message is about; also the key of the scripture catalogue."""

    ANXIETY = "anxiety"
    GRIEF = "grief"
    LONELINESS = "loneliness"
    FEAR = "fear"
    ANGER = "anger"
    GRATITUDE = "gratitude"
    HOPE = "hope"
    GUILT = "guilt"
    PURPOSE = "purpose"
    DOUBT = "doubt"
    WEARINESS = "weariness"
    FORGIVENESS = "forgiveness"
    GENERAL = "general"


class StrictIn(BaseModel):
    """Base for request bodies: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class VerseOut(BaseModel):
    """One verse or passage, with its reference and translation."""

    reference: str
    text: str
    translation: str = "WEB"


class ErrorOut(BaseModel):
    """Every error but a validation error: a stable code and a sentence for people."""

    error: str
    detail: str


class FieldErrorOut(BaseModel):
    """One invalid field: where it is (dotted path) and what is wrong with it."""

    field: str
    message: str


class ValidationErrorOut(BaseModel):
    """The request did not match the schema; every problem is listed."""

    error: Literal["validation_error"]
    detail: list[FieldErrorOut]
