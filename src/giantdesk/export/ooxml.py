"""Small OOXML helpers shared by the DOCX renderings (the application copy, the provincial
summaries): East-Asian fonts, cell shading/margins/borders, a deterministic re-zip."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

#: Fixed zip member time (the DOS epoch): the document's own time is in its core properties.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
LATIN_FONT = "Times New Roman"


def set_fonts(rpr_owner: Any, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Set the Latin and East-Asian fonts of a run or style (``w:rFonts``), dropping theme fonts
    that would override them."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def cell_margins(table: Any, vertical_twips: int = 40, horizontal_twips: int = 70) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side, size in (("top", vertical_twips), ("left", horizontal_twips),
                       ("bottom", vertical_twips), ("right", horizontal_twips)):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(size))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def shade(cell: Any, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def borders(cell: Any, *, bottom: bool) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    if bottom:
        line = OxmlElement("w:bottom")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "6")
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "000000")
        borders.append(line)
    tc_pr.append(borders)


def rezip(data: bytes) -> bytes:
    """The same package with a fixed member order ([Content_Types].xml first, then by name) and
    fixed member times, so that the same record gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            target.writestr(info, source.read(name), compresslevel=9)
    return out.getvalue()


def field_code(instruction: str) -> list[Any]:
    """The elements of a simple field such as ``PAGE`` or ``NUMPAGES``, each to be put in a run
    of its own: begin, the instruction, separate, a placeholder result, end."""
    elements = []
    for kind in ("begin", "instr", "separate", "text", "end"):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = "1"
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elements.append(element)
    return elements
