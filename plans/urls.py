from django.urls import path

from plans import views

app_name = "plans"

urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.plan_upload, name="upload"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/publish/", views.plan_publish, name="plan_publish"),
    path("<int:pk>/delete/", views.plan_delete, name="plan_delete"),
    path("<int:pk>/original/", views.plan_source, name="plan_source"),
    path("<int:pk>/targets/", views.plan_targets, name="plan_targets"),
    path("<int:pk>/export.xlsx", views.plan_export, {"fmt": "xlsx"}, name="plan_export_xlsx"),
    path("<int:pk>/export.docx", views.plan_export, {"fmt": "docx"}, name="plan_export_docx"),
    path("points/<int:pk>/edit/", views.point_edit, name="point_edit"),
    path("points/<int:pk>/targets/new/", views.target_add, name="target_add"),
    path("targets/<int:pk>/", views.target_detail, name="target_detail"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target_edit"),
    path("targets/<int:pk>/confirm/", views.target_confirm, name="target_confirm"),
    path("targets/<int:pk>/delete/", views.target_delete, name="target_delete"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/manage/", views.programme_manage, name="programme_manage"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/delete/", views.programme_delete, name="programme_delete"),
    path("programmes/<int:pk>/delete/confirm/", views.programme_delete_confirm, name="programme_delete_confirm"),
    path("programmes/<int:pk>/phases/new/", views.phase_add, name="phase_add"),
    path("phases/<int:pk>/edit/", views.phase_edit, name="phase_edit"),
    path("phases/<int:pk>/delete/", views.phase_delete, name="phase_delete"),
    path("programmes/<int:pk>/milestones/new/", views.milestone_add, name="milestone_add"),
    path("milestones/<int:pk>/edit/", views.milestone_edit, name="milestone_edit"),
    path("milestones/<int:pk>/delete/", views.milestone_delete, name="milestone_delete"),
    path("programmes/<int:pk>/participants/add/", views.participant_add, name="participant_add"),
    path("participants/<int:pk>/remove/", views.participant_remove, name="participant_remove"),
    path("milestones/<int:pk>/upload/", views.deliverable_upload, name="deliverable_upload"),
    path("deliverables/<int:pk>/file/", views.deliverable_download, name="deliverable_download"),
    path("deliverables/<int:pk>/review/", views.deliverable_review, name="deliverable_review"),
    path("participants/<int:pk>/status/", views.participant_status, name="participant_status"),
]
