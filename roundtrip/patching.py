"""RFC 6902 JSON Patch on records, as minimal edits; `set`'s list operations are patches too.

The `jsonpatch` package does the patching; it is imported on first use only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, TypeVar

import attrs

from .errors import RoundtripError, SchemaError
from .query import dotted, json_pointer, parse_field_path, schema_at
from .unread import UNREAD, left_unread

R = TypeVar("R")  # a record of any format


class PatchTestFailed(RoundtripError):
    """A patch's `test` operation did not hold: the record is left as it was (not an error)."""


def load_operations(text: str, *, source: str = "the patch") -> list[dict[str, Any]]:
    """A JSON Patch document (a JSON array of operations) read from text."""
    try:
        operations = json.loads(text)
    except json.JSONDecodeError as error:
        raise RoundtripError(
            f"{source} is not JSON: {error.msg}", line=error.lineno, column=error.colno
        ) from None
    if not isinstance(operations, list) or not all(isinstance(op, dict) for op in operations):
        raise RoundtripError(f"{source} must be a JSON array of operation objects")
    return operations


def patch_data(data: dict[str, Any], operations: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The data with the operations applied (a new object); PatchTestFailed, RoundtripError."""
    import jsonpatch
    import jsonpointer

    try:
        patched: dict[str, Any] = jsonpatch.apply_patch(data, list(operations))
    except jsonpatch.JsonPatchTestFailed as error:
        # jsonpatch says "-1 (<class 'int'>) is not equal to tested value 77 (<class 'int'>)".
        message = re.sub(r" \(<class '\w+'>\)", "", str(error))
        raise PatchTestFailed(f"test failed: {message}") from None
    except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException) as error:
        raise RoundtripError(f"cannot apply the patch: {error}") from None
    except (KeyError, IndexError, TypeError) as error:  # malformed operations
        raise RoundtripError(f"cannot apply the patch: bad operation ({error})") from None
    if not isinstance(patched, dict):
        raise SchemaError("the patch replaced the front matter with a non-object")
    return patched


def patch(record: R, operations: Sequence[dict[str, Any]], *, strict: bool = True) -> R:
    """A new record (of the same format) with the patch applied; its `dumps` is a minimal edit
    of the original text.

    Raises PatchTestFailed when a `test` operation fails, SchemaError when the result is invalid.
    """
    from .api import to_dict
    from .edit import place_problems
    from .record_format import format_of

    loaded: Any = record  # every record class has `body` and `source`
    with left_unread(loaded, _top_level_keys(operations)) as unread:
        data = to_dict(loaded)
    patched = patch_data(data, operations)
    try:
        updated = format_of(loaded).from_dict(patched, body=loaded.body, strict=strict)
    except RoundtripError as error:
        raise place_problems(error, loaded) from None
    result: Any = attrs.evolve(updated, source=loaded.source)
    if unread:
        result.extra = UNREAD  # its unknown keys: still those of its source's text
    return result  # type: ignore[no-any-return]


def _top_level_keys(operations: Sequence[dict[str, Any]]) -> list[str]:
    """The top-level keys the operations' paths name ("" for the whole data, which names
    every key)."""
    names = []
    for operation in operations:
        pointers = (operation.get("path"), operation.get("from")) if isinstance(
            operation, dict) else ("",)  # fmt: skip
        for pointer in pointers:
            if isinstance(pointer, str):
                token = pointer.split("/", 2)[1] if pointer.startswith("/") else ""
                names.append(token.replace("~1", "/").replace("~0", "~"))
    return names


def list_operation(field: str, action: str, value: Any = None) -> dict[str, Any]:
    """The patch operation for `set`'s list flags: append to, insert into or delete from a list.

    `append`: FIELD is the list; `insert` and `delete`: FIELD ends with the item's index.
    """
    parts = parse_field_path(field)
    if action == "append":
        return {"op": "add", "path": json_pointer([*parts, "-"]), "value": value}
    if not isinstance(parts[-1], int):
        raise RoundtripError(f"{action} needs a list index at the end, like {field}.0", field=field)
    if action == "insert":
        return {"op": "add", "path": json_pointer(parts), "value": value}
    return {"op": "remove", "path": json_pointer(parts)}


def item_schema(field: str, action: str) -> tuple[dict[str, Any] | None, str]:
    """The schema of the list item a list flag adds, and the item's dotted path."""
    from .active_format import current_format

    parts = parse_field_path(field)
    if action == "append":
        parts = [*parts, 0]
    return schema_at(current_format().root_schema, parts), dotted(parts)
