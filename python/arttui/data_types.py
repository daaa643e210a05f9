"""Tables, shaped like the reference's ``wandb.Table`` and ``wandb.data_types.PartitionedTable``.

An artifact stores a table as the entry ``NAME.table.json`` (``{"_type": "table", "columns": [...],
"data": [[...]]}``); the ``arttui`` executable writes and checks that file.
"""

from __future__ import annotations

import json
import math
from typing import Any, List, Optional, Sequence


class Table:
    """Rows under named columns.

    Built as the reference builds it: ``Table(columns=["a", "b"], data=[[1, 2]])``,
    ``Table(columns=..., rows=...)``, ``Table(dataframe=df)`` (anything with ``columns`` and
    ``values.tolist()``, such as a pandas DataFrame), or empty and filled with ``add_data``.
    Cells must be JSON values: numbers, strings, booleans, ``None``, lists and dicts of them.
    """

    def __init__(
        self,
        columns: Optional[Sequence[str]] = None,
        data: Optional[Sequence[Sequence[Any]]] = None,
        rows: Optional[Sequence[Sequence[Any]]] = None,
        dataframe: Any = None,
        dtype: Any = None,
        optional: Any = True,
        allow_mixed_types: bool = False,
    ) -> None:
        if dataframe is not None:
            if data is not None or rows is not None:
                raise ValueError("give a Table either dataframe= or data=/rows=, not both")
            columns = [str(column) for column in dataframe.columns]
            data = dataframe.values.tolist()
        if data is not None and rows is not None:
            raise ValueError("give a Table either data= or rows=, not both")
        given = data if data is not None else rows
        self.columns: List[str] = [str(column) for column in (columns or [])]
        if given is not None and columns is None:
            width = len(given[0]) if len(given) > 0 else 0
            self.columns = [f"Column_{index + 1}" for index in range(width)]
        self.data: List[List[Any]] = []
        for row in given or []:
            self.add_data(*row)

    def add_data(self, *values: Any) -> None:
        """Appends one row; it must have one value per column."""
        if len(values) != len(self.columns):
            raise ValueError(f"row {list(values)!r} has {len(values)} values for {len(self.columns)} columns")
        for value in values:
            _check_cell(value)
        self.data.append(list(values))

    def add_column(self, name: str, data: Sequence[Any]) -> None:
        """Adds a column holding one value per existing row."""
        if name in self.columns:
            raise ValueError(f"column {name!r} exists already")
        if self.data and len(data) != len(self.data):
            raise ValueError(f"column {name!r} has {len(data)} values for {len(self.data)} rows")
        for value in data:
            _check_cell(value)
        self.columns.append(str(name))
        if not self.data:
            self.data = [[value] for value in data]
        else:
            for row, value in zip(self.data, data):
                row.append(value)

    def get_column(self, name: str) -> List[Any]:
        """The values of one column, in row order."""
        try:
            index = self.columns.index(name)
        except ValueError:
            raise KeyError(f"table has no column {name!r}; its columns are {self.columns}") from None
        return [row[index] for row in self.data]

    def to_json(self) -> str:
        """The table in the reference's shape."""
        data = [[_without_nan(value) for value in row] for row in self.data]
        return json.dumps({"_type": "table", "columns": self.columns, "data": data}, allow_nan=False)

    def __len__(self) -> int:
        return len(self.data)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Table) and other.columns == self.columns and other.data == self.data

    def __repr__(self) -> str:
        return f"Table(columns={self.columns!r}, rows={len(self.data)})"


class PartitionedTable:
    """A table whose rows are the tables in a folder of the artifact (``parts_path``), read in order."""

    def __init__(self, parts_path: str) -> None:
        if not parts_path or parts_path.startswith("/") or ".." in parts_path.split("/"):
            raise ValueError(f"parts_path {parts_path!r} must be a folder inside the artifact")
        self.parts_path: str = parts_path.rstrip("/")

    def __repr__(self) -> str:
        return f"PartitionedTable({self.parts_path!r})"


def _check_cell(value: Any) -> None:
    if isinstance(value, float) and math.isinf(value):
        raise ValueError(f"table cell {value!r} is not a JSON value (±Infinity cannot be stored)")
    if value is None or isinstance(value, (str, int, float, bool)):
        return
    if isinstance(value, (list, tuple)):
        for item in value:
            _check_cell(item)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"table cell key {key!r} is not a string")
            _check_cell(item)
        return
    raise ValueError(f"table cell {value!r} of type {type(value).__name__} is not a JSON value")


def _without_nan(value: Any) -> Any:
    # NaN becomes null, as the reference stores it.
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (list, tuple)):
        return [_without_nan(item) for item in value]
    if isinstance(value, dict):
        return {key: _without_nan(item) for key, item in value.items()}
    return value
