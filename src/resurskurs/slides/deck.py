"""Lay the outline out on a template: fitted text, the QR code, the progress chart, notes on every slide."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.presentation import Presentation
from pptx.shapes.autoshape import Shape
from pptx.shapes.base import BaseShape
from pptx.slide import Slide as PptxSlide
from pptx.slide import SlideLayout
from pptx.text.text import TextFrame
from pptx.util import Emu, Inches, Pt

from resurskurs.catalog.load import Module
from resurskurs.core.figures import EvaluationFigures, ModuleFigures
from resurskurs.files import write_atomically
from resurskurs.slides import qr
from resurskurs.slides.fitting import (
    BULLET_INDENT,
    FONT_NAME,
    LINE_PITCH,
    PARAGRAPH_GAP,
    Frame,
    Page,
    Para,
    Sizes,
    fit_line,
    paginate,
)
from resurskurs.slides.outline import COVER_TITLE, SUBTITLE, TITLE, ChartSlide, TextSlide, TitleSlide, outline
from resurskurs.slides.template import Layouts, open_template

EMU_PER_POINT = 12700
INSET_X, INSET_Y = Emu(91440), Emu(45720)
"""Text frame insets, set on every frame so the measured area is the drawn one whatever the template says."""
QR_CAPTION = "Öppna modulen"
QR_CAPTION_SIZES = Sizes(20, 18)
QR_LARGEST = Inches(2.8)
GAP = Inches(0.3)
MARGIN = Inches(0.4)
CONTINUED = " (forts.)"
_TITLES = {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE}
_BODIES = {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE}


def build_deck(
    module: Module,
    *,
    template: Path | None = None,
    progress: ModuleFigures | None = None,
    evaluation: EvaluationFigures | None = None,
    course_url: str | None = None,
) -> Presentation:
    """The workshop deck for one module; with figures, the group's progress chart and evaluation too."""
    presentation, layouts = open_template(template)
    geometry = Geometry.of(layouts)
    url = course_url or qr.course_url(module.course.slug)
    for slide in outline(module, course_url=url, progress=progress, evaluation=evaluation):
        if isinstance(slide, TitleSlide):
            _title_slide(presentation, layouts, geometry, slide)
        elif isinstance(slide, TextSlide):
            _text_slides(presentation, layouts, geometry, slide)
        else:
            _chart_slide(presentation, layouts, geometry, slide)
    return presentation


def deck_bytes(
    module: Module,
    *,
    template: Path | None = None,
    progress: ModuleFigures | None = None,
    evaluation: EvaluationFigures | None = None,
    course_url: str | None = None,
) -> bytes:
    """The deck as .pptx bytes, for a download button."""
    buffer = io.BytesIO()
    deck = build_deck(module, template=template, progress=progress, evaluation=evaluation, course_url=course_url)
    deck.save(buffer)
    return buffer.getvalue()


def write_deck(
    path: Path,
    module: Module,
    *,
    template: Path | None = None,
    progress: ModuleFigures | None = None,
    evaluation: EvaluationFigures | None = None,
    course_url: str | None = None,
) -> Path:
    """Write the deck atomically: a half-written file never replaces a deck someone already has."""
    data = deck_bytes(module, template=template, progress=progress, evaluation=evaluation, course_url=course_url)
    return write_atomically(path, data)


def _placeholder(holder: PptxSlide | SlideLayout, types: set[PP_PLACEHOLDER]) -> Shape:
    """The first placeholder of one of `types`; layouts were picked for having one, so it is there."""
    for shape in holder.shapes:
        if shape.is_placeholder and shape.placeholder_format.type in types and isinstance(shape, Shape):
            return shape
    raise LookupError(f"no {' or '.join(sorted(t.name for t in types))} placeholder in layout {holder.name!r}")


@dataclass(frozen=True)
class Box:
    """Where a shape sits, in EMU."""

    left: int
    top: int
    width: int
    height: int

    @classmethod
    def of(cls, shape: BaseShape) -> Box:
        return cls(shape.left, shape.top, shape.width, shape.height)

    @property
    def frame(self) -> Frame:
        """The area text may use, in points: the box less the insets every frame gets."""
        return Frame((self.width - 2 * INSET_X) / EMU_PER_POINT, (self.height - 2 * INSET_Y) / EMU_PER_POINT)


@dataclass(frozen=True)
class Geometry:
    """The placeholders' boxes, read once from the layouts: slides inherit them, and reading an inherited
    position walks the layout and master each time."""

    cover_title: Box
    subtitle: Box
    title: Box
    body: Box
    chart_title: Box

    @classmethod
    def of(cls, layouts: Layouts) -> Geometry:
        return cls(
            Box.of(_placeholder(layouts.title, _TITLES)),
            Box.of(_placeholder(layouts.title, {PP_PLACEHOLDER.SUBTITLE})),
            Box.of(_placeholder(layouts.content, _TITLES)),
            Box.of(_placeholder(layouts.content, _BODIES)),
            Box.of(_placeholder(layouts.title_only, _TITLES)),
        )


def _fill(frame: TextFrame, page: Page, align: PP_ALIGN | None = PP_ALIGN.LEFT) -> None:
    """Write the page's paragraphs with every property the measurement assumed made explicit."""
    frame.clear()
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = INSET_X
    frame.margin_top = frame.margin_bottom = INSET_Y
    size = page.size
    for index, paragraph in enumerate(page.paragraphs):
        target = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        target.line_spacing = Pt(LINE_PITCH * size)
        target.space_before = Pt(0 if index == 0 else PARAGRAPH_GAP * size)
        target.space_after = Pt(0)
        if align is not None:
            target.alignment = align
        _indent(target._p.get_or_add_pPr(), paragraph, size)
        run = target.add_run()
        run.text = paragraph.text
        run.font.size = Pt(size)
        run.font.name = FONT_NAME
        run.font.bold = False
        run.font.italic = False


