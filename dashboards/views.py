"""The home page, the leader's dashboard and its xlsx downloads. Lookups go through orgs.scoping."""

from __future__ import annotations

import functools
import io

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dashboards import home as home_panels
from dashboards import selectors, svg
from dashboards.board import Dashboard
from dashboards.exports import sheet_titles, workbook_bytes
from guanwei.imports import xlsx_response
from guanwei.params import int_param
from orgs import selectors as org_selectors
from orgs.scoping import Perm, can, can_anywhere, scope_roots

CHARTS = ("months", "kinds", "subcommittees", "targets")
MILESTONE_DAYS = 30
REVIEW_LINES = 10


def _year(request: HttpRequest, today_year: int) -> int:
    year = int_param(request.GET, "year", default=today_year)
    return year if 2000 <= year <= 2100 else today_year  # a year the charts cannot show: this one


def _charts(board: Dashboard, year: int) -> tuple[str, str]:
    """The month and kind charts (SVG), for the page and the PDF alike."""
    months = board.months
    month_chart = svg.column_chart(
        title=_("Activities by month, %(year)s") % {"year": year},
        labels=[str(m) for m, _v in months],
        values=[v for _m, v in months],
        bar_titles=[_("Month %(month)s: %(count)s activities") % {"month": m, "count": v} for m, v in months],
        axis_label=_("Month"),
    )
    kinds = board.by_kind
    kind_chart = svg.bar_chart(
        title=_("Activities by kind, %(year)s") % {"year": year},
        labels=[name for _c, name, _v in kinds],
        values=[v for _c, _n, v in kinds],
        empty_text=_("No activities logged this year."),
    )
    return month_chart, kind_chart


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    own = selectors.secretary_committees(user)
    milestones = selectors.upcoming_milestones_by_committee(user, own, today, days=MILESTONE_DAYS)
    due = [
        {"standing": standing, "milestones": milestones[standing.committee.pk]}
        for standing in selectors.semester_standings(own, today)
    ]
    roots = list(scope_roots(user).order_by("path"))
    waiting = list(selectors.reviews_waiting(user)[: REVIEW_LINES + 1])
    context = {
        "today": today,
        "due": due,
        "evaluations": list(selectors.evaluations_to_fill(user)[:10]),
        # A reviewer's first question: what waits for my scores (None: the user reviews nothing).
        "reviews": waiting[:REVIEW_LINES] if waiting or selectors.holds_reviewer_grant(user) else None,
        "more_reviews": len(waiting) > REVIEW_LINES,
        # A leader's: how this year's targets stand and which sub-committees are behind.
        "leading": home_panels.leader_panels(user, today),
        "board_cache_seconds": selectors.BOARD_CACHE_SECONDS,
        "recent": selectors.recent_activities(user)
        if can_anywhere(user, Perm.VIEW) and selectors.sees_beyond_reviews(user)
        else [],
        "can_log": can_anywhere(user, Perm.EDIT),
        "roots": roots,
        "grants": org_selectors.grants_of(user),
    }
    return render(request, "dashboards/home.html", context)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    top = selectors.top_committee(request.user)
    if top is None:
        return render(request, "dashboards/no_committee.html")
    return redirect("dashboards:committee", pk=top.pk)


@login_required
@require_GET
def committee(request: HttpRequest, pk: int) -> HttpResponse:
    committee = selectors.dashboard_committee(request.user, pk, request)
    today = timezone.localdate()
    year = _year(request, today.year)
    board = Dashboard(request.user, committee, year, today)
    # Everything below is computed only when the template asks for it: a cached page asks nothing.
    charts = functools.cache(lambda: _charts(board, year))
    context = {
        "committee": committee,
        "breadcrumbs": org_selectors.committee_breadcrumbs(request.user, committee),
        "board": board,
        "year": year,
        # Next to the neighbouring years, the years that have a published plan to measure.
        "years": functools.cache(
            lambda: sorted(
                {year - 1, *([year + 1] if year < today.year else []), *selectors.plan_years(request.user, committee)}
                - {year}
            )
        ),
        "month_chart": lambda: charts()[0],
        "kind_chart": lambda: charts()[1],
        "can_log": functools.cache(lambda: can(request.user, Perm.EDIT, committee)),
        "tables": functools.cache(lambda: {name: board.table(name) for name in CHARTS}),
        "board_cache_key": selectors.board_cache_key(request.user, committee, year, today),
        "board_cache_seconds": selectors.BOARD_CACHE_SECONDS,
    }
    return render(request, "dashboards/committee.html", context)


@login_required
@require_GET
def chart_xlsx(request: HttpRequest, pk: int, chart: str) -> HttpResponse:
    if chart not in CHARTS:
        raise Http404
    committee = selectors.dashboard_committee(request.user, pk, request)
    today = timezone.localdate()
    year = _year(request, today.year)
    headers, rows = Dashboard(request.user, committee, year, today).table(chart)
    return xlsx_response(headers, rows, f"dashboard-{committee.code}-{year}-{chart}", sheet=sheet_titles()[chart])


@login_required
@require_GET
def workbook(request: HttpRequest, pk: int) -> HttpResponse:
    """Every table of the dashboard in one workbook (the file leaders also get by e-mail on Mondays)."""
    committee = selectors.dashboard_committee(request.user, pk, request)
    today = timezone.localdate()
    year = _year(request, today.year)
    content = workbook_bytes(Dashboard(request.user, committee, year, today))
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=f"dashboard-{committee.code}-{year}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
@require_GET
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The dashboard as a PDF: the same SVG charts and tables, in embedded Chinese type."""
    from assessments.pdf import html_to_pdf

    committee = selectors.dashboard_committee(request.user, pk, request)
    today = timezone.localdate()
    year = _year(request, today.year)
    board = Dashboard(request.user, committee, year, today)
    month_chart, kind_chart = _charts(board, year)
    html = render_to_string(
        "dashboards/pdf/committee.html",
        {
            "committee": committee,
            "year": year,
            "board": board,
            "month_chart": month_chart,
            "kind_chart": kind_chart,
            "tables": {name: board.table(name) for name in CHARTS},
            "generated_at": timezone.localtime(),
        },
    )
    return FileResponse(
        io.BytesIO(html_to_pdf(html)),
        as_attachment=True,
        filename=f"dashboard-{committee.code}-{year}.pdf",
        content_type="application/pdf",
    )
