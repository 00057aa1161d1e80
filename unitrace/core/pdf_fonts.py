"""The Chinese font every generated PDF (labels, delivery notes) embeds.

A PDF that names a font without embedding it (reportlab's built-in CID fonts) shows
Chinese only where the viewer happens to have a matching font, and prints boxes on a
label printer's driver. So the PDFs embed a subset of a TrueType font installed by the
setup (``fonts-wqy-microhei``, see the Makefile's system packages): only the glyphs a
document uses are written, a few kilobytes per document.

``UNITRACE_PDF_FONT`` names another font file (TrueType ``.ttf``/``.ttc``; OpenType
fonts with CFF outlines such as Noto CJK cannot be embedded by reportlab). A missing or
unreadable font is a ``PdfFontMissing`` refusal the pages show, never a 500.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from unitrace.core.errors import DomainError

FONT_NAME = "UnitraceCJK"
# Where Debian's fonts-wqy-microhei (the setup's package) and fonts-wqy-zenhei put them.
CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


class PdfFontMissing(DomainError):
    """No embeddable Chinese font is installed: the PDF cannot be written."""

    code = "pdf_font_missing"
    status = 503
    default_message = gettext_lazy(
        "The PDF cannot be made: the Chinese font is not installed on the server "
        "(install fonts-wqy-microhei or set UNITRACE_PDF_FONT)."
    )


def font_path() -> Path | None:
    """The configured font file, else the first installed candidate, else None."""
    configured = getattr(settings, "UNITRACE_PDF_FONT", "")
    paths = [configured] if configured else list(CANDIDATES)
    for candidate in paths:
        path = Path(candidate)
        if path.is_file():
            return path
    return None


_registered: dict[tuple[str, bool], str] = {}  # (font file, mono) -> reportlab name


def _register(name: str, path: str, index: int) -> None:
    pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))


def cjk_font(*, mono: bool = False) -> str:
    """Register the embeddable font once per file and answer its reportlab name.

    reportlab embeds a TrueType font as a subset of the glyphs drawn. ``mono`` asks for
    the collection's second face (WenQuanYi Micro Hei Mono) for serials and codes,
    whose columns should line up; a file with one face answers its only one. The name
    changes with the file so a changed setting takes effect without a restart.
    """
    path = font_path()
    if path is None:
        raise PdfFontMissing()
    key = (str(path), mono)
    if key in _registered:
        return _registered[key]
    name = f"{FONT_NAME}{len(_registered)}"
    try:
        try:
            _register(name, key[0], 1 if mono else 0)
        except TTFError:
            if not mono:
                raise
            _register(name, key[0], 0)  # not a collection: the one face
    except (TTFError, OSError) as exc:
        raise PdfFontMissing(
            _("The PDF cannot be made: the font file %(path)s cannot be read.") % {"path": key[0]}
        ) from exc
    _registered[key] = name
    return name
