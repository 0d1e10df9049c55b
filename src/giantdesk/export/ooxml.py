"""Small OOXML helpers shared by the DOCX renderings (the application copy, the provincial
summaries): East-Asian fonts, cell shading/margins/borders, rows kept whole, a package tidy
(:func:`tidy_docx`) and a deterministic re-zip.

Every element written here is inserted where ECMA-376 puts it among its siblings (the schema
fixes the order of the children of ``w:rPr``, ``w:tblPr``, ``w:tcPr`` …; Word refuses or
"repairs" a document that breaks it); ``tests/export/test_docx.py`` checks the order of every
element of the rendered documents against the schema's sequences.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree  # type: ignore[import-untyped]  # python-docx uses lxml; no stubs

#: Fixed zip member time (the DOS epoch): the document's own time is in its core properties.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
LATIN_FONT = "Times New Roman"

# ECMA-376 Part 1 (transitional), the children that may follow a given child, in order; only
# for the parents this module writes into. (w:trPr is a choice: any order.)
_ORDER: dict[str, tuple[str, ...]] = {
    "w:rPr": ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
              "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint",
              "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing",
              "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
              "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
              "w:eastAsianLayout", "w:specVanish", "w:oMath", "w:rPrChange"),
    "w:tblPr": ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual",
                "w:tblStyleRowBandSize", "w:tblStyleColBandSize", "w:tblW", "w:jc",
                "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout",
                "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
                "w:tblPrChange"),
    "w:tcPr": ("w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders",
               "w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign",
               "w:hideMark", "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge",
               "w:tcPrChange"),
    "w:trPr": ("w:ins", "w:del", "w:trPrChange"),  # after the choice of row properties
}


def insert_ordered(parent: Any, child: Any) -> Any:
    """Put ``child`` into ``parent`` where the schema wants it (replacing one of its kind)."""
    parent_tag = _prefixed(parent.tag)
    tag = _prefixed(child.tag)
    for old in parent.findall(qn(tag)):
        parent.remove(old)
    order = _ORDER[parent_tag]
    successors = order[order.index(tag) + 1:] if tag in order else order
    parent.insert_element_before(child, *successors)
    return child


def _prefixed(clark: str) -> str:
    return "w:" + clark.rsplit("}", 1)[-1]


def set_fonts(rpr_owner: Any, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Set the Latin and East-Asian fonts of a run or style (``w:rFonts``), dropping theme fonts
    that would override them, and the East-Asian language (zh-CN)."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = insert_ordered(rpr, OxmlElement("w:rFonts"))
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = insert_ordered(rpr, OxmlElement("w:lang"))
    lang.set(qn("w:eastAsia"), "zh-CN")


def cell_margins(table: Any, vertical_twips: int = 40, horizontal_twips: int = 70) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side, size in (("top", vertical_twips), ("left", horizontal_twips),
                       ("bottom", vertical_twips), ("right", horizontal_twips)):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(size))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    insert_ordered(table._tbl.tblPr, margins)


def shade(cell: Any, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    insert_ordered(cell._tc.get_or_add_tcPr(), shading)


def borders(cell: Any, *, bottom: bool) -> None:
    element = OxmlElement("w:tcBorders")
    if bottom:
        line = OxmlElement("w:bottom")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "6")
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "000000")
        element.append(line)
    insert_ordered(cell._tc.get_or_add_tcPr(), element)


def row_flag(row: Any, tag: str) -> None:
    """Set an on/off row property: ``w:cantSplit`` (the row is never split across pages) or
    ``w:tblHeader`` (repeated at the top of every page)."""
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn(tag)) is None:
        flag = OxmlElement(tag)
        flag.set(qn("w:val"), "true")
        insert_ordered(tr_pr, flag)


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


# -- the package: python-docx's template leftovers out ---------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_EXT = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
#: Relationship types of the parts :func:`tidy_docx` drops.
_DROPPED_RELS = ("/metadata/thumbnail", "/relationships/customXml", "/stylesWithEffects")




@dataclass(frozen=True)
class FontDecl:
    """A font a DOCX names, for its font table: what Word should use where it is missing
    (``alternative``), and its class (GB 2312 charset "86", family, pitch)."""

    name: str
    alternative: str
    family: str = "roman"  # roman (Song/serif) | modern | swiss (sans)
    pitch: str = "variable"
    charset: str = "86"


def tidy_docx(data: bytes, fonts: Sequence[FontDecl], application: str) -> bytes:
    """The DOCX without python-docx's template leftovers: no thumbnail, no bibliography
    customXml, no stylesWithEffects; ``application`` in app.xml (not "Microsoft Macintosh
    Word"); no ``lastPrinted``; zh-CN as the East-Asian language of the theme and of the
    document defaults; a font table naming ``fonts`` (with their alternatives) and nothing
    else."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = {name: source.read(name) for name in source.namelist()}
    dropped = {name for name in members
               if name.startswith("customXml/") or name in (
                   "docProps/thumbnail.jpeg", "word/stylesWithEffects.xml")}
    for name in dropped:
        del members[name]
    for rels in ("_rels/.rels", "word/_rels/document.xml.rels"):
        members[rels] = _edit(members[rels], _drop_rels)
    members["[Content_Types].xml"] = _edit(members["[Content_Types].xml"],
                                           lambda root: _drop_overrides(root, dropped))
    members["docProps/app.xml"] = _app_xml(application)
    members["docProps/core.xml"] = _edit(members["docProps/core.xml"], _drop_last_printed)
    members["word/settings.xml"] = _edit(members["word/settings.xml"], _theme_language)
    members["word/styles.xml"] = _edit(members["word/styles.xml"], _default_language)
    members["word/fontTable.xml"] = _font_table(fonts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, body in members.items():
            target.writestr(zipfile.ZipInfo(name, date_time=ZIP_TIME), body)
    return out.getvalue()


def _serialize(root: Any) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _edit(data: bytes, change: Callable[[Any], None]) -> bytes:
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False))
    change(root)
    return _serialize(root)


