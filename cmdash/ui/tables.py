"""Widget helpers shared by the pages: numbers in their unit's format, per-language keys."""

from __future__ import annotations

import streamlit as st

from cmdash.numbers import column_format


def number_columns(units: dict[str, str]) -> dict[str, object]:
    """st.dataframe column_config giving each column of `units` thousands separators and
    its unit's decimals (`1,936.0`, not `1936.0025`)."""
    return {col: st.column_config.NumberColumn(col, format=column_format(unit))
            for col, unit in units.items()}


def lang_key(ctx, key: str) -> str:
    """A widget key per language, carrying the choice over from the other language: a
    multiselect keeps its chips' old-language text after a switch when its key stays."""
    from cmdash.i18n import LANGUAGES

    mine = f"{key}__{ctx.lang}"
    if mine not in st.session_state:
        for other in LANGUAGES:
            if f"{key}__{other}" in st.session_state and other != ctx.lang:
                st.session_state[mine] = st.session_state[f"{key}__{other}"]
                break
    return mine


def with_row_details(table, key: str, detail_column: str, hint: str,
                     column_config: dict | None = None) -> None:
    """A table whose long text column (reasons, evidence) is shown in full for the row the
    reader selects, below it: cells cut text off and Streamlit tables do not wrap."""
    event = st.dataframe(table, hide_index=True, width="stretch", key=key, on_select="rerun",
                         selection_mode="single-row",
                         column_config={**(column_config or {}),
                                        detail_column: st.column_config.TextColumn(
                                            detail_column, width="large")})
    rows = event.selection.rows if event is not None else []
    if rows:
        st.info(str(table.iloc[rows[0]][detail_column]))
    else:
        st.caption(hint)
