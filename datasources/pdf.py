"""The roadmap report as a PDF (fpdf2), drawn from the plain `ReportData` the domain assembles.

Text is set in DejaVu Sans, bundled in `datasources/fonts/` (licence beside it), so any name — "Zoë
Ångström-Łukasiewicz" — prints and extracts as written. The timeline is drawn with rectangles on the page.
"""

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from anyio import to_thread
from fpdf import FPDF, FontFace

from domain.roadmaps.model import TaskStatus
from domain.roadmaps.reports import ChecklistRow, PointsTable, ReportData, TimelineBar

FONTS = Path(__file__).parent / "fonts"
FAMILY = "DejaVu"
INK = (33, 37, 41)
MUTED = (108, 117, 125)
ACCENT = (26, 95, 180)
STATUS_COLOURS = {
    TaskStatus.DONE: (46, 160, 67),
    TaskStatus.IN_PROGRESS: ACCENT,
    TaskStatus.TODO: (230, 145, 56),
    TaskStatus.SKIPPED: (173, 181, 189),
}
HEADINGS = FontFace(emphasis="BOLD", fill_color=(232, 238, 247))


class _Document(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 6, f"Migratio roadmap report · page {self.page_no()}/{{nb}}", align="C")


def _new_document() -> _Document:
    pdf = _Document(format="A4")
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_title("Migratio roadmap report")
    pdf.set_creator("Migratio")
    return pdf


def _heading(pdf: FPDF, text: str) -> None:
    if pdf.get_y() > pdf.h - 50:
        pdf.add_page()
    pdf.ln(4)
    pdf.set_font(FAMILY, "B", 14)
    pdf.set_text_color(*ACCENT)
    pdf.cell(0, 9, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*ACCENT)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(2)
    pdf.set_font(FAMILY, size=9)
    pdf.set_text_color(*INK)
    pdf.set_fill_color(255, 255, 255)  # tables fill their cells with the current colour


def _paragraph(pdf: FPDF, text: str, size: float = 9) -> None:
    pdf.set_font(FAMILY, size=size)
    pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")


