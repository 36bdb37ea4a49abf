"""Validate a dataset folder against the data contract: `validate(root) -> Report`."""

from cmdash.validation.report import Finding, Report
from cmdash.validation.rules import RULES, Rule
from cmdash.validation.validator import validate

__all__ = ["RULES", "Finding", "Report", "Rule", "validate"]
