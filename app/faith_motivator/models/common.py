"""Types shared by several schema families."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

MAX_MESSAGE_CHARS = 2000

# Leading/trailing whitespace is dropped first, so a message of spaces counts as empty.
MessageText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_MESSAGE_CHARS)
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
