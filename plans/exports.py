"""Plans out: a Word document of the plan, an Excel sheet of work points and targets with progress."""

from __future__ import annotations

import io
from typing import Any

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from guanwei.imports import escape_formula, xlsx_response
from guanwei.workbooks import Percent
from metrics.goals import PERCENT_UNIT
from plans.models import OwnerKind, Plan, PlanSection, WorkPoint
from plans.progress import TargetProgress, show_target


def owner_label(point: WorkPoint) -> str:
    if point.owner_kind == OwnerKind.MEMBER_UNIT and point.member_unit:
        return point.member_unit.name
    if point.owner_kind == OwnerKind.ASSIGNED:
        return "、".join(c.display_name for c in point.assigned_committees.all())
    return str(OwnerKind(point.owner_kind).label)


def _now(target: Any, reading: Any) -> Any:
    """The figure as a number a spreadsheet can sum: 17, 45.5% (a share with a % format); a ratio "1比180" is text."""
    if reading.value is None:
        return 0 if reading.now == "0" else reading.now
    if target.unit == PERCENT_UNIT:
        return Percent(reading.value / 100, digits=1)
    return reading.value


def _progress_cells(target: Any, progress: TargetProgress | None) -> list[Any]:
    """The target's one reading (`metrics.readings`): period, figure, the line, status, what is left."""
    if progress is None:
        return [None] * 5
    reading = progress.reading
    left = reading.left if reading.role != "count" else None
    return [
        progress.period.label,
        _now(target, reading),
        reading.line,
        reading.status_label,
        left,
    ]


def _point_number(number: str) -> Any:
    """A point numbered 3 is the number 3 (sorts and filters as one); "（一）" stays text."""
    return int(number) if number.isascii() and number.isdigit() else number


def plan_xlsx(plan: Plan, sections: list[PlanSection], progress: dict[int, TargetProgress]) -> FileResponse:
    headers = [
        _("Section"),
        _("Point"),
        _("Point title"),
        _("Owner"),
        _("Target"),
        _("Required"),
        _("Period"),
        _("Measured over"),
        _("Now"),
        _("Reading"),
        _("Status"),
        _("Still to do"),
        _("Behind"),
    ]
    rows = []
    for section in sections:
        for point in section.visible_points:
            base = [
                f"{section.number} {section.title}",
                _point_number(point.number),
                point.title or point.text[:80],
                owner_label(point),
            ]
            targets = list(point.targets.all())
            if not targets:
                rows.append([*base, *[None] * 9])
            for target in targets:
                p = progress.get(target.pk)
                behind = "、".join(s.committee.display_name for s in p.behind) if p else ""
                rows.append(
                    [
                        *base,
                        target.text,
                        show_target(target),
                        target.get_period_kind_display(),
                        *_progress_cells(target, p),
                        behind,
                    ]
                )
    return xlsx_response(headers, rows, f"plan-{plan.committee.code}-{plan.year}", sheet=_("Work points and targets"))


def plan_docx(plan: Plan, sections: list[PlanSection], progress: dict[int, TargetProgress]) -> FileResponse:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document()
    if plan.doc_number:
        p = document.add_paragraph(plan.doc_number)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading = document.add_heading(plan.title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    facts = [plan.issuer, plan.issued_on.strftime("%Y-%m-%d") if plan.issued_on else ""]
    if any(facts):
        document.add_paragraph("  ".join(f for f in facts if f)).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for para in filter(None, plan.preamble.split("\n")):
        document.add_paragraph(para)
    for section in sections:
        document.add_heading(f"{section.number}{'、' if section.number[-1:] not in '）)' else ''}{section.title}", 1)
        for para in filter(None, section.text.split("\n")):
            document.add_paragraph(para)
        for point in section.visible_points:
            label = point.number_label
            par = document.add_paragraph()
            if point.title:
                par.add_run(f"{label}{point.title}。").bold = True
                par.add_run(point.text)
            else:
                par.add_run(f"{label}{point.text}")
            if point.owner_kind != OwnerKind.SELF:
                document.add_paragraph(_("Owner: %(owner)s") % {"owner": owner_label(point)}, style="Intense Quote")
            for target in point.targets.all():
                p = progress.get(target.pk)
                line = f"{_('Target')}：{target.text}（{show_target(target)}，{target.get_period_kind_display()}）"
                if p is not None:
                    line += "；" + p.reading.line
                document.add_paragraph(line, style="List Bullet")
    for para in filter(None, plan.closing.split("\n")):
        document.add_paragraph(para).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=f"plan-{escape_formula(plan.committee.code)}-{plan.year}-{stamp}.docx",
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
