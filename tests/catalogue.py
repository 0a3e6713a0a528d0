"""Catalogue entries made in tests: validated as the loader validates a file, or
changed without any check (to show that what comes after survives it)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

from pydantic import TypeAdapter

T = TypeVar("T")


def validated(kind: type[T], data: dict[str, Any]) -> T:
    """`data` as targets.yaml would give it, validated into a `kind` (Indicator …):
    pydantic's ValidationError when the file would be refused."""
    return TypeAdapter(kind).validate_python(data)


def plain(entry: Any) -> dict[str, Any]:
    """An entry's fields as the data a file would give (nested entries stay as they are)."""
    return {field.name: getattr(entry, field.name) for field in fields(entry)}


def changed(entry: T, **changes: Any) -> T:
    """A copy with changed fields, validated again."""
    return validated(type(entry), plain(entry) | changes)


def unchecked(entry: T, **changes: Any) -> T:
    """A copy with changed fields and no check at all: what the loader would refuse."""
    copy = object.__new__(type(entry))
    copy.__dict__.update(plain(entry) | changes)
    return copy
