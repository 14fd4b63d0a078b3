from django.urls import path

from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.index, name="index"),
    path("committee/<int:pk>/", views.committee, name="committee"),
    path("committee/<int:pk>/xlsx/<slug:chart>/", views.chart_xlsx, name="chart_xlsx"),
    path("committee/<int:pk>/workbook/", views.workbook, name="workbook"),
    path("committee/<int:pk>/pdf/", views.pdf, name="pdf"),
]