def _indent(properties: etree._Element, paragraph: Para, size: int) -> None:
    """Hanging indent and bullet, set on the paragraph: python-pptx has no API for either."""
    indent = round(BULLET_INDENT * size * EMU_PER_POINT) if paragraph.indented else 0
    properties.set("marL", str(indent))
    properties.set("indent", str(-indent if paragraph.bullet else 0))
    for tag in ("a:buFont", "a:buNone", "a:buChar", "a:buAutoNum"):
        for old in properties.findall(qn(tag)):
            properties.remove(old)
    if paragraph.bullet:
        etree.SubElement(properties, qn("a:buFont"), typeface=FONT_NAME)
        etree.SubElement(properties, qn("a:buChar"), char="•")
    else:
        etree.SubElement(properties, qn("a:buNone"))


def _notes(slide: PptxSlide, text: str) -> None:
    frame = slide.notes_slide.notes_text_frame
    assert frame is not None, "pick_layouts checked the notes master for a text placeholder"
    frame.text = text


def _title(slide: PptxSlide, text: str, box: Box, sizes: Sizes) -> None:
    fitted, size = fit_line(text, box.frame, sizes)
    _fill(_placeholder(slide, _TITLES).text_frame, Page(size, (Para(fitted, bullet=False),)), align=None)


def _title_slide(presentation: Presentation, layouts: Layouts, geometry: Geometry, content: TitleSlide) -> None:
    slide = presentation.slides.add_slide(layouts.title)
    _title(slide, content.title, geometry.cover_title, COVER_TITLE)
    lines = [Para(line, bullet=False) for line in content.subtitle]
    page = paginate(lines, geometry.subtitle.frame, SUBTITLE)[0]
    _fill(_placeholder(slide, {PP_PLACEHOLDER.SUBTITLE}).text_frame, page, align=None)
    _notes(slide, content.notes)


def _text_slides(presentation: Presentation, layouts: Layouts, geometry: Geometry, content: TextSlide) -> None:
    body = geometry.body
    qr_side = min(QR_LARGEST, int(body.width * 0.3), body.height - _caption_height()) if content.qr_url else 0
    if content.qr_url:
        body = Box(body.left, body.top, body.width - qr_side - GAP, body.height)
    pages = paginate(list(content.paragraphs), body.frame, content.sizes)
    for index, page in enumerate(pages):
        slide = presentation.slides.add_slide(layouts.content)
        _title(slide, content.title + (CONTINUED if index else ""), geometry.title, TITLE)
        shape = _placeholder(slide, _BODIES)
        shape.left, shape.top, shape.width, shape.height = (
            Emu(body.left),
            Emu(body.top),
            Emu(body.width),
            Emu(body.height),
        )
        shape.text_frame.vertical_anchor = MSO_ANCHOR.TOP
        _fill(shape.text_frame, page)
        if content.qr_url:
            _qr(
                slide,
                content.qr_url,
                Box(geometry.body.left + geometry.body.width - qr_side, body.top, qr_side, qr_side),
            )
        _notes(slide, content.notes if not index else f"Fortsättning från föregående bild. {content.notes}")


def _caption_height() -> int:
    return int(LINE_PITCH * QR_CAPTION_SIZES.largest * EMU_PER_POINT + 2 * INSET_Y)


def _qr(slide: PptxSlide, url: str, box: Box) -> None:
    left, top, side = Emu(box.left), Emu(box.top), Emu(box.width)
    picture = slide.shapes.add_picture(io.BytesIO(qr.qr_png(url)), left, top, side, side)
    picture.name = "QR-kod"
    picture.element.xpath("./p:nvPicPr/p:cNvPr")[0].set("descr", f"QR-kod till modulen: {url}")
    caption = Box(box.left, box.top + box.height, box.width, _caption_height())
    shape = slide.shapes.add_textbox(left, Emu(caption.top), side, Emu(caption.height))
    text, size = fit_line(QR_CAPTION, caption.frame, QR_CAPTION_SIZES)
    _fill(shape.text_frame, Page(size, (Para(text, bullet=False),)), align=PP_ALIGN.CENTER)


def _chart_slide(presentation: Presentation, layouts: Layouts, geometry: Geometry, content: ChartSlide) -> None:
    slide = presentation.slides.add_slide(layouts.title_only)
    title = geometry.chart_title
    _title(slide, content.title, title, TITLE)
    top = title.top + title.height + GAP
    data = CategoryChartData()
    data.categories = content.categories
    data.add_series("Personer", content.values)
    frame = slide.shapes.add_chart(
        XL_CHART_TYPE.BAR_CLUSTERED,
        Emu(title.left),
        Emu(top),
        Emu(title.width),
        Emu((presentation.slide_height or 0) - top - MARGIN),
        data,
    )
    frame.name = "Diagram: status i modulen"
    chart = frame.chart
    chart.font.name = FONT_NAME
    chart.font.size = Pt(18)
    chart.has_legend = False
    chart.has_title = True
    chart.chart_title.text_frame.text = content.caption
    chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(22)
    plot = chart.plots[0]
    plot.has_data_labels = True
    plot.data_labels.number_format = "0"
    plot.data_labels.number_format_is_linked = False
    plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
    chart.category_axis.reverse_order = True
    chart.value_axis.has_major_gridlines = False
    chart.value_axis.minimum_scale = 0
    chart.value_axis.visible = False
    _notes(slide, content.notes)
