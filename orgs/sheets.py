"""The Excel import templates of the committee tree and the people registry.

Each has one example row (its name starts with 【示例】, so the import skips it),
drop-down lists for the columns that take codes or fixed labels, and a sheet
listing those codes with their names.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from guanwei.imports import example_marker
from guanwei.workbooks import CodeList, TemplateSpec
from orgs.models import CommitteeKind, Gender, MemberRole, WulaoCategory
from orgs.resources import (
    CODE_COLUMN,
    COMMITTEE_COLUMN,
    COMMITTEE_EXAMPLE,
    NAME_COLUMN,
    PARENT_COLUMN,
    PERSON_EXAMPLE,
    UI_LANGUAGE,
    CommitteeResource,
    PersonResource,
)
from orgs.scoping import Perm, committees_for

COMMITTEE_NAME_COLUMN = "名称"
KIND_COLUMN = "类型"
YES_NO = ["是", "否"]


def _labels(choices: Any) -> list[str]:
    """Choice labels as the import reads them: in the interface's language, whatever the user's."""
    with translation.override(UI_LANGUAGE):
        return [str(label) for label in choices.labels]


def _codes_of(user: Any, perm: Perm) -> list[tuple[str, str]]:
    return list(committees_for(user, perm).order_by("path").values_list("code", "name"))


def _headers(resource: Any) -> list[str]:
    return [f.column_name for f in resource.get_import_fields()]


def _committee_list(column: str, committees: list[tuple[str, str]]) -> CodeList:
    return CodeList(
        column=column,
        heading=COMMITTEE_COLUMN,
        values=[code for code, _name in committees],
        names_heading=_("Committee"),
        names=[name for _code, name in committees],
    )


def _common(codes_title: str) -> dict[str, Any]:
    return {
        "codes_title": codes_title,
        "rows": settings.GUANWEI_IMPORT_MAX_ROWS,
        "list_error": (
            _("Not in the list"),
            _("Choose a value from the list; sheet “%(sheet)s” shows every code with its name.")
            % {"sheet": codes_title},
        ),
    }


def committee_template(user: Any) -> TemplateSpec:
    committees = _codes_of(user, Perm.MANAGE)
    top = committees[0][0] if committees else ""
    example = list(COMMITTEE_EXAMPLE)
    example[0] = top
    example[1] = f"{example_marker()}{example[1]}"
    example[3] = f"{top}-SL" if top else "SL"
    codes_title = _("Codes")
    return TemplateSpec(
        title=_("Committees"),
        headers=_headers(CommitteeResource(user=user)),
        example=example,
        lists=[
            _committee_list(PARENT_COLUMN, committees),
            CodeList(column=KIND_COLUMN, heading=KIND_COLUMN, values=_labels(CommitteeKind)),
        ],
        number_columns=["学生数", "离退休人数", "教职工数"],
        prompts={
            PARENT_COLUMN: (
                _("Parent committee"),
                _("Choose from the list: the committees you manage. Sheet “%(sheet)s” lists them.")
                % {"sheet": codes_title},
            ),
            CODE_COLUMN: (_("Code"), _("A new code of your choosing, e.g. the parent's code and a short suffix.")),
        },
        **_common(codes_title),
    )


def person_template(user: Any) -> TemplateSpec:
    committees = _codes_of(user, Perm.EDIT)
    example = list(PERSON_EXAMPLE)
    example[0] = committees[0][0] if committees else ""
    example[1] = f"{example_marker()}{example[1]}"
    example[8] = date.fromisoformat(example[8])  # a real date cell, as the column expects
    codes_title = _("Codes")
    return TemplateSpec(
        title=_("People"),
        headers=_headers(PersonResource(user=user)),
        example=example,
        lists=[
            _committee_list(COMMITTEE_COLUMN, committees),
            CodeList(column="性别", heading="性别", values=_labels(Gender)),
            CodeList(column="五老类别", heading="五老类别", values=_labels(WulaoCategory)),
            CodeList(column=["已实名登记", "已退休", "中共党员"], heading=_("Yes or no"), values=YES_NO),
            # Several roles go in one cell (separated by 、): listed, not a drop-down.
            CodeList(column="", heading="职务", values=_labels(MemberRole)),
        ],
        date_columns=["参与起始日期", "参与截止日期"],
        prompts={
            COMMITTEE_COLUMN: (
                _("Committee code"),
                _("Choose from the list: the committees whose registry you keep. Sheet “%(sheet)s” lists them.")
                % {"sheet": codes_title},
            ),
            NAME_COLUMN: (_("Name"), _("A person already in the committee's registry is updated, not added again.")),
        },
        **_common(codes_title),
    )
