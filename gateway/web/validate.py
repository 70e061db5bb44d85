"""Reading a request with its schema: the checked model, or one line saying what is wrong."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from typing import TypeVar

from pydantic import BaseModel
from pydantic import ValidationError

from gateway.web.schemas import INT_MAX
from gateway.web.schemas import NO_CONTROL
from gateway.web.schemas import Form

Model = TypeVar("Model", bound=BaseModel)

NUMBER = f"must be a whole number from 0 to {INT_MAX}"
MESSAGES = {
    "missing": "{field} is required",
    "string_too_short": "{field} is required",
    "string_too_long": "{field} is too long (at most {max_length} characters)",
    "string_type": "{field} must be a string",
    "literal_error": "unknown {field} {shown!r}",
    "int_parsing": "{field} " + NUMBER,
    "int_type": "{field} " + NUMBER,
    "int_from_float": "{field} " + NUMBER,
    "greater_than_equal": "{field} " + NUMBER,
    "less_than_equal": "{field} " + NUMBER,
    "json_invalid": "the body is not JSON",
    "model_type": "the body must be a JSON object",
    "model_attributes_type": "the body must be a JSON object",
}
"""pydantic's error type → our one-line reason."""
SHOWN = 30
"""Most characters of a refused value repeated in a reason."""


def read_form(model: type[Model], form: Mapping[str, str]) -> Model | str:
    """The form as `model`, or why it is refused."""
    try:
        return model.model_validate(dict(form.items()))
    except ValidationError as err:
        return reason(err)


def form_fields(model: type[Form], form: Mapping[str, str]) -> dict[str, str] | str:
    """The form's fields checked and cleaned by `model` (by wire name), or why it is refused."""
    read = read_form(model, form)
    return read if isinstance(read, str) else read.fields()


def read_json(model: type[Model], body: bytes) -> Model | str:
    """The JSON body as `model`, or why it is refused."""
    try:
        return model.model_validate_json(body)
    except ValidationError as err:
        return reason(err)


def reason(err: ValidationError) -> str:
    """Every distinct problem of `err`, in words, joined by `; `."""
    found: list[str] = []
    for error in err.errors(include_url=False):
        if error["type"] == "none_required":  # the absent branch of an optional field
            continue
        line = _line(error)
        if line not in found:
            found.append(line)
    return "; ".join(found[:3])


def _line(error: Any) -> str:
    field = str(error["loc"][0]) if error["loc"] else "body"
    context = error.get("ctx") or {}
    if error["type"] == "string_pattern_mismatch":
        problem = (
            "contains a control character" if context["pattern"] == NO_CONTROL else "is malformed"
        )
        return f"{field} {problem}"
    template = MESSAGES.get(error["type"], "{field}: {msg}")
    shown = str(error.get("input"))[:SHOWN]
    return template.format(field=field, shown=shown, msg=error["msg"], **context)
