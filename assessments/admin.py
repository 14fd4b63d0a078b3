"""System-admin views of assessments. Scores are changed only through the services (with history)."""

from django.contrib import admin

from assessments.models import Evaluation, Objection, ReviewAssignment, ReviewPanel, Round, Rubric


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ("name", "version", "owner", "score_step", "gate_label")
    search_fields = ("name",)
    raw_id_fields = ("owner",)


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ("name", "committee", "year", "self_deadline", "review_deadline")
    raw_id_fields = ("committee", "rubric")


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    """Read-only: totals and status are computed and moved by the services."""

    list_display = ("committee", "round", "status", "self_total", "review_total", "grade")
    list_filter = ("status",)
    search_fields = ("committee__name", "committee__code")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewPanel)
class ReviewPanelAdmin(admin.ModelAdmin):
    list_display = ("name", "round", "grouping")
    filter_horizontal = ("members",)


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(admin.ModelAdmin):
    list_display = ("evaluation", "user", "panel")
    raw_id_fields = ("evaluation", "user", "panel")


@admin.register(Objection)
class ObjectionAdmin(admin.ModelAdmin):
    list_display = ("round", "raised_by", "received_on", "resolved")
    raw_id_fields = ("round", "evaluation")