def _drop_rels(root: Any) -> None:
    for rel in list(root):
        if rel.get("Type", "").endswith(_DROPPED_RELS):
            root.remove(rel)


def _drop_overrides(root: Any, dropped: set[str]) -> None:
    for element in list(root):
        if element.get("PartName", "").lstrip("/") in dropped:
            root.remove(element)


def _app_xml(application: str) -> bytes:
    root = etree.Element(f"{{{_EXT}}}Properties", nsmap={None: _EXT})
    etree.SubElement(root, f"{{{_EXT}}}Application").text = application
    return _serialize(root)


def _drop_last_printed(root: Any) -> None:
    for element in root.findall(f"{{{_CP}}}lastPrinted"):
        root.remove(element)


def _theme_language(root: Any) -> None:
    for element in root.iter(f"{{{_W}}}themeFontLang"):
        element.set(f"{{{_W}}}val", "en-US")
        element.set(f"{{{_W}}}eastAsia", "zh-CN")


def _default_language(root: Any) -> None:
    for element in root.iter(f"{{{_W}}}rPrDefault"):
        for lang in element.iter(f"{{{_W}}}lang"):
            lang.set(f"{{{_W}}}val", "en-US")
            lang.set(f"{{{_W}}}eastAsia", "zh-CN")


def _font_table(fonts: Sequence[FontDecl]) -> bytes:
    w = f"{{{_W}}}"
    root = etree.Element(f"{w}fonts", nsmap={"w": _W})
    for font in fonts:
        element = etree.SubElement(root, f"{w}font")
        element.set(f"{w}name", font.name)
        if font.alternative:
            etree.SubElement(element, f"{w}altName").set(f"{w}val", font.alternative)
        etree.SubElement(element, f"{w}charset").set(f"{w}val", font.charset)
        etree.SubElement(element, f"{w}family").set(f"{w}val", font.family)
        etree.SubElement(element, f"{w}pitch").set(f"{w}val", font.pitch)
    return _serialize(root)
