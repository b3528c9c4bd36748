from rest_framework.routers import DefaultRouter

from enterprises.api import EnterpriseViewSet, FiscalYearRecordViewSet, ProductViewSet

app_name = "api"
router = DefaultRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("fiscal-years", FiscalYearRecordViewSet, basename="fiscalyear")
router.register("products", ProductViewSet, basename="product")
urlpatterns = router.urls
