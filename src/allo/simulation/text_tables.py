"""Whitespace-separated data files with a header line (MDRP instances and solutions), read strictly.

A malformed file is refused with `FileFormatError`, whose message names the file and the line, rather
than read half right: a short line, a value that is not a number or a file without its header would
otherwise lose or shift data silently.
"""

from __future__ import annotations

import math
from pathlib import Path


class FileFormatError(ValueError):
    """A data file that does not follow its format; the message names the file and line."""


def read_text(path: Path, missing_hint: str = "") -> str:
    """The file's text (UTF-8, a byte-order mark dropped); `missing_hint` completes the error when absent."""
    if not path.is_file():
        raise FileFormatError(f"{path.name}: missing" + (f" ({missing_hint})" if missing_hint else ""))
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileFormatError(f"{path.name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def number(path: Path, line: int, column: str, text: str) -> float:
    """A finite number, or an error naming the file, line and column."""
    try:
        value = float(text)
    except ValueError:
        raise FileFormatError(f"{path.name} line {line}: {column} {text!r} is not a number") from None
    if not math.isfinite(value):
        raise FileFormatError(f"{path.name} line {line}: {column} {text!r} is not a finite number")
    return value


def data_lines(
    path: Path, columns: tuple[str, ...], *, at_least: bool = False, unique_ids: bool = False, missing_hint: str = "",
) -> list[tuple[int, list[str]]]:
    """(line number, fields) of every line after the header; blank lines skipped.

    Each line has exactly the `columns` (or, with `at_least`, those and more: a list in the last
    column); with `unique_ids`, no value of the first column is given twice."""
    numbered = [(no, ln.split()) for no, ln in enumerate(read_text(path, missing_hint).splitlines(), start=1)
                if ln.strip()]
    if not numbered:
        raise FileFormatError(f"{path.name}: empty (expected a header line: {' '.join(columns)})")
    header_line, header = numbered[0]
    if len(header) > 1 and is_number(header[1]):
        raise FileFormatError(
            f"{path.name} line {header_line}: looks like data; the first line must be the header ({' '.join(columns)})")
    seen: dict[str, int] = {}
    for no, fields in numbered[1:]:
        if len(fields) < len(columns) or (len(fields) > len(columns) and not at_least):
            expected = f"{'at least ' if at_least else ''}{len(columns)} fields"
            raise FileFormatError(f"{path.name} line {no}: expected {expected} ({' '.join(columns)}), got {len(fields)}")
        if unique_ids:
            if fields[0] in seen:
                raise FileFormatError(
                    f"{path.name} line {no}: {columns[0]} id {fields[0]!r} already given on line {seen[fields[0]]}")
            seen[fields[0]] = no
    return numbered[1:]
