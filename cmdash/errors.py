"""Errors that carry what a user needs to fix their input: file, column, row count."""

from __future__ import annotations


class InputError(Exception):
    """Bad input from the user: shown as one paragraph, never as a traceback."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        column: str | None = None,
        rows: int | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.column = column
        self.rows = rows
        super().__init__(self.describe())

    def describe(self) -> str:
        where = []
        if self.file:
            where.append(f"file {self.file}")
        if self.column:
            where.append(f"column {self.column}")
        if self.rows is not None:
            where.append(f"{self.rows} row(s)")
        return f"{self.message} ({', '.join(where)})" if where else self.message
