"""Excel: rubric export and import (same columns both ways), and a round's scores."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse
from django.utils.translation import gettext as _

from assessments import selectors, services
from assessments.models import CriterionKind, Evaluation, Round, Rubric
from guanwei.imports import read_sheet, workbook_response
from guanwei.workbooks import SheetData
from orgs.models import Committee


def rubric_headers() -> list[str]:
    return [
        _("Dimension"),
        _("Number"),
        _("Criterion"),
        _("Scoring rule"),
        _("Points"),
        _("Key indicator"),
        _("Scoring guide"),
        _("Evidence required"),
        _("Metric"),
        _("Full marks at"),
        _("Points off per step"),
        _("Step size"),
    ]


def _yes() -> str:
    return _("yes")


def _num(value: Decimal | None) -> Any:
    return None if value is None else float(value) if value != value.to_integral() else int(value)


def _workbook_response(sheets: list[tuple[str, list[str], list[list[Any]]]], filename: str) -> FileResponse:
    return workbook_response([SheetData(title=t, headers=h, rows=r) for t, h, r in sheets], filename)


def rubric_rows(rubric: Rubric) -> list[list[Any]]:
    rows = []
    for c in selectors.rubric_criteria(rubric):
        rows.append(
            [
                c.dimension.title,
                c.code,
                c.title,
                c.get_kind_display(),
                _num(c.max_points),
                _yes() if c.is_key else "",
                c.guide,
                c.evidence_required,
                c.metric_code,
                _num(c.full_at),
                _num(c.step_points),
                _num(c.step_unit) if c.kind == CriterionKind.METRIC else None,
            ]
        )
    return rows


def rubric_export(rubric: Rubric) -> FileResponse:
    settings_rows = [
        [_("Name"), rubric.name],
        [_("Version"), rubric.version],
        [_("Rounding"), rubric.get_score_step_display()],
        [_("Bonus cap"), _num(rubric.bonus_cap)],
        [_("Gate"), rubric.gate_label],
        [_("Gate: minimum total"), _num(rubric.gate_min_total)],
    ] + [[_("Grade"), f"{b.label} ≥ {b.min_total}"] for b in rubric.bands.all()]
    return _workbook_response(
        [
            (_("Criteria"), rubric_headers(), rubric_rows(rubric)),
            (_("Settings"), [_("Item"), _("Value")], settings_rows),
        ],
        f"rubric-{rubric.pk}-v{rubric.version}",
    )


def _decimal(value: Any, column: str, row: int, errors: list[str], required: bool = False) -> Decimal | None:
    if value is None or value == "":
        if required:
            errors.append(
                _("Row %(row)s, column “%(column)s”: this cell is required.") % {"row": row, "column": column}
            )
        return None
    try:
        number = Decimal(str(value).strip())
        if not number.is_finite() or number < 0:
            raise InvalidOperation
    except InvalidOperation:
        errors.append(
            _("Row %(row)s, column “%(column)s”: “%(value)s” is not a number of 0 or more.")
            % {"row": row, "column": column, "value": value}
        )
        return None
    return number


def _kind(value: Any) -> str | None:
    text = str(value or "").strip()
    if not text:
        return CriterionKind.MANUAL
    for code, label in CriterionKind.choices:
        if text in (code, str(label)):
            return code
    return None


@transaction.atomic
def rubric_import(
    *, upload: Any, owner: Committee, name: str, score_step: str, by: Any = None, request: Any = None
) -> Rubric:
    """Build a new rubric from the criteria sheet; all or nothing, errors name the row and column."""
    headers = rubric_headers()
    sheet = read_sheet(upload, required_headers=headers[:5])
    data = sheet.dataset
    errors: list[str] = []
    parsed = []
    for values, row in zip(data.dict, sheet.excel_rows, strict=True):
        get = lambda i, values=values: values.get(headers[i])  # noqa: E731
        dimension = str(get(0) or "").strip()
        title = str(get(2) or "").strip()
        for i, text in ((0, dimension), (2, title)):
            if not text:
                errors.append(
                    _("Row %(row)s, column “%(column)s”: this cell is required.") % {"row": row, "column": headers[i]}
                )
        kind = _kind(get(3))
        if kind is None:
            errors.append(
                _("Row %(row)s, column “%(column)s”: use one of %(choices)s.")
                % {
                    "row": row,
                    "column": headers[3],
                    "choices": "、".join(str(label) for _c, label in CriterionKind.choices),
                }
            )
        points = _decimal(get(4), headers[4], row, errors, required=True)
        fields = {
            "code": str(get(1) or "").strip()[:20],
            "title": title[:300],
            "kind": kind or CriterionKind.MANUAL,
            "max_points": points,
            "is_key": str(get(5) or "").strip() in (_yes(), "yes", "是", "1", "Y", "y"),
            "guide": str(get(6) or "").strip(),
            "evidence_required": str(get(7) or "").strip(),
            "metric_code": str(get(8) or "").strip(),
            "full_at": _decimal(get(9), headers[9], row, errors) if len(headers) > 9 else None,
            "step_points": _decimal(get(10), headers[10], row, errors),
            "step_unit": _decimal(get(11), headers[11], row, errors) or Decimal("1"),
        }
        parsed.append((row, dimension, fields))
    if errors:
        raise ValidationError(errors)
    rubric = services.rubric_create(owner=owner, name=name, score_step=score_step, by=by, request=request)
    dimensions: dict[str, Any] = {}
    for row, dimension, fields in parsed:
        if dimension not in dimensions:
            dimensions[dimension] = services.dimension_save(rubric=rubric, title=dimension[:200], by=by)
        try:
            services.criterion_save(dimension=dimensions[dimension], by=by, **fields)
        except ValidationError as exc:
            messages = (
                [m for ms in exc.message_dict.values() for m in ms] if hasattr(exc, "error_dict") else exc.messages
            )
            errors.extend(_("Row %(row)s: %(message)s") % {"row": row, "message": m} for m in messages)
    if errors:
        raise ValidationError(errors)
    return rubric


def scores_export(round_: Round, evaluations: list[Evaluation]) -> FileResponse:
    """One row per committee, a self and a review column per criterion, then totals."""
    criteria = selectors.rubric_criteria(round_.rubric)
    headers = [_("Committee"), _("Code"), _("Status")]
    for c in criteria:
        label = f"{c.code} {c.title}".strip()
        headers += [f"{label}（{_('Self')}）", f"{label}（{_('Review')}）"]
    headers += [_("Self-assessed total"), _("Reviewed total"), _("Bonus"), _("Grade")]
    if round_.rubric.gate_label:
        headers.append(round_.rubric.gate_label)
    scores: dict[tuple[int, int], Any] = {}
    from assessments.models import Score

    for s in Score.objects.filter(evaluation__in=[e.pk for e in evaluations]).only(
        "evaluation_id", "criterion_id", "self_points", "review_points"
    ):
        scores[(s.evaluation_id, s.criterion_id)] = s
    rows = []
    for e in evaluations:
        row = [e.committee.name, e.committee.code, e.get_status_display()]
        for c in criteria:
            s = scores.get((e.pk, c.pk))
            row += [_num(s.self_points) if s else None, _num(s.review_points) if s else None]
        row += [_num(e.self_total), _num(e.review_total), _num(e.bonus_total), e.grade]
        if round_.rubric.gate_label:
            row.append("" if e.gate_passed is None else (_yes() if e.gate_passed else _("no")))
        rows.append(row)
    return _workbook_response([(_("Scores"), headers, rows)], f"round-{round_.pk}-scores")
