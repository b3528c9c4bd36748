from django.urls import path

from . import views

app_name = "enterprises"
urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("new/", views.enterprise_create, name="create"),
    path("mine/", views.my_enterprise, name="mine"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_update, name="update"),
    path("<int:pk>/years/new/", views.fiscal_year_create, name="fiscal_year_create"),
    path("<int:pk>/years/<int:year>/edit/", views.fiscal_year_update, name="fiscal_year_update"),
]
