"""One bulletin, three formats: what the CLI writes and the Overview page offers."""

from __future__ import annotations

from cmdash.report.bulletin import Bulletin

FORMATS = {"html": "text/html", "xlsx":
           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "pdf": "application/pdf"}


def render(b: Bulletin, fmt: str) -> bytes:
    from cmdash.report import html

    if fmt == "html":
        return html.render(b).encode("utf-8")
    if fmt == "xlsx":
        from cmdash.report import xlsx

        return xlsx.render(b)
    if fmt == "pdf":
        from cmdash.report import pdf

        return pdf.render(html.render(b))
    raise ValueError(f"unknown bulletin format {fmt!r}")
