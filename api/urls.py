from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from api import pages, views

app_name = "api"

router = SimpleRouter()
router.register("committees", views.CommitteeViewSet, basename="committee")
router.register("people", views.PersonViewSet, basename="person")
router.register("activity-kinds", views.ActivityKindViewSet, basename="activity-kind")
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("plans", views.PlanViewSet, basename="plan")
router.register("evaluations", views.EvaluationViewSet, basename="evaluation")

urlpatterns = [
    path("", pages.index, name="index"),
    path("token/", pages.token_create, name="token_create"),
    path("token/revoke/", pages.token_revoke, name="token_revoke"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", pages.swagger_ui, name="docs"),
    re_path(
        rf"^evaluations/(?P<pk>{views.ID_REGEX})/report\.pdf$",
        views.EvaluationReportView.as_view(),
        name="evaluation-report",
    ),
    *router.urls,
]
