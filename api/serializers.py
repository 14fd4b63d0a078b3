"""What the API shows and accepts. Reads come from the apps' selectors; writes go to their services.

Serializers here validate input and shape output only: no serializer saves a
model (the views call `activities.services`).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from activities import selectors as activity_selectors
from activities.models import Activity, ActivityKind
from api.fields import ScopedPrimaryKeyRelatedField, ScopedSlugRelatedField
from assessments.models import Evaluation, Evidence, Score
from guanwei.params import ID_MAX, INT_MAX
from orgs import tree
from orgs.models import Committee, Gender, Membership, Person, WulaoCategory
from orgs.scoping import committees_for, is_system_admin, scope_ranges
from orgs.selectors import people_for
from plans.models import Plan, PlanSection, Target, WorkPoint


def _user(serializer: serializers.Field) -> Any:
    request = serializer.context.get("request")
    return getattr(request, "user", None)


# --- committees and people -------------------------------------------------


class CommitteeSerializer(serializers.ModelSerializer):
    parent = serializers.SerializerMethodField(
        help_text=_("The parent committee, or null when it is outside what you may see.")
    )
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Committee
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "kind_label",
            "parent",
            "level",
            "students",
            "retirees",
            "staff",
            "office",
            "contact_name",
            "contact_phone",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_parent(self, committee: Committee) -> int | None:
        """The parent's id only when the user can see the parent too (from the cached grants, no query)."""
        if committee.parent_id is None:
            return None
        user = _user(self)
        if is_system_admin(user):
            return committee.parent_id
        for r in scope_ranges(user):
            if tree.contains(r.path, committee, strict=True):
                return committee.parent_id
        return None


class CommitteeChildSerializer(CommitteeSerializer):
    people_count = serializers.IntegerField(read_only=True)
    wulao_count = serializers.IntegerField(read_only=True)

    class Meta(CommitteeSerializer.Meta):
        fields = [*CommitteeSerializer.Meta.fields, "people_count", "wulao_count"]
        read_only_fields = fields


class RoleSerializer(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ["committee", "role", "role_label", "started_on", "ended_on"]
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer):
    committee_name = serializers.CharField(source="committee.name", read_only=True)
    # Declared so the schema says "" is a value too (read-only model fields lose allow_blank).
    gender = serializers.ChoiceField(choices=Gender.choices, allow_blank=True, read_only=True)
    wulao_category = serializers.ChoiceField(
        choices=WulaoCategory.choices,
        allow_blank=True,
        read_only=True,
        help_text=_("Empty for people who are not 五老."),
    )
    roles = RoleSerializer(source="visible_memberships", many=True, read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "committee",
            "committee_name",
            "name",
            "gender",
            "birth_year",
            "phone",
            "title",
            "is_retired",
            "is_party_member",
            "wulao_category",
            "real_name_registered",
            "active_from",
            "active_until",
            "notes",
            "roles",
        ]
        read_only_fields = fields


# --- activities ------------------------------------------------------------


class ActivityKindSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityKind
        fields = ["code", "name", "is_active", "counts_students_talked"]
        read_only_fields = fields


def _kinds_for(serializer: Any) -> Any:
    """Active kinds, plus the kind the activity being changed already has."""
    root = serializer.root if serializer is not None else None
    instance = getattr(root, "instance", None)
    return activity_selectors.activity_kinds(include=instance.kind if isinstance(instance, Activity) else None)


