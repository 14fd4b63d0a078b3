from django.urls import path

from orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.committee_tree, name="committee_tree"),
    path("", views.committee_tree, name="index"),
    path("new/", views.committee_create, name="committee_create"),
    path("<int:pk>/", views.committee_detail, name="committee_detail"),
    path("<int:pk>/edit/", views.committee_edit, name="committee_edit"),
    path("<int:pk>/move/", views.committee_move, name="committee_move"),
    path("<int:pk>/export/", views.committee_export, name="committee_export"),
    path("<int:pk>/units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/delete/", views.unit_delete, name="unit_delete"),
    path("units/<int:pk>/delete/confirm/", views.unit_delete_confirm, name="unit_delete_confirm"),
    path("people/", views.people_list, name="people_list"),
    path("people/wulao/", views.wulao_registry, name="wulao_registry"),
    path("people/export/", views.people_export, name="people_export"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/roles/new/", views.membership_add, name="membership_add"),
    path("roles/<int:pk>/remove/", views.membership_remove, name="membership_remove"),
    path("roles/<int:pk>/remove/confirm/", views.membership_remove_confirm, name="membership_remove_confirm"),
    path("groupings/", views.grouping_list, name="grouping_list"),
    path("groupings/new/", views.grouping_create, name="grouping_create"),
    path("groupings/<int:pk>/", views.grouping_detail, name="grouping_detail"),
    path("groupings/<int:pk>/edit/", views.grouping_edit, name="grouping_edit"),
    path("import/committees/", views.committee_import, name="committee_import"),
    path("import/committees/template/", views.committee_import_template, name="committee_import_template"),
    path("import/people/", views.people_import, name="people_import"),
    path("import/people/template/", views.people_import_template, name="people_import_template"),
]
