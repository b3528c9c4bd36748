from django.urls import path

from .views import board

app_name = "dashboards"
urlpatterns = [
    path("", board.overview, name="overview"),
    path("no-role/", board.no_role, name="no_role"),
]
