"""Heavy work happens once per dataset and filter change; everything else reads the cache."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cmdash.dataset import Dataset
from cmdash.engine import Engine, open_engine
from cmdash.query import Filters, run
from cmdash.validate import Report, validate


@st.cache_resource(show_spinner=False, max_entries=8)
def engine_for(root: str, version: str) -> Engine:
    """One DuckDB database per dataset version; pages get a cursor per thread from it."""
    del version  # part of the cache key only
    return open_engine(Dataset.open(root))


@st.cache_data(show_spinner=False, ttl=3600, max_entries=512)
def query(root: str, version: str, name: str, filters: Filters) -> pd.DataFrame:
    return run(engine_for(root, version), name, filters)


@st.cache_data(show_spinner=False, ttl=3600, max_entries=16)
def validation_report(root: str, version: str) -> Report:
    del version
    return validate(root)


@st.cache_data(show_spinner=False, ttl=5)
def dataset_version(root: str) -> str:
    """Stat the files at most every few seconds, not on every widget change."""
    return Dataset.open(root).version()
