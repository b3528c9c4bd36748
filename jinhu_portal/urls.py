from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from criteria.api import EnterpriseAssessmentView, SelfAssessmentView
from criteria.views.selfassess import self_assessment_page
from criteria.views import dossier as dossier_views

from . import health, preferences, views

admin.site.site_header = "金湖县专精特新企业培育服务平台 管理后台"
admin.site.site_title = "培育服务平台管理后台"
admin.site.index_title = "数据管理"


@csrf_exempt
def api_not_found(request):
    """Any other address under /api/ ending in a slash (an id that is not a number, say) is a JSON
    404, as the API's own are, not the HTML page meant for people."""
    return JsonResponse({"detail": "未找到。"}, status=404)


urlpatterns = [
    path("", views.home, name="home"),
    # For the load balancer and monitors: database, Redis, media folder; no login (jinhu_portal/health.py).
    path("healthz", health.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/large-text/", preferences.toggle_large_text, name="large_text"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # 一企一册: the views read criteria's models, so they live in criteria (enterprises imports no criteria)
    path("enterprises/dossiers.zip", dossier_views.dossier_zip, name="dossiers_zip"),
    path("enterprises/<int:pk>/dossier/", dossier_views.dossier_page, name="dossier"),
    path("enterprises/<int:pk>/dossier.pdf", dossier_views.dossier_pdf, name="dossier_pdf"),
    path("enterprises/", include("enterprises.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("criteria/", include("criteria.urls")),
    path("services/", include("services.urls")),
    path("jobs/", include("jobs.urls")),
    path("self-assessment/", self_assessment_page, name="self_assessment"),
    path("api/v1/self-assessment/", SelfAssessmentView.as_view(), name="api-self-assessment"),
    path("api/v1/enterprises/<int:pk>/assessment/", EnterpriseAssessmentView.as_view(),
         name="api-enterprise-assessment"),
    path("api/v1/", include("jinhu_portal.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script from /api/docs/?script, not inline, so the page
    # runs under the portal's Content-Security-Policy unchanged (templates/drf_spectacular/).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    re_path(r"^api/(?:[\s\S]*/)?$", api_not_found),      # slash-less addresses still get APPEND_SLASH
    path("admin/", admin.site.urls),
]