class ActivitySerializer(serializers.ModelSerializer):
    committee = ScopedPrimaryKeyRelatedField(
        scope=committees_for, help_text=_("Id of a committee you may log activities for.")
    )
    committee_name = serializers.CharField(source="committee.name", read_only=True)
    kind = ScopedSlugRelatedField(
        slug_field="code", scope=_kinds_for, help_text=_("Code of the kind, see /api/activity-kinds/.")
    )
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    participants = ScopedPrimaryKeyRelatedField(
        scope=people_for,
        many=True,
        required=False,
        help_text=_("Ids of people in the registry of the activity's own committee."),
    )
    work_point = serializers.IntegerField(
        source="work_point_id",
        required=False,
        allow_null=True,
        min_value=1,
        max_value=ID_MAX,
        help_text=_("Id of a work point of this committee's plan (or a published plan above it) for that year."),
    )
    photo_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Activity
        fields = [
            "id",
            "committee",
            "committee_name",
            "kind",
            "kind_name",
            "held_on",
            "title",
            "place",
            "youth_reached",
            "students_talked",
            "participants",
            "work_point",
            "summary",
            "photo_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        # The PostgreSQL column's range whatever database runs (the model's own check follows it).
        extra_kwargs = {"youth_reached": {"max_value": INT_MAX}, "students_talked": {"max_value": INT_MAX}}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "work_point_id" not in attrs:
            return attrs
        point_id = attrs.pop("work_point_id")
        if point_id is None:
            attrs["work_point"] = None
            return attrs
        instance = self.instance if isinstance(self.instance, Activity) else None
        if instance is not None and point_id == instance.work_point_id and "committee" not in attrs:
            attrs["work_point"] = instance.work_point  # unchanged, even if linked by someone who sees more
            return attrs
        committee = attrs.get("committee") or (instance.committee if instance else None)
        held_on = attrs.get("held_on") or (instance.held_on if instance else timezone.localdate())
        user = self.context["request"].user
        point = activity_selectors.work_points_for(user, committee, held_on.year).filter(pk=point_id).first()
        if point is None:
            raise serializers.ValidationError(
                {"work_point": _("This work point is not in a plan of the activity's committee for that year.")}
            )
        attrs["work_point"] = point
        return attrs


# --- plans -----------------------------------------------------------------


class PlanSerializer(serializers.ModelSerializer):
    committee_name = serializers.CharField(source="committee.name", read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "committee",
            "committee_name",
            "year",
            "title",
            "doc_number",
            "issued_on",
            "issuer",
            "status",
            "published_at",
        ]
        read_only_fields = fields


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = [
            "id",
            "text",
            "metric",
            "params",
            "comparator",
            "value",
            "unit",
            "period_kind",
            "period_start",
            "period_end",
            "scope",
            "subtree",
        ]
        read_only_fields = fields


class CommitteeRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Committee
        fields = ["id", "code", "name"]
        read_only_fields = fields


class WorkPointSerializer(serializers.ModelSerializer):
    member_unit = serializers.CharField(source="member_unit.name", read_only=True, default="")
    assigned_committees = CommitteeRefSerializer(many=True, read_only=True)
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = WorkPoint
        fields = ["id", "number", "title", "text", "owner_kind", "member_unit", "assigned_committees", "targets"]
        read_only_fields = fields


class PlanSectionSerializer(serializers.ModelSerializer):
    points = WorkPointSerializer(source="visible_points", many=True, read_only=True)
    text = serializers.SerializerMethodField()

    class Meta:
        model = PlanSection
        fields = ["id", "number", "title", "text", "points"]
        read_only_fields = fields

    def get_text(self, section: PlanSection) -> str:
        return section.text if self.context.get("whole") else ""


class PlanDetailSerializer(PlanSerializer):
    preamble = serializers.SerializerMethodField()
    closing = serializers.SerializerMethodField()
    sections = serializers.SerializerMethodField()
    sees_whole_plan = serializers.SerializerMethodField(
        help_text=_("False for a committee below the plan's: it sees only the points it owns.")
    )

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "sees_whole_plan", "preamble", "closing", "sections"]
        read_only_fields = fields

    def get_sees_whole_plan(self, plan: Plan) -> bool:
        return bool(self.context.get("whole"))

    def get_preamble(self, plan: Plan) -> str:
        return plan.preamble if self.context.get("whole") else ""

    def get_closing(self, plan: Plan) -> str:
        return plan.closing if self.context.get("whole") else ""

    @extend_schema_field(PlanSectionSerializer(many=True))
    def get_sections(self, plan: Plan) -> list[dict]:
        return PlanSectionSerializer(self.context.get("sections", []), many=True, context=self.context).data


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    kind = serializers.CharField()


