from django.urls import path

from .views import declarations, rounds

urlpatterns = [
    path("rounds/", rounds.round_list, name="round_list"),
    path("rounds/new/", rounds.round_create, name="round_create"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/verify/", rounds.round_verify, name="round_verify"),
    path("rounds/<int:pk>/verification/", rounds.verification_list, name="verification_list"),
    path("verification/<int:pk>/decide/", rounds.verification_decide, name="verification_decide"),
    path("rounds/<int:round_pk>/declare/", declarations.declaration_start, name="declaration_start"),
    path("queue/", rounds.review_queue, name="review_queue"),
    path("queue/export/", rounds.review_queue_export, name="review_queue_export"),
    path("queue/approve/", rounds.batch_approve, name="batch_approve"),
    path("pool/", rounds.pool_roster, name="pool_roster"),
    path("pool/export/", rounds.pool_roster_export, name="pool_roster_export"),
    path("declarations/<int:pk>/", declarations.declaration_detail, name="declaration_detail"),
    path("declarations/<int:pk>/score/", declarations.declaration_score, name="declaration_score"),
    path("declarations/<int:pk>/step/<slug:step>/", declarations.declaration_step, name="declaration_step"),
    path("declarations/<int:pk>/<slug:action>/", declarations.declaration_transition, name="declaration_transition"),
    path("attachments/<int:pk>/", declarations.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", declarations.attachment_delete, name="attachment_delete"),
    path("enterprises/<int:pk>/rounds/", rounds.enterprise_rounds, name="enterprise_rounds"),
]

# Cultivation plans (分类辅导，一企一策), the tracking officer and 我的企业
from .views import plans  # noqa: E402

urlpatterns += [
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/new/", plans.plan_create, name="plan_create"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/close/", plans.plan_close, name="plan_close"),
    path("plans/<int:pk>/items/new/", plans.plan_item_create, name="plan_item_create"),
    path("plan-items/<int:pk>/edit/", plans.plan_item_edit, name="plan_item_edit"),
    path("plan-items/<int:pk>/done/", plans.plan_item_done, name="plan_item_done"),
    path("enterprises/<int:pk>/plans/", plans.enterprise_plans, name="enterprise_plans"),
    path("enterprises/<int:pk>/tracking/", plans.enterprise_tracking, name="enterprise_tracking"),
    path("my-firms/", plans.my_firms, name="my_firms"),
]


# Recommendation lists (推荐名单)
from .views import recommendation  # noqa: E402

urlpatterns += [
    path("recommendations/", recommendation.recommendation_lists, name="recommendation_lists"),
    path("recommendations/new/", recommendation.recommendation_generate, name="recommendation_generate"),
    path("recommendations/<int:pk>/", recommendation.recommendation_detail, name="recommendation_detail"),
    path("recommendations/<int:pk>/add/", recommendation.recommendation_add, name="recommendation_add"),
    path("recommendations/<int:pk>/freeze/", recommendation.recommendation_freeze, name="recommendation_freeze"),
    path("recommendations/<int:pk>/new-version/", recommendation.recommendation_new_version,
         name="recommendation_new_version"),
    path("recommendations/<int:pk>/delete/", recommendation.recommendation_delete, name="recommendation_delete"),
    path("recommendations/<int:pk>/recommend-all/", recommendation.recommendation_recommend_all,
         name="recommendation_recommend_all"),
    path("recommendations/<int:pk>/export.xlsx", recommendation.recommendation_export,
         name="recommendation_export"),
    path("recommendations/<int:pk>/print/", recommendation.recommendation_print, name="recommendation_print"),
    path("recommendation-entries/<int:pk>/remove/", recommendation.recommendation_entry_remove,
         name="recommendation_entry_remove"),
    path("recommendation-entries/<int:pk>/move/", recommendation.recommendation_entry_move,
         name="recommendation_entry_move"),
    path("recommendation-entries/<int:pk>/outcome/", recommendation.recommendation_entry_outcome,
         name="recommendation_entry_outcome"),
]

# Cultivation plans (分类辅导，一企一策), the tracking officer and 我的企业
from .views import plans  # noqa: E402

urlpatterns += [
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/new/", plans.plan_create, name="plan_create"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/close/", plans.plan_close, name="plan_close"),
    path("plans/<int:pk>/items/new/", plans.plan_item_create, name="plan_item_create"),
    path("plan-items/<int:pk>/edit/", plans.plan_item_edit, name="plan_item_edit"),
    path("plan-items/<int:pk>/done/", plans.plan_item_done, name="plan_item_done"),
    path("enterprises/<int:pk>/plans/", plans.enterprise_plans, name="enterprise_plans"),
    path("enterprises/<int:pk>/tracking/", plans.enterprise_tracking, name="enterprise_tracking"),
    path("my-firms/", plans.my_firms, name="my_firms"),
]
