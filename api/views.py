"""API endpoints. Same scoping as the pages: outside scope 404, visible but not allowed 403.

Every queryset starts from a selector of the owning app; every object comes
from `orgs.scoping.get_in_scope` or the app's scoped getter; every write is a
call to the app's service.
"""

from __future__ import annotations

import io
import re
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from activities import selectors as activity_selectors
from activities import services as activity_services
from activities.models import Activity
from api import filters, serializers
from api.negotiation import JSONFallbackNegotiation
from api.schema import ApiAutoSchema
from assessments import selectors as assessment_selectors
from orgs import audit
from orgs.models import AuditEvent, Committee
from orgs.scoping import Perm, can, can_anywhere, committees_for, deny, get_in_scope, require
from orgs.selectors import committee_children, people_list_for
from plans import selectors as plan_selectors
from plans.progress import progress_for_plan, show_target

# Ids are positive whole numbers that fit a bigint; anything else is a 404 from the URL itself.
ID_REGEX = r"[0-9]{1,18}"


class ApiViewMixin:
    """Every API view: its errors documented in the schema, and JSON when an Accept cannot be met."""

    schema = ApiAutoSchema()
    content_negotiation_class = JSONFallbackNegotiation

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # Every query parameter takes one value: `?page=2&page=3` is refused, not read as page 3.
        repeated = {name[:40]: len(values) for name, values in request.query_params.lists() if len(values) > 1}
        if repeated:
            message = _("“%(name)s” is given %(count)s times: give it once.")
            raise ValidationError(
                {name: [message % {"name": name, "count": count}] for name, count in repeated.items()}
            )


class ScopedViewSet(ApiViewMixin, viewsets.GenericViewSet):
    lookup_value_regex = ID_REGEX
    filter_backends = [filters.ScopedFilterBackend]

    @property
    def user(self) -> Any:
        return self.request.user


@extend_schema_view(
    list=extend_schema(summary="Committees you may see, in tree order"),
    retrieve=extend_schema(summary="One committee"),
)
class CommitteeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = serializers.CommitteeSerializer
    filterset_class = filters.CommitteeFilter

    def get_queryset(self) -> QuerySet[Committee]:
        return committees_for(self.user).order_by("path")

    def get_object(self) -> Committee:
        return get_in_scope(self.user, Committee.objects.all(), via="", request=self.request, pk=self.kwargs["pk"])

    @extend_schema(
        summary="Direct sub-committees you may see, with head counts",
        responses=serializers.CommitteeChildSerializer(many=True),
        filters=False,
    )
    @action(detail=True, filter_backends=[], serializer_class=serializers.CommitteeChildSerializer)
    def children(self, request: Request, pk: str) -> Response:
        rows = committee_children(self.user, self.get_object())
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="People in the registries you may see, with their roles"),
    retrieve=extend_schema(summary="One person"),
)
class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = serializers.PersonSerializer
    filterset_class = filters.PersonFilter

    def get_queryset(self) -> QuerySet:
        return people_list_for(self.user)

    def get_object(self) -> Any:
        return get_in_scope(self.user, people_list_for(self.user), request=self.request, pk=self.kwargs["pk"])