def _cover(pdf: FPDF, data: ReportData) -> None:
    pdf.add_page()
    pdf.set_fill_color(*ACCENT)
    pdf.rect(0, 0, pdf.w, 70, style="F")
    pdf.set_xy(15, 22)
    pdf.set_text_color(255, 255, 255)
    pdf.set_font(FAMILY, "B", 26)
    pdf.cell(0, 12, "Your migration roadmap", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=13)
    pdf.cell(0, 9, f"{data.program_name} ({data.program_country})", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(85)
    pdf.set_text_color(*INK)
    pdf.set_font(FAMILY, "B", 18)
    pdf.cell(0, 10, f"Prepared for {data.person_name}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FAMILY, size=11)
    for label, value in (
        ("Generated on", data.generated_on.isoformat()),
        ("Roadmap starts", data.start_date.isoformat()),
        ("Target completion", data.target_end.isoformat()),
        ("Progress", f"{data.progress_percent}% of tasks done"),
    ):
        pdf.set_font(FAMILY, "B", 11)
        pdf.cell(50, 8, label)
        pdf.set_font(FAMILY, size=11)
        pdf.cell(0, 8, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_text_color(*MUTED)
    _paragraph(
        pdf,
        "Dates are planning figures from official typical processing times, not promises. Points and "
        "eligibility are computed from the answers you gave; check them against the official sources "
        "before you apply.",
        size=9,
    )
    pdf.set_text_color(*INK)


def _profile(pdf: FPDF, data: ReportData) -> None:
    _heading(pdf, "Your profile")
    with pdf.table(
        col_widths=(60, 120), text_align=("LEFT", "LEFT"), first_row_as_headings=False, line_height=6
    ) as table:
        for label, value in data.profile:
            row = table.row()
            row.cell(label, style=FontFace(emphasis="BOLD"))
            row.cell(value)


def _recommendations(pdf: FPDF, data: ReportData) -> None:
    _heading(pdf, "Recommended programs")
    if not data.recommendations:
        _paragraph(pdf, "No program could be ranked for this profile.")
        return
    with pdf.table(
        col_widths=(10, 66, 16, 32, 18, 38),
        headings_style=HEADINGS,
        line_height=6,
        text_align=("CENTER", "LEFT", "CENTER", "LEFT", "CENTER", "CENTER"),
    ) as table:
        table.row(["#", "Program", "Country", "Eligibility", "Match", "Points"])
        for r in data.recommendations:
            table.row([str(r.rank), r.program, r.country, r.verdict, str(r.match_score), r.points])


def _points(pdf: FPDF, points: PointsTable | None, program: str) -> None:
    _heading(pdf, f"Points for {program}")
    if points is None:
        _paragraph(pdf, "This program has no points test.")
        return
    _paragraph(pdf, f"Score: {points.scale} (each points system is its own scale; never compare across them).")
    with pdf.table(
        col_widths=(52, 16, 16, 96),
        headings_style=HEADINGS,
        line_height=5,
        text_align=("LEFT", "CENTER", "CENTER", "LEFT"),
    ) as table:
        table.row(["Factor", "Points", "Max", "Why"])
        for f in points.factors:
            table.row([f.label, str(f.points), str(f.maximum), f.explanation])
        total = table.row(style=FontFace(emphasis="BOLD"))
        for text in (
            "Total",
            str(points.total),
            str(points.maximum),
            "" if points.pass_mark is None else f"pass mark {points.pass_mark}",
        ):
            total.cell(text)


def _gaps(pdf: FPDF, data: ReportData) -> None:
    _heading(pdf, "Gap analysis")
    _paragraph(pdf, f"Eligibility today: {data.gap_verdict}.")
    if not data.gaps:
        _paragraph(pdf, "No single change found that would improve the outcome.")
        return
    pdf.ln(1)
    with pdf.table(col_widths=(100, 80), headings_style=HEADINGS, line_height=5, text_align=("LEFT", "LEFT")) as table:
        table.row(["Change", "Effect"])
        for gap in data.gaps:
            table.row([gap.description, gap.effect])


def _fit(pdf: FPDF, text: str, width: float) -> str:
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _months(first: date, last: date) -> list[date]:
    ticks, day = [], first.replace(day=1)
    while day <= last:
        if day >= first:
            ticks.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    step = max(1, len(ticks) // 8)
    return ticks[::step]


def _timeline(pdf: FPDF, bars: Sequence[TimelineBar], start: date) -> None:
    """One row per task: the typical span as a solid bar over its earliest-to-latest range."""
    _heading(pdf, "Timeline")
    if not bars:
        return
    label_w, row_h = 55.0, 7.0
    left = pdf.l_margin + label_w
    width = pdf.w - pdf.r_margin - left
    first = min(min(b.earliest.start for b in bars), start)
    last = max(b.latest.end for b in bars)
    span = max((last - first).days, 1)

    def x_of(day: date) -> float:
        return left + width * (day - first).days / span

    if pdf.get_y() + row_h * (len(bars) + 3) > pdf.h - pdf.b_margin:
        pdf.add_page()
    top = pdf.get_y() + 6
    pdf.set_font(FAMILY, size=7)
    pdf.set_text_color(*MUTED)
    pdf.set_draw_color(222, 226, 230)
    for tick in _months(first, last):
        x = x_of(tick)
        pdf.line(x, top - 1, x, top + row_h * len(bars))
        pdf.set_xy(x - 8, top - 6)
        pdf.cell(16, 4, tick.strftime("%b %Y"), align="C")
    for i, bar in enumerate(bars):
        y = top + i * row_h
        pdf.set_xy(pdf.l_margin, y)
        pdf.set_text_color(*INK)
        pdf.set_font(FAMILY, size=8)
        pdf.cell(label_w - 2, row_h, _fit(pdf, bar.title, label_w - 3), align="L")
        pdf.set_fill_color(222, 226, 230)
        pdf.rect(
            x_of(bar.earliest.start),
            y + 2.2,
            max(x_of(bar.latest.end) - x_of(bar.earliest.start), 0.6),
            row_h - 4.4,
            style="F",
        )
        pdf.set_fill_color(*STATUS_COLOURS[bar.status])
        pdf.rect(
            x_of(bar.target.start),
            y + 1.2,
            max(x_of(bar.target.end) - x_of(bar.target.start), 0.8),
            row_h - 2.4,
            style="F",
        )
    pdf.set_y(top + row_h * len(bars) + 3)
    pdf.set_font(FAMILY, size=7)
    pdf.set_text_color(*MUTED)
    pdf.cell(
        0,
        4,
        f"{first.isoformat()} – {last.isoformat()}. Solid bar: typical dates; grey: earliest start to "
        "latest end. Green done, blue in progress, orange to do.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_text_color(*INK)


def _checkbox(pdf: FPDF, x: float, y: float, checked: bool) -> None:
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.3)
    pdf.rect(x, y, 4, 4)
    if checked:
        pdf.set_draw_color(*STATUS_COLOURS[TaskStatus.DONE])
        pdf.set_line_width(0.6)
        pdf.line(x + 0.8, y + 2.1, x + 1.7, y + 3.2)
        pdf.line(x + 1.7, y + 3.2, x + 3.4, y + 0.8)
        pdf.set_line_width(0.2)


def _checklist(pdf: FPDF, items: Sequence[ChecklistRow]) -> None:
    _heading(pdf, "Document checklist")
    for item in items:
        if pdf.get_y() > pdf.h - pdf.b_margin - 8:
            pdf.add_page()
        y = pdf.get_y()
        _checkbox(pdf, pdf.l_margin, y + 1, item.done)
        pdf.set_xy(pdf.l_margin + 7, y)
        pdf.set_font(FAMILY, "B" if not item.done else "", 9)
        pdf.cell(110, 6, item.title)
        pdf.set_font(FAMILY, size=8)
        pdf.set_text_color(*MUTED)
        note = item.who + (" · may apply" if item.uncertain else "") + (" · verified" if item.done else "")
        pdf.cell(0, 6, note, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(*INK)


def render_report(data: ReportData) -> bytes:
    pdf = _new_document()
    _cover(pdf, data)
    pdf.add_page()
    _profile(pdf, data)
    _recommendations(pdf, data)
    _points(pdf, data.points, data.program_name)
    _gaps(pdf, data)
    _timeline(pdf, data.timeline, data.start_date)
    _checklist(pdf, data.checklist)
    return bytes(pdf.output())


class PdfReportRenderer:
    """fpdf2 is CPU-bound and synchronous: render in a worker thread."""

    async def render(self, data: ReportData) -> bytes:
        return await to_thread.run_sync(render_report, data)
