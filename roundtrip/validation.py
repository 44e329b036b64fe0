"""Checking plain data from Python: datetimes accepted as objects, problems returned as a list."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from .errors import Problem, SchemaError
from .query import dotted

if TYPE_CHECKING:
    from .record_format import Format


def plain_datetimes(data: Any, path: tuple[str | int, ...] = ()) -> Any:
    """`data` with aware `datetime` objects written as RFC 3339 strings and `date` objects as
    full dates (as `yaml.safe_load` returns them); a naive datetime is a SchemaError, since a
    record's times need an offset."""
    if isinstance(data, date) and not isinstance(data, datetime):
        return data.isoformat()
    if isinstance(data, datetime):
        from .convert import format_date_time

        try:
            return format_date_time(data)
        except ValueError as error:
            raise SchemaError(str(error), field=dotted(path) or None) from None
    if isinstance(data, dict):
        return {key: plain_datetimes(value, (*path, key)) for key, value in data.items()}
    if isinstance(data, list):
        return [plain_datetimes(value, (*path, index)) for index, value in enumerate(data)]
    return data


def validate(data: Any) -> list[Problem]:
    """Every problem with `data` as an article's front matter (empty when valid); never raises."""
    from .record_format import article

    return problems(article(), data)


def problems(fmt: Format, data: Any) -> list[Problem]:
    """Every problem with `data` as front matter of `fmt` (empty when valid); never raises."""
    try:
        plain = plain_datetimes(data)
    except SchemaError as error:
        return list(error.problems)
    return [
        Problem(violation.message, field=dotted(violation.path) or None)
        for violation in fmt.violations(plain)
    ]
