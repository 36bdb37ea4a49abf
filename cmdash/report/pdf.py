"""The bulletin as PDF: the same HTML laid out by WeasyPrint (no browser, no network; the
Chinese text needs a CJK font installed, e.g. Debian's fonts-noto-cjk)."""

from __future__ import annotations

from cmdash.errors import InputError


def render(html: str) -> bytes:
    try:
        from weasyprint import HTML
    except ImportError as exc:  # the library or its system libraries (Pango) are missing
        raise InputError(f"PDF needs WeasyPrint and Pango ({exc}); use --format html or "
                         "xlsx") from exc
    return HTML(string=html, base_url=None).write_pdf()
