from django.urls import path

from .views import board, drilldown
from .views import bulletin, showcase
from .views import assessment, targets

app_name = "dashboards"
urlpatterns = [
    path("", board.overview, name="overview"),
    path("no-role/", board.no_role, name="no_role"),
    # staff edit targets and plan periods (before targets/<code>/, which "manage" would match)
    path("targets/manage/", targets.manage, name="target_manage"),
    path("targets/manage/<int:pk>/edit/", targets.edit, name="target_edit"),
    path("targets/manage/periods/<int:period_pk>/new/", targets.create, name="target_create"),
    path("targets/manage/periods/new/", targets.period_create, name="period_create"),
    # 专项考核
    path("assessment/", assessment.page, name="assessment"),
    path("assessment.xlsx", assessment.export, name="assessment_xlsx"),
    path("assessment/weights/", assessment.weights, name="assessment_weights"),
    path("targets/<slug:code>/", drilldown.target_rows, name="target_rows"),
    path("targets/<slug:code>.xlsx", drilldown.target_rows_xlsx, name="target_rows_xlsx"),
    # 季度信息通报 (the year and quarter are digits; the view answers 404 for Q0, Q5 or a year outside the plans)
    path("bulletin/", bulletin.bulletin_index, name="bulletin_index"),
    path("bulletin/<int:year>Q<int:quarter>/", bulletin.bulletin_page, name="bulletin"),
    path("bulletin/<int:year>Q<int:quarter>.pdf", bulletin.bulletin_pdf, name="bulletin_pdf"),
    path("bulletin/<int:year>Q<int:quarter>.xlsx", bulletin.bulletin_xlsx, name="bulletin_xlsx"),
    path("events/", bulletin.event_list, name="event_list"),
    path("events/new/", bulletin.event_create, name="event_create"),
    path("events/<int:pk>/edit/", bulletin.event_edit, name="event_edit"),
    path("events/<int:pk>/delete/", bulletin.event_delete, name="event_delete"),
    # 典型宣传: public (no login) pages, and staff's
    path("showcase/", showcase.showcase, name="showcase"),
    path("showcase/<int:pk>/", showcase.showcase_detail, name="showcase_detail"),
    path("showcase/<int:pk>/picture/", showcase.showcase_picture, name="showcase_picture"),
    path("showcase/manage/", showcase.showcase_manage, name="showcase_manage"),
    path("showcase/new/", showcase.showcase_create, name="showcase_create"),
    path("showcase/<int:pk>/edit/", showcase.showcase_edit, name="showcase_edit"),
    path("showcase/<int:pk>/publish/", showcase.showcase_publish, name="showcase_publish"),
    path("showcase/<int:pk>/unpublish/", showcase.showcase_unpublish, name="showcase_unpublish"),
]
