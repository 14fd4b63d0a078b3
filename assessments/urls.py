from django.urls import path

from assessments import views
from assessments.views import evaluations, rounds, rubrics

app_name = "assessments"

urlpatterns = [
    path("", views.index, name="index"),
    # rubrics
    path("rubrics/", rubrics.rubric_list, name="rubric_list"),
    path("rubrics/new/", rubrics.rubric_create, name="rubric_create"),
    path("rubrics/import/", rubrics.rubric_import, name="rubric_import"),
    path("rubrics/<int:pk>/", rubrics.rubric_detail, name="rubric_detail"),
    path("rubrics/<int:pk>/edit/", rubrics.rubric_edit, name="rubric_edit"),
    path("rubrics/<int:pk>/new-version/", rubrics.rubric_new_version, name="rubric_new_version"),
    path("rubrics/<int:pk>/export/", rubrics.rubric_export, name="rubric_export"),
    path("rubrics/<int:pk>/dimensions/new/", rubrics.dimension_create, name="dimension_create"),
    path("rubrics/<int:pk>/bands/new/", rubrics.band_create, name="band_create"),
    path("dimensions/<int:pk>/edit/", rubrics.dimension_edit, name="dimension_edit"),
    path("dimensions/<int:pk>/delete/", rubrics.dimension_delete, name="dimension_delete"),
    path("dimensions/<int:pk>/delete/confirm/", rubrics.dimension_delete_confirm, name="dimension_delete_confirm"),
    path("dimensions/<int:pk>/criteria/new/", rubrics.criterion_create, name="criterion_create"),
    path("criteria/<int:pk>/edit/", rubrics.criterion_edit, name="criterion_edit"),
    path("criteria/<int:pk>/delete/", rubrics.criterion_delete, name="criterion_delete"),
    path("criteria/<int:pk>/delete/confirm/", rubrics.criterion_delete_confirm, name="criterion_delete_confirm"),
    path("bands/<int:pk>/delete/", rubrics.band_delete, name="band_delete"),
    path("bands/<int:pk>/delete/confirm/", rubrics.band_delete_confirm, name="band_delete_confirm"),
    # rounds
    path("rounds/", rounds.round_list, name="round_list"),
    path("rounds/new/", rounds.round_create, name="round_create"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", rounds.round_edit, name="round_edit"),
    path("rounds/<int:pk>/assign/", rounds.round_assign, name="round_assign"),
    path("rounds/<int:pk>/panels/new/", rounds.panel_create, name="panel_create"),
    path("rounds/<int:pk>/grouping/", rounds.grouping_assign, name="grouping_assign"),
    path("assignments/<int:pk>/remove/", rounds.assignment_remove, name="assignment_remove"),
    path("assignments/<int:pk>/remove/confirm/", rounds.assignment_remove_confirm, name="assignment_remove_confirm"),
    path("rounds/<int:pk>/results/", rounds.round_results, name="round_results"),
    path("rounds/<int:pk>/scores/export/", rounds.round_scores_export, name="round_scores_export"),
    path("rounds/<int:pk>/notice/", rounds.round_notice, name="round_notice"),
    path("rounds/<int:pk>/notice/edit/", rounds.notice_edit, name="notice_edit"),
    path("rounds/<int:pk>/objections/new/", rounds.objection_create, name="objection_create"),
    path("rounds/<int:pk>/report/", rounds.report_request, name="report_request"),
    path("objections/<int:pk>/answer/", rounds.objection_resolve, name="objection_resolve"),
    path("reports/<int:pk>/", rounds.report_status, name="report_status"),
    path("reports/<int:pk>/download/", rounds.report_download, name="report_download"),
    # evaluations
    path("evaluations/<int:pk>/", evaluations.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/self/", evaluations.evaluation_self, name="evaluation_self"),
    path("evaluations/<int:pk>/review/", evaluations.evaluation_review, name="evaluation_review"),
    path("evaluations/<int:pk>/submit/", evaluations.evaluation_submit, name="evaluation_submit"),
    path("evaluations/<int:pk>/start-review/", evaluations.evaluation_start_review, name="evaluation_start_review"),
    path("evaluations/<int:pk>/return/", evaluations.evaluation_return, name="evaluation_return"),
    path("evaluations/<int:pk>/finalise/", evaluations.evaluation_finalise, name="evaluation_finalise"),
    path(
        "evaluations/<int:pk>/finalise/confirm/",
        evaluations.evaluation_finalise_confirm,
        name="evaluation_finalise_confirm",
    ),
    path("evaluations/<int:pk>/prefill/", evaluations.evaluation_prefill, name="evaluation_prefill"),
    path("evaluations/<int:pk>/evidence/<int:score_pk>/add/", evaluations.evidence_add, name="evidence_add"),
    path("evaluations/<int:pk>/dossier/", evaluations.evaluation_dossier, name="evaluation_dossier"),
    path("evaluations/<int:pk>/report.pdf", evaluations.evaluation_pdf, name="evaluation_pdf"),
    path("evidence/<int:pk>/", evaluations.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/delete/", evaluations.evidence_delete, name="evidence_delete"),
    path("evidence/<int:pk>/delete/confirm/", evaluations.evidence_delete_confirm, name="evidence_delete_confirm"),
]
