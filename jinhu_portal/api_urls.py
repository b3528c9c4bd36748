from django.urls import path
from rest_framework import permissions, routers
from rest_framework.routers import DefaultRouter

from criteria.admission.api import CultivationPlanViewSet, DeclarationViewSet
from enterprises.api import EnterpriseViewSet, FiscalYearRecordViewSet, ProductViewSet
from enterprises.api import RecognitionViewSet
from criteria.admission.api import RecommendationListViewSet
from dashboards.api import TargetListView, TargetRecordsView
from services import request_api
from services.api import VisitViewSet
from services.api import AttendanceViewSet, MeetingViewSet, TrainingViewSet

app_name = "api"


class PortalRouter(DefaultRouter):
    class APIRootView(routers.APIRootView):
        """The index of the API: public, it only lists the endpoints."""

        permission_classes = [permissions.AllowAny]


router = PortalRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("fiscal-years", FiscalYearRecordViewSet, basename="fiscalyear")
router.register("products", ProductViewSet, basename="product")
router.register("declarations", DeclarationViewSet, basename="declaration")
router.register("recognitions", RecognitionViewSet, basename="recognition")
router.register("recommendation-lists", RecommendationListViewSet, basename="recommendationlist")
router.register("cultivation-plans", CultivationPlanViewSet, basename="cultivationplan")
router.register("visits", VisitViewSet, basename="visit")
router.register("trainings", TrainingViewSet, basename="training")
router.register("training-attendance", AttendanceViewSet, basename="trainingattendance")
router.register("meetings", MeetingViewSet, basename="meeting")
urlpatterns = router.urls + [
    path("targets/", TargetListView.as_view(), name="targets"),
    path("targets/<str:code>/records/", TargetRecordsView.as_view(), name="target-records"),
    # requests (诉求): read as the list page scopes them; written through the workflow only
    path("service-requests/", request_api.ServiceRequestList.as_view(), name="servicerequest-list"),
    path("service-requests/<int:pk>/", request_api.ServiceRequestDetail.as_view(), name="servicerequest-detail"),
    path("service-requests/<int:pk>/route/", request_api.ServiceRequestRoute.as_view(), name="servicerequest-route"),
    path("service-requests/<int:pk>/answer/", request_api.ServiceRequestAnswer.as_view(),
         name="servicerequest-answer"),
    path("service-requests/<int:pk>/confirm/", request_api.ServiceRequestConfirm.as_view(),
         name="servicerequest-confirm"),
    path("service-requests/<int:pk>/reopen/", request_api.ServiceRequestReopen.as_view(),
         name="servicerequest-reopen"),
]
