"""Empty defaults for models' list and dict fields, as ``Field(default_factory=...)`` takes them.

Pydantic reads each factory's signature when it builds a model (to know whether it takes the validated data).
The signature of ``list`` or ``dict`` is parsed from their text with the tokenizer: about a millisecond per
field, paid at every start of the command; a plain function's costs next to nothing. Each call returns a new
object, as ``list()`` and ``dict()`` do.
"""

from __future__ import annotations

from typing import Any


def empty_list() -> list[Any]:
    return []


def empty_dict() -> dict[Any, Any]:
    return {}
