"""The bulletin as PDF: the same HTML laid out by WeasyPrint (no browser, no network; the
Chinese text needs a CJK font installed: scripts/test.sh installs fonts-wqy-microhei)."""

from __future__ import annotations

from cmdash.errors import InputError


def render(html: str, compress: bool = True) -> bytes:
    """PDF bytes; `compress=False` leaves the objects readable (the tests look for the
    embedded CJK font)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # the library, or Pango beneath it, is missing
        raise InputError(f"PDF needs WeasyPrint and Pango ({exc}); use --format html or "
                         "xlsx") from exc
    return HTML(string=html, base_url=None).write_pdf(uncompressed_pdf=not compress)
