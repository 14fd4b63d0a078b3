from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path

from dashboards import views as dashboard_views


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    # Pages not drawn from base.html (the browsable API, the admin) still get an icon.
    return HttpResponseRedirect(static("favicon.svg"))


urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("favicon.ico", favicon),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("orgs/", include("orgs.urls")),
    path("activities/", include("activities.urls")),
    path("plans/", include("plans.urls")),
    path("assessments/", include("assessments.urls")),
    path("notifications/", include("notifications.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]

# JSON under /api/, the site's pages (guanwei.errors) everywhere else.
handler400 = "api.errors.bad_request"
handler403 = "api.errors.permission_denied"
handler404 = "api.errors.page_not_found"
handler500 = "api.errors.server_error"
