from django.urls import path

from .views import accounts, firms, xlsx

app_name = "enterprises"
urlpatterns = [
    path("", firms.enterprise_list, name="list"),
    path("new/", firms.enterprise_create, name="create"),
    path("mine/", firms.my_enterprise, name="mine"),
    path("<int:pk>/", firms.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", firms.enterprise_update, name="update"),
    path("<int:pk>/history/", firms.enterprise_history, name="history"),
    path("<int:pk>/years/new/", firms.fiscal_year_create, name="fiscal_year_create"),
    path("<int:pk>/years/<int:year>/edit/", firms.fiscal_year_update, name="fiscal_year_update"),
    *xlsx.urlpatterns,
    *accounts.urlpatterns,
]

# Recognitions (认定荣誉): list, form, XLSX import
from .views import recognitions  # noqa: E402

urlpatterns += recognitions.urlpatterns
