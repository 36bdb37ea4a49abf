"""Chinese-first labels: every string a user reads, looked up by key in one language."""

from __future__ import annotations

from cmdash.labels import LABELS

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **values: object) -> str:
    """The label in `lang`, formatted with `values`; an unknown key fails loudly in tests."""
    zh, en = LABELS[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text


def pick(zh: str, en: str, lang: str) -> str:
    """For labels declared beside their data (contract columns, rules) rather than here."""
    return en if lang == "en" else zh
