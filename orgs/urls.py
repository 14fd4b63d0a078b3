from django.urls import path

from orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.committee_tree, name="committee_tree"),
    path("new/", views.committee_create, name="committee_create"),
    path("<int:pk>/", views.committee_detail, name="committee_detail"),
    path("<int:pk>/edit/", views.committee_edit, name="committee_edit"),
    path("<int:pk>/move/", views.committee_move, name="committee_move"),
]