class ReadingSerializer(serializers.Serializer):
    """The one reading of a target for a committee (`metrics.readings`), as every page prints it."""

    role = serializers.ChoiceField(
        choices=["own", "share", "applies", "count"],
        help_text=_(
            "own: the committee's own target; share: its even share of a parent's count; "
            "applies: a parent's target that applies to it; count: how many sub-committees reach it."
        ),
    )
    line = serializers.CharField(help_text=_("The whole line, e.g. 目前 17次，目标 ≥ 20次：已完成 85%."))
    now = serializers.CharField()
    goal = serializers.CharField()
    compared_with = serializers.CharField()
    met = serializers.BooleanField()
    percent = serializers.IntegerField(help_text=_("100 exactly when met."))
    expected_percent = serializers.IntegerField(help_text=_("How much of the period has passed, in %."))
    status = serializers.ChoiceField(choices=["ok", "warn", "bad"])
    status_label = serializers.CharField()


class StandingSerializer(serializers.Serializer):
    committee = CommitteeRefSerializer()
    reading = ReadingSerializer()
    value = serializers.DecimalField(source="result.value", max_digits=30, decimal_places=6)
    shown = serializers.CharField(help_text=_("The value in the target's unit, e.g. 12, 1比180 or a percentage."))
    met = serializers.BooleanField()
    left = serializers.DecimalField(
        max_digits=30, decimal_places=4, allow_null=True, help_text=_("How many more records reach the target.")
    )
    percent = serializers.IntegerField()
    behind = serializers.BooleanField()


class TargetProgressSerializer(serializers.Serializer):
    target = TargetSerializer()
    shown_target = serializers.CharField()
    measured = serializers.BooleanField(help_text=_("False when the target is not wired to a metric."))
    period = PeriodSerializer(allow_null=True)
    met = serializers.BooleanField(allow_null=True)
    status = serializers.CharField(allow_blank=True, help_text=_("ok, warn or bad."))
    reading = ReadingSerializer(
        allow_null=True, help_text=_("The target as the plan committee reads it; null for a committee below it.")
    )
    overall = StandingSerializer(
        allow_null=True, help_text=_("The plan committee's standing; null for a committee below it.")
    )
    standings = StandingSerializer(many=True)


# --- evaluations -----------------------------------------------------------


class EvaluationSerializer(serializers.ModelSerializer):
    committee_name = serializers.CharField(source="committee.name", read_only=True)
    round_name = serializers.CharField(source="round.name", read_only=True)
    year = serializers.IntegerField(source="round.year", read_only=True)
    rubric = serializers.CharField(source="round.rubric", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "round",
            "round_name",
            "year",
            "rubric",
            "committee",
            "committee_name",
            "status",
            "status_label",
            "self_total",
            "review_total",
            "bonus_total",
            "grade",
            "gate_passed",
            "submitted_at",
            "finalised_at",
        ]
        read_only_fields = fields


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "original_name", "kind", "size", "uploaded_at"]
        read_only_fields = fields


class ScoreSerializer(serializers.ModelSerializer):
    criterion = serializers.IntegerField(source="criterion.id", read_only=True)
    code = serializers.CharField(source="criterion.code", read_only=True)
    title = serializers.CharField(source="criterion.title", read_only=True)
    dimension = serializers.CharField(source="criterion.dimension.title", read_only=True)
    kind = serializers.CharField(source="criterion.kind", read_only=True)
    max_points = serializers.DecimalField(source="criterion.max_points", max_digits=6, decimal_places=1, read_only=True)
    is_key = serializers.BooleanField(source="criterion.is_key", read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Score
        fields = [
            "criterion",
            "code",
            "title",
            "dimension",
            "kind",
            "max_points",
            "is_key",
            "self_points",
            "self_comment",
            "review_points",
            "review_comment",
            "return_reason",
            "metric_value",
            "metric_points",
            "evidence",
        ]
        read_only_fields = fields


class EvaluationDetailSerializer(EvaluationSerializer):
    scores = serializers.SerializerMethodField()

    class Meta(EvaluationSerializer.Meta):
        fields = [*EvaluationSerializer.Meta.fields, "scores"]
        read_only_fields = fields

    @extend_schema_field(ScoreSerializer(many=True))
    def get_scores(self, evaluation: Evaluation) -> list[dict]:
        """Scores in rubric order, with their evidence (from `evaluation_lines`, three queries)."""
        lines = self.context.get("lines", [])
        scores = []
        for _dimension, rows in lines:
            scores.extend(line.score for line in rows)
        return ScoreSerializer(scores, many=True, context=self.context).data
