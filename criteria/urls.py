from django.urls import path

from .views import editions, results

app_name = "criteria"
urlpatterns = [
    path("editions/", editions.edition_list, name="edition_list"),
    path("editions/<int:pk>/", editions.edition_detail, name="edition_detail"),
    path("editions/<int:pk>/clone/", editions.edition_clone, name="edition_clone"),
    path("editions/<int:pk>/publish/", editions.edition_publish, name="edition_publish"),
    path("editions/<int:pk>/retire/", editions.edition_retire, name="edition_retire"),
    path("editions/<int:pk>/whatif/", editions.edition_whatif, name="edition_whatif"),
    path("editions/<int:edition_pk>/criteria/new/", editions.criterion_edit, name="criterion_create"),
    path("criteria/<int:pk>/edit/", editions.criterion_edit, name="criterion_edit"),
    path("criteria/<int:pk>/delete/", editions.criterion_delete, name="criterion_delete"),
    path("closest/", results.closest, name="closest"),
    path("runs/", results.runs, name="runs"),
    path("enterprises/<int:pk>/results/", results.enterprise_results, name="enterprise_results"),
    path("enterprises/<int:pk>/judgments/", results.judgment_create, name="judgment_create"),
    path("enterprises/<int:pk>/claims/", results.claim_create, name="claim_create"),
    path("judgments/<int:pk>/evidence/", results.judgment_evidence, name="judgment_evidence"),
]

from .views import declarations, rounds  # noqa: E402

urlpatterns += [
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