@extend_schema_view(list=extend_schema(summary="Kinds of activity you can log (their codes go in `kind`)"))
class ActivityKindViewSet(ApiViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = serializers.ActivityKindSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet:
        return activity_selectors.activity_kinds()


@extend_schema_view(
    list=extend_schema(summary="Activities you may see, newest first"),
    retrieve=extend_schema(summary="One activity"),
    create=extend_schema(summary="Log an activity"),
    update=extend_schema(summary="Change an activity"),
    partial_update=extend_schema(summary="Change some fields of an activity"),
    destroy=extend_schema(summary="Delete an activity (an administrator can restore it)"),
)
class ActivityViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ScopedViewSet,
):
    serializer_class = serializers.ActivitySerializer
    filterset_class = filters.ApiActivityFilter

    def get_queryset(self) -> QuerySet[Activity]:
        return activity_selectors.activity_list(self.user).prefetch_related("participants")

    def get_object(self, perm: Perm = Perm.VIEW) -> Activity:
        return get_in_scope(self.user, self.get_queryset(), perm=perm, request=self.request, pk=self.kwargs["pk"])

    def _fresh(self, activity: Activity) -> Activity:
        """The saved row as the list shows it (with counts)."""
        return self.get_queryset().get(pk=activity.pk)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not can_anywhere(self.user, Perm.EDIT):
            deny(self.user, request, Activity, "", "API: cannot log activities anywhere")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        require(self.user, Perm.EDIT, data["committee"], request)
        activity = activity_services.activity_create(by=self.user, request=request, **data)
        output = self.get_serializer(self._fresh(activity))
        return Response(output.data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        activity = self.get_object(Perm.EDIT)
        serializer = self.get_serializer(activity, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "committee" in data and data["committee"].pk != activity.committee_id:
            require(self.user, Perm.EDIT, data["committee"], request)
        activity = activity_services.activity_update(activity=activity, by=self.user, request=request, **data)
        return Response(self.get_serializer(self._fresh(activity)).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        activity = self.get_object(Perm.EDIT)
        activity_services.activity_delete(activity=activity, by=self.user, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="Plans you may see: your subtree's and the published plans above it"),
    retrieve=extend_schema(
        summary="One plan with the sections, points and targets you may see",
        responses=serializers.PlanDetailSerializer,
    ),
)
class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = serializers.PlanSerializer
    filterset_class = filters.PlanFilter

    def get_queryset(self) -> QuerySet:
        return plan_selectors.plans_for(self.user).order_by("-year", "committee__path", "id")

    def _plan_context(self) -> dict[str, Any]:
        plan = plan_selectors.get_plan(self.user, int(self.kwargs["pk"]), request=self.request)
        return {
            "plan": plan,
            "whole": plan_selectors.sees_whole_plan(self.user, plan),
            "sections": plan_selectors.plan_sections(self.user, plan),
        }

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        context = {**self.get_serializer_context(), **self._plan_context()}
        return Response(serializers.PlanDetailSerializer(context["plan"], context=context).data)

    @extend_schema(
        summary="Progress of the plan's targets: overall and per sub-committee",
        responses=serializers.TargetProgressSerializer(many=True),
        filters=False,
    )
    @action(detail=True, filter_backends=[], pagination_class=None)
    def progress(self, request: Request, pk: str) -> Response:
        context = self._plan_context()
        plan, whole = context["plan"], context["whole"]
        targets = [t for s in context["sections"] for p in s.visible_points for t in p.targets.all()]
        progress = progress_for_plan(plan, targets, plan_selectors.sub_committees(plan.committee))
        rows = []
        for target in targets:
            p = progress.get(target.pk)
            row: dict[str, Any] = {
                "target": target,
                "shown_target": show_target(target),
                "measured": p is not None,
                "period": None,
                "met": None,
                "status": "",
                "reading": None,
                "overall": None,
                "standings": [],
            }
            if p is not None:
                row.update(
                    period=p.period,
                    met=p.met if whole else None,
                    status=p.status if whole else "",
                    reading=p.reading if whole else None,
                    overall=p.overall if whole else None,
                    standings=p.subjects
                    if whole
                    else [s for s in p.subjects if can(self.user, Perm.VIEW, s.committee)],
                )
            rows.append(row)
        return Response(serializers.TargetProgressSerializer(rows, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="Evaluations you may see (reviewers: those assigned to them)"),
    retrieve=extend_schema(
        summary="One evaluation with every criterion's scores and evidence list",
        responses=serializers.EvaluationDetailSerializer,
    ),
)
class EvaluationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = serializers.EvaluationSerializer
    filterset_class = filters.EvaluationFilter

    def get_queryset(self) -> QuerySet:
        return assessment_selectors.evaluations_for(self.user).order_by("-round__year", "round_id", "committee__path")

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        evaluation = assessment_selectors.get_evaluation_for_user(self.user, int(kwargs["pk"]), request)
        context = {**self.get_serializer_context(), "lines": assessment_selectors.evaluation_lines(evaluation)}
        return Response(serializers.EvaluationDetailSerializer(evaluation, context=context).data)


class PDFRenderer(renderers.BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if isinstance(data, bytes):
            return data
        return renderers.JSONRenderer().render(data)


def _safe_name(text: str, limit: int = 60) -> str:
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", text).strip(" .")
    return cleaned[:limit] or "_"


class EvaluationReportView(ApiViewMixin, APIView):
    renderer_classes = [renderers.JSONRenderer, PDFRenderer]

    @extend_schema(
        summary="The evaluation's PDF report (criteria, both scores, total, grade, evidence list)",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The report"),
        },
    )
    def get(self, request: Request, pk: str) -> FileResponse:
        from assessments.pdf import render_evaluation_pdf

        evaluation = assessment_selectors.get_evaluation_for_user(request.user, int(pk), request)
        pdf, _fetcher = render_evaluation_pdf(evaluation)
        audit.record(action=AuditEvent.Action.EXPORT, user=request.user, request=request, obj=evaluation, summary="pdf")
        return FileResponse(
            io.BytesIO(pdf),
            as_attachment=True,
            filename=f"{_safe_name(evaluation.committee.name)}-{evaluation.round.year}.pdf",
            content_type="application/pdf",
        )
