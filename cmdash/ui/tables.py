"""Table column settings shared by the pages: numbers in their unit's format."""

from __future__ import annotations

import streamlit as st

from cmdash.numbers import column_format


def number_columns(units: dict[str, str]) -> dict[str, object]:
    """st.dataframe column_config giving each column of `units` thousands separators and
    its unit's decimals (`1,936.0`, not `1936.0025`)."""
    return {col: st.column_config.NumberColumn(col, format=column_format(unit))
            for col, unit in units.items()}
