"""The validator's public entry point: `validate(root, today=None) -> Report`.

The implementation lives in the cmdash.validation package (rules as data, schema checks,
DuckDB value checks); this module keeps the short import path stable.
"""

from cmdash.validation import RULES, Finding, Report, Rule, validate

__all__ = ["RULES", "Finding", "Report", "Rule", "validate"]
