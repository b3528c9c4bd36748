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

# The admission side's pages share the criteria namespace, so their URL names stay put.
from .admission.urls import urlpatterns as admission_urlpatterns  # noqa: E402

urlpatterns += admission_urlpatterns
