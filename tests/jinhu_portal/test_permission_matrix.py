"""Every named URL, for every role: who may see it, who is sent to login, who gets 404.

A new URL that is not listed here fails `test_every_named_url_is_in_the_matrix`, so nobody can
add a page without deciding who may see it.
"""
import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from django.core.files.uploadedfile import SimpleUploadedFile

from django.utils import timezone

from criteria.models import Attachment, Declaration, Edition, Round, StaffJudgment, Verification
from criteria.services import load_editions

from jinhu_portal.roles import Role
from jobs.models import Job
from enterprises.services import assign_role

from ..factories import FiscalYearFactory, ProductFactory, UserFactory

ROLES = ["anon", "alice", "dave", "bob", "carol", "erin", "root"]
OK, FORBIDDEN, NOT_FOUND, NOT_ALLOWED, LOGIN, REDIRECT = 200, 403, 404, 405, "login", 302

# (url name, args key, expected per role in ROLES order).
# Arg keys: "own" = alice's firm (in dave's town), "other" = a firm of another town.
MATRIX = [
    ("home", None, [LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT]),
    ("login", None, [OK] * 7),
    ("healthz", None, [OK] * 7),
    ("password_change", None, [LOGIN, OK, OK, OK, OK, OK, OK]),
    ("password_change_done", None, [LOGIN, OK, OK, OK, OK, OK, OK]),
    # 长辈模式: a POST switch for everyone (a visitor's choice is a cookie), GET is refused
    ("large_text", None, [NOT_ALLOWED] * 7),
    ("enterprises:list", None, [LOGIN, OK, OK, OK, OK, OK, OK]),
    ("enterprises:create", None, [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("enterprises:mine", None, [LOGIN, REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    ("enterprises:detail", "own", [LOGIN, OK, OK, OK, OK, OK, OK]),
    ("enterprises:detail", "other", [LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, OK, OK]),
    ("enterprises:history", "own", [LOGIN, OK, OK, OK, OK, OK, OK]),
    ("enterprises:history", "other", [LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, OK, OK]),
    ("enterprises:update", "own", [LOGIN, OK, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("enterprises:update", "other", [LOGIN, NOT_FOUND, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("enterprises:fiscal_year_create", "own", [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("enterprises:fiscal_year_create", "other", [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("enterprises:fiscal_year_update", "own_year", [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("enterprises:fiscal_year_update", "other_year", [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("dashboards:overview", None, [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("dashboards:no_role", None, [LOGIN, OK, OK, OK, OK, OK, OK]),
    ("schema", None, [OK] * 7),
    ("api-docs", None, [OK] * 7),
    ("api:api-root", None, [OK] * 7),
    ("api:enterprise-list", None, [FORBIDDEN_API := "api_denied", OK, OK, OK, OK, OK, OK]),
    ("api:enterprise-detail", "own", ["api_denied", OK, OK, OK, OK, OK, OK]),
    ("api:enterprise-detail", "other", ["api_denied", NOT_FOUND, NOT_FOUND, OK, OK, OK, OK]),
    ("api:fiscalyear-list", None, ["api_denied", OK, OK, OK, OK, OK, OK]),
    ("api:fiscalyear-detail", "own_fy", ["api_denied", OK, OK, OK, OK, OK, OK]),
    ("api:fiscalyear-detail", "other_fy", ["api_denied", NOT_FOUND, NOT_FOUND, OK, OK, OK, OK]),
    ("api:product-list", None, ["api_denied", OK, OK, OK, OK, OK, OK]),
    ("api:product-detail", "own_product", ["api_denied", OK, OK, OK, OK, OK, OK]),
    ("api:product-detail", "other_product", ["api_denied", NOT_FOUND, NOT_FOUND, OK, OK, OK, OK]),
    # criteria
    ("criteria:edition_list", None, [LOGIN, OK, OK, OK, OK, OK, OK]),
    ("criteria:edition_detail", "published", [LOGIN, OK, OK, OK, OK, OK, OK]),
    ("criteria:edition_detail", "draft", [LOGIN, OK, OK, OK, OK, OK, OK]),
    ("criteria:edition_clone", "published", [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    ("criteria:edition_publish", "draft", [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    ("criteria:edition_retire", "published", [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    ("criteria:edition_whatif", "draft", [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("criteria:criterion_create", "draft", [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("criteria:criterion_edit", "draft_criterion", [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("criteria:criterion_delete", "draft_criterion",
     [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    ("criteria:closest", None, [LOGIN, OK, OK, OK, OK, OK, OK]),
    ("criteria:runs", None, [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    # background jobs (scoring, imports, dossiers): staff and administrators
    ("jobs:list", None, [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("jobs:detail", "job", [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("jobs:detail", "job_unknown", [LOGIN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, FORBIDDEN, NOT_FOUND]),
    ("jobs:progress", "job", [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("jobs:retry", "job", [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    ("jobs:file", "job", [LOGIN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, FORBIDDEN, NOT_FOUND]),   # no file made
    ("jobs:file", "job_file", [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("criteria:enterprise_results", "own", [LOGIN, OK, OK, OK, OK, OK, OK]),
    ("criteria:enterprise_results", "other", [LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, OK, OK]),
    ("criteria:judgment_create", "own", [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("criteria:judgment_create", "other", [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("criteria:claim_create", "own", [LOGIN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    ("criteria:judgment_evidence", "own_judgment", [LOGIN, OK, OK, OK, OK, OK, OK]),
    ("criteria:judgment_evidence", "other_judgment", [LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, OK, OK]),
    # declarations and review
    ("criteria:round_list", None, [LOGIN, OK, OK, OK, OK, OK, OK]),
    ("criteria:round_create", None, [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("criteria:round_detail", "round", [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("criteria:round_verify", "round", [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    ("criteria:verification_list", "round", [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("criteria:verification_decide", "verification",
     [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    ("criteria:declaration_start", "round", [LOGIN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    ("criteria:review_queue", None, [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("criteria:review_queue_export", None, [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("criteria:batch_approve", None, [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    ("criteria:pool_roster", None, [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("criteria:pool_roster_export", None, [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("criteria:declaration_detail", "own_declaration", [LOGIN, REDIRECT, OK, OK, OK, OK, OK]),
    ("criteria:declaration_detail", "other_declaration", [LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, OK, OK]),
    ("criteria:declaration_score", "own_declaration", [LOGIN, OK, OK, OK, OK, OK, OK]),
    ("criteria:declaration_score", "other_declaration", [LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, OK, OK]),
    ("criteria:declaration_step", "own_step", [LOGIN, OK, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT]),
    ("criteria:declaration_step", "other_step", [LOGIN, NOT_FOUND, NOT_FOUND, REDIRECT, REDIRECT, REDIRECT, REDIRECT]),
    ("criteria:declaration_transition", "own_submit",
     [LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED]),
    ("criteria:attachment_download", "own_attachment", [LOGIN, OK, OK, OK, OK, OK, OK]),
    ("criteria:attachment_download", "other_attachment", [LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, OK, OK]),
    ("criteria:attachment_delete", "own_attachment",
     [LOGIN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    ("criteria:enterprise_rounds", "own", [LOGIN, OK, OK, OK, OK, OK, OK]),
    ("criteria:enterprise_rounds", "other", [LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, OK, OK]),
    # excel import
    ("enterprises:fiscal_year_template", None, [LOGIN, OK, OK, OK, OK, OK, OK]),
    ("enterprises:fiscal_year_import", None, [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("enterprises:fiscal_year_import_commit", None,
     [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    ("api:declaration-list", None, ["api_denied", OK, OK, OK, OK, OK, OK]),
    ("api:declaration-detail", "own_declaration", ["api_denied", OK, OK, OK, OK, OK, OK]),
    ("api:declaration-detail", "other_declaration", ["api_denied", NOT_FOUND, NOT_FOUND, OK, OK, OK, OK]),
    # recommendation lists (推荐名单)
    ("criteria:recommendation_lists", None, [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("criteria:recommendation_generate", None, [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("criteria:recommendation_detail", "rec_list", [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("criteria:recommendation_detail", "rec_other_list", [LOGIN, FORBIDDEN, NOT_FOUND, OK, OK, OK, OK]),
    ("criteria:recommendation_add", "rec_draft", [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    ("criteria:recommendation_freeze", "rec_draft",
     [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    ("criteria:recommendation_new_version", "rec_list",
     [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    ("criteria:recommendation_delete", "rec_draft",
     [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    ("criteria:recommendation_recommend_all", "rec_list",
     [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    ("criteria:recommendation_export", "rec_list", [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("criteria:recommendation_export", "rec_other_list", [LOGIN, FORBIDDEN, NOT_FOUND, OK, OK, OK, OK]),
    ("criteria:recommendation_print", "rec_list", [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("criteria:recommendation_entry_remove", "rec_draft_entry",
     [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    ("criteria:recommendation_entry_move", "rec_draft_entry",
     [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    ("criteria:recommendation_entry_outcome", "rec_entry", [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("api:recommendationlist-list", None, ["api_denied", OK, OK, OK, OK, OK, OK]),
    ("api:recommendationlist-detail", "rec_list", ["api_denied", OK, OK, OK, OK, OK, OK]),
    ("api:recommendationlist-detail", "rec_other_list", ["api_denied", NOT_FOUND, NOT_FOUND, OK, OK, OK, OK]),
    ("api:recommendationlist-detail", "rec_draft", ["api_denied", NOT_FOUND, OK, OK, OK, OK, OK]),
    ("api:recommendationlist-entries", "rec_list", ["api_denied", OK, OK, OK, OK, OK, OK]),
    ("api:recommendationlist-entries", "rec_other_list", ["api_denied", NOT_FOUND, NOT_FOUND, OK, OK, OK, OK]),
    # recognitions (认定荣誉)
    ("enterprises:recognition_list", None, [LOGIN, OK, OK, OK, OK, OK, OK]),
    ("enterprises:recognition_create", None, [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("enterprises:recognition_update", "own_recognition", [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("enterprises:recognition_delete", "own_recognition",
     [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    ("enterprises:recognition_template", None, [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("enterprises:recognition_import", None, [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("enterprises:recognition_import_commit", None,
     [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    ("api:recognition-list", None, ["api_denied", OK, OK, OK, OK, OK, OK]),
    ("api:recognition-detail", "own_recognition", ["api_denied", OK, OK, OK, OK, OK, OK]),
    ("api:recognition-detail", "other_recognition", ["api_denied", NOT_FOUND, NOT_FOUND, OK, OK, OK, OK]),
    # accounts and inbox
    ("enterprises:register", None, [OK] * 7),
    ("enterprises:register_done", None, [OK] * 7),
    ("enterprises:account_pending", None, [LOGIN, FORBIDDEN, OK, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("enterprises:account_activate", "pending_user",
     [LOGIN, FORBIDDEN, NOT_ALLOWED, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    ("enterprises:inbox", None, [LOGIN, OK, OK, OK, OK, OK, OK]),
    ("enterprises:inbox_read", None, [LOGIN] + [NOT_ALLOWED] * 6),
    ("self_assessment", None, [OK] * 7),
    ("api-self-assessment", None, [NOT_ALLOWED] * 7),
    ("api-enterprise-assessment", "own", ["api_denied", OK, OK, OK, OK, OK, OK]),
    ("api-enterprise-assessment", "other", ["api_denied", NOT_FOUND, NOT_FOUND, OK, OK, OK, OK]),
    # 一企一册 (the ZIP: staff only; the world has no pool firm, so it is the Chinese "nothing to download" 404)
    ("dossier", "own", [LOGIN, OK, OK, OK, OK, OK, OK]),
    ("dossier", "other", [LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, OK, OK]),
    ("dossier_pdf", "own", [LOGIN, OK, OK, OK, OK, OK, OK]),
    ("dossier_pdf", "other", [LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, OK, OK]),
    ("dossiers_zip", None, [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    # cultivation plans (一企一策), tracking officer, 我的企业
    ("criteria:plan_list", None, [LOGIN, OK, OK, OK, OK, OK, OK]),
    ("criteria:plan_create", None, [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("criteria:plan_detail", "own_plan", [LOGIN, OK, OK, OK, OK, OK, OK]),
    ("criteria:plan_detail", "other_plan", [LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, OK, OK]),
    ("criteria:plan_close", "own_plan", [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    ("criteria:plan_item_create", "own_plan", [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("criteria:plan_item_edit", "own_plan_item", [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("criteria:plan_item_edit", "other_plan_item", [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("criteria:plan_item_done", "own_plan_item",
     [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    ("criteria:enterprise_plans", "own", [LOGIN, OK, OK, OK, OK, OK, OK]),
    ("criteria:enterprise_plans", "other", [LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, OK, OK]),
    ("criteria:enterprise_tracking", "own", [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("criteria:my_firms", None, [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("api:cultivationplan-list", None, ["api_denied", OK, OK, OK, OK, OK, OK]),
    ("api:cultivationplan-detail", "own_plan", ["api_denied", OK, OK, OK, OK, OK, OK]),
    ("api:cultivationplan-detail", "other_plan", ["api_denied", NOT_FOUND, NOT_FOUND, OK, OK, OK, OK]),
    # leadership: dashboard and drill-down
    ("dashboards:target_rows", "target_code", [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("dashboards:target_rows_xlsx", "target_code", [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    # leadership: targets editing, targets API, town assessment
    ("api:targets", None, ["api_denied", FORBIDDEN, OK, OK, OK, OK, OK]),
    ("api:target-records", "target_code", ["api_denied", FORBIDDEN, OK, OK, OK, OK, OK]),
    ("dashboards:target_manage", None, [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("dashboards:target_edit", "target_pk", [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("dashboards:target_create", "plan_period", [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("dashboards:period_create", None, [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("dashboards:assessment", None, [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("dashboards:assessment_xlsx", None, [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("dashboards:assessment_weights", None, [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    # leadership: quarterly bulletin and public showcase
    ("dashboards:bulletin_index", None, [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("dashboards:bulletin", "quarter", [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("dashboards:bulletin_pdf", "quarter", [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("dashboards:bulletin_xlsx", "quarter", [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("dashboards:event_list", None, [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("dashboards:event_create", None, [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("dashboards:event_edit", "event", [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("dashboards:event_delete", "event", [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    ("dashboards:showcase", None, [OK] * 7),
    ("dashboards:showcase_detail", "showcase_published", [OK] * 7),
    ("dashboards:showcase_detail", "showcase_draft", [NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, OK]),
    ("dashboards:showcase_picture", "showcase_published", [OK] * 7),
    ("dashboards:showcase_picture", "showcase_draft", [NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, OK]),
    ("dashboards:showcase_manage", None, [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("dashboards:showcase_create", None, [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("dashboards:showcase_edit", "showcase_draft", [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("dashboards:showcase_publish", "showcase_draft",
     [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    ("dashboards:showcase_unpublish", "showcase_published",
     [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    # services: 挂钩帮扶 links and visits
    ("services:link_list", None, [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("services:link_create", None, [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("services:link_update", "own_link", [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("services:link_end", "own_link", [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("services:my_links", None, [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("services:visit_list", None, [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("services:visit_export", None, [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    # who records a visit: staff, the town officer, a person with a current link (carol is linked; erin is not)
    ("services:visit_create", None, [LOGIN, FORBIDDEN, OK, OK, OK, FORBIDDEN, OK]),
    ("services:visit_detail", "own_visit", [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("services:visit_detail", "other_visit", [LOGIN, FORBIDDEN, NOT_FOUND, OK, OK, OK, OK]),
    ("services:visit_file", "own_visit_file", [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("services:visit_file", "other_visit_file", [LOGIN, FORBIDDEN, NOT_FOUND, OK, OK, OK, OK]),
    ("services:visit_overdue", None, [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("api:visit-list", None, ["api_denied", FORBIDDEN, OK, OK, OK, OK, OK]),
    ("api:visit-detail", "own_visit", ["api_denied", FORBIDDEN, OK, OK, OK, OK, OK]),
    ("api:visit-detail", "other_visit", ["api_denied", FORBIDDEN, NOT_FOUND, OK, OK, OK, OK]),
    # services: requests (诉求) and meeting tasks
    ("services:request_list", None, [LOGIN, OK, OK, OK, OK, OK, OK]),
    ("services:request_export", None, [LOGIN, OK, OK, OK, OK, OK, OK]),
    ("services:request_create", None, [LOGIN, OK, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    # erin (县科技局) sees the request routed to her unit, not the one routed to 县发改委
    ("services:request_detail", "own_request", [LOGIN, OK, OK, OK, OK, OK, OK]),
    ("services:request_detail", "other_request", [LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, NOT_FOUND, OK]),
    ("services:request_act", "own_request_answer",
     [LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED]),
    ("services:request_attachment", "own_request_file", [LOGIN, OK, OK, OK, OK, OK, OK]),
    ("services:request_attachment", "other_request_file", [LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, NOT_FOUND, OK]),
    ("services:task_list", None, [LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK, OK]),
    ("services:task_detail", "own_task", [LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK, OK]),
    ("services:task_detail", "other_task", [LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, NOT_FOUND, OK]),
    ("services:task_act", "own_task_answer",
     [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED]),
    ("api:servicerequest-list", None, ["api_denied", OK, OK, OK, OK, OK, OK]),
    ("api:servicerequest-detail", "own_request", ["api_denied", OK, OK, OK, OK, OK, OK]),
    ("api:servicerequest-detail", "other_request", ["api_denied", NOT_FOUND, NOT_FOUND, OK, OK, NOT_FOUND, OK]),
    ("api:servicerequest-route", "own_request", ["api_denied"] + [NOT_ALLOWED] * 6),
    ("api:servicerequest-answer", "own_request", ["api_denied"] + [NOT_ALLOWED] * 6),
    ("api:servicerequest-confirm", "own_request", ["api_denied"] + [NOT_ALLOWED] * 6),
    ("api:servicerequest-reopen", "own_request", ["api_denied"] + [NOT_ALLOWED] * 6),
    # services: trainings and attendance, joint meetings and decisions
    ("services:training_list", None, [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("services:training_export", None, [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("services:training_create", None, [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("services:training_detail", "svc_training", [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("services:training_detail", "svc_unknown", [LOGIN, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND,
                                                 NOT_FOUND]),
    ("services:training_edit", "svc_training", [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("services:attendance_add", "svc_training",
     [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    ("services:attendance_delete", "svc_attendee_own",
     [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    ("services:attendance_template", None, [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("services:attendance_import", "svc_training", [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("services:attendance_import", "svc_unknown",
     [LOGIN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, FORBIDDEN, NOT_FOUND]),
    ("services:attendance_import_commit", "svc_training",
     [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    ("services:meeting_list", None, [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("services:meeting_create", None, [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("services:meeting_detail", "svc_meeting", [LOGIN, FORBIDDEN, OK, OK, OK, OK, OK]),
    ("services:meeting_edit", "svc_meeting", [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("services:decision_add", "svc_meeting",
     [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    ("services:decision_edit", "svc_decision", [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("services:decision_delete", "svc_decision",
     [LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED]),
    ("services:decision_route", "svc_decision", [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK]),
    ("api:training-list", None, ["api_denied", FORBIDDEN, OK, OK, OK, OK, OK]),
    ("api:training-detail", "svc_training", ["api_denied", FORBIDDEN, OK, OK, OK, OK, OK]),
    ("api:trainingattendance-list", None, ["api_denied", FORBIDDEN, OK, OK, OK, OK, OK]),
    ("api:trainingattendance-detail", "svc_attendee_own", ["api_denied", FORBIDDEN, OK, OK, OK, OK, OK]),
    ("api:trainingattendance-detail", "svc_attendee_other", ["api_denied", FORBIDDEN, NOT_FOUND, OK, OK, OK, OK]),
    ("api:meeting-list", None, ["api_denied", FORBIDDEN, OK, OK, OK, OK, OK]),
    ("api:meeting-detail", "svc_meeting", ["api_denied", FORBIDDEN, OK, OK, OK, OK, OK]),
]
# Names the matrix deliberately leaves to other tests: Django's admin (its own permission system,
# checked in test_admin_is_for_staff_roles_only), logout (POST only) and DRF's format-suffix twins.
EXEMPT_PREFIXES = ("admin:",)
EXEMPT = {"logout"}


def _all_names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _all_names(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name


def test_every_named_url_is_in_the_matrix():
    covered = {name for name, _, _ in MATRIX}
    missing = {n for n in _all_names() if n not in covered and not n.startswith(EXEMPT_PREFIXES)} - EXEMPT
    assert not missing, f"URL 未列入权限矩阵: {sorted(missing)}"


def _judgment(firm, bob):
    return StaffJudgment.objects.create(enterprise=firm, tier="county_pool", year=2023, code="M3e", met=True,
                                        reason="实地核查", decided_by=bob, evidence_name="e.pdf",
                                        evidence=SimpleUploadedFile("e.pdf", b"%PDF-1.4 test"))


def _declarations(edition, firm, other_firm):
    today = timezone.localdate()
    round_ = Round.objects.create(title="矩阵批次", kind="data_update", tier="county_pool", year=2025,
                                  opens_on=today, closes_on=today, edition=edition)
    own = Declaration.objects.create(round=round_, enterprise=firm, data={})
    other = Declaration.objects.create(round=round_, enterprise=other_firm, data={})

    def attach(declaration):
        return Attachment.objects.create(declaration=declaration, file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"),
                                         original_name="a.pdf", size=10, kind="pdf").pk

    verification = Verification.objects.create(round=round_, enterprise=firm, flag="not_updated")
    return {"round": [round_.pk], "verification": [verification.pk],
            "own_declaration": [own.pk], "other_declaration": [other.pk],
            "own_step": [own.pk, "basic"], "other_step": [other.pk, "basic"], "own_submit": [own.pk, "submit"],
            "own_attachment": [attach(own)], "other_attachment": [attach(other)]}


def _moving_up(firm, other_firm):
    """Recommendation lists (a frozen city_giant list with both firms, one with the other town's firm
    only, a draft) and a recognition of each firm."""
    from criteria.admission import recommendation as rec
    from criteria.models import RecommendationEntry, RecommendationList
    from enterprises.models import Recognition

    frozen = RecommendationList.objects.create(tier="city_giant", year=2024, title="矩阵名单", status="frozen")
    own = RecommendationEntry.objects.create(recommendation_list=frozen, enterprise=firm, position=1)
    RecommendationEntry.objects.create(recommendation_list=frozen, enterprise=other_firm, position=2)
    other = RecommendationList.objects.create(tier="province_giant", year=2024, title="他镇名单", status="frozen")
    RecommendationEntry.objects.create(recommendation_list=other, enterprise=other_firm, position=1)
    draft = RecommendationList.objects.create(tier="national_giant", year=2024, title="草稿名单")
    draft_entry = rec.add(draft, firm, "矩阵")
    return {"rec_list": [frozen.pk], "rec_other_list": [other.pk], "rec_draft": [draft.pk],
            "rec_entry": [own.pk], "rec_draft_entry": [draft_entry.pk],
            "own_recognition": [Recognition.objects.create(enterprise=firm, kind="first_set", level="province",
                                                           year=2024).pk],
            "other_recognition": [Recognition.objects.create(enterprise=other_firm, kind="quality_award",
                                                             level="city", year=2024).pk]}


def _plans(firm, other_firm):
    """An active city_giant plan with one item for each firm."""
    from criteria.models import CultivationPlan, PlanItem

    today = timezone.localdate()
    own = CultivationPlan.objects.create(enterprise=firm, tier="city_giant", year=2024, created_on=today)
    other = CultivationPlan.objects.create(enterprise=other_firm, tier="city_giant", year=2024, created_on=today)
    return {"own_plan": [own.pk], "other_plan": [other.pk],
            "own_plan_item": [PlanItem.objects.create(plan=own, code="E1a", gap_text="主营业务收入还差").pk],
            "other_plan_item": [PlanItem.objects.create(plan=other, code="E1a", gap_text="主营业务收入还差").pk]}


def _bulletin_and_showcase(firm, other_firm):
    """A notable event of 2024Q2, and a published and an unpublished showcase entry with pictures."""
    from datetime import date
    from io import BytesIO

    from PIL import Image

    from dashboards.models import NotableEvent, ShowcaseEntry
    from enterprises.models import Recognition

    def picture():
        buffer = BytesIO()
        Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
        return SimpleUploadedFile("p.png", buffer.getvalue(), content_type="image/png")

    def entry(enterprise, published):
        recognition = Recognition.objects.create(enterprise=enterprise, kind="city_giant", level="city", year=2023)
        return ShowcaseEntry.objects.create(enterprise=enterprise, recognition=recognition, title="矩阵案例",
                                            case_text="案例", picture=picture(), published=published).pk

    event = NotableEvent.objects.create(date=date(2024, 5, 8), title="矩阵事项")
    return {"quarter": [2024, 2], "event": [event.pk],
            "showcase_published": [entry(firm, True)], "showcase_draft": [entry(other_firm, False)]}


def _leadership(firm, other_firm):
    """The plan's targets (fixtures/targets.json) and what the leadership pages need to address."""
    from django.core.management import call_command

    call_command("loaddata", "targets", verbosity=0)
    from dashboards.models import PlanPeriod

    period = PlanPeriod.objects.get(code="2022-2024")
    return {**_bulletin_and_showcase(firm, other_firm),
            "target_code": ["new_city_giants"], "target_pk": [period.targets.first().pk], "plan_period": [period.pk],
            }


def _services_links(firm, other_firm, users):
    """挂钩帮扶: carol linked to the firm (so she may record visits to it), a visit with a file to each firm."""
    from datetime import date

    from services.models import Link, Visit, VisitFile

    link = Link.objects.create(person=users["carol"], enterprise=firm, kind="county_leader", starts_on=date(2024, 1, 1))
    args = {"own_link": [link.pk]}
    for key, enterprise in (("own", firm), ("other", other_firm)):
        visit = Visit.objects.create(enterprise=enterprise, visited_on=date(2024, 6, 1), topics="矩阵走访")
        png = SimpleUploadedFile("v.png", b"\x89PNG\r\n\x1a\n0000", content_type="image/png")
        args[f"{key}_visit"] = [visit.pk]
        args[f"{key}_visit_file"] = [VisitFile.objects.create(visit=visit, file=png, original_name="v.png", size=12).pk]
    return args


def _services_requests(firm, other_firm, bob):
    """A request of each firm with a file, the firm's routed to 县科技局 (erin's unit), the other's to
    县发改委; a meeting task for each of the two units."""
    from services import workflow
    from services.models import Decision, Meeting, RequestAttachment, ServiceRequest

    due = timezone.localdate()
    args = {}
    for key, enterprise, unit in (("own", firm, "keji"), ("other", other_firm, "fagai")):
        item = ServiceRequest.objects.create(enterprise=enterprise, category="financing", description="矩阵诉求")
        workflow.advance(item, "route", bob, unit=unit, due_date=due)
        attachment = RequestAttachment.objects.create(request=item, original_name="r.pdf", size=10,
                                                      file=SimpleUploadedFile("r.pdf", b"%PDF-1.4 x"))
        task = Decision.objects.create(meeting=Meeting.objects.create(date=due, title="矩阵会议"), text="矩阵事项")
        workflow.advance(task, "route", bob, unit=unit, due_date=due)
        args.update({f"{key}_request": [item.pk], f"{key}_request_answer": [item.pk, "answer"],
                     f"{key}_request_file": [attachment.pk], f"{key}_task": [task.pk],
                     f"{key}_task_answer": [task.pk, "answer"]})
    return args


def _services_trainings(firm, other_firm):
    """A training with one attendee of each firm; a meeting with a decision not yet a task."""
    from datetime import date

    from services.models import Attendance, Decision, Meeting, Training

    training = Training.objects.create(title="矩阵培训", date=date(2024, 5, 1), organiser="gongxin", kind="managers")
    own = Attendance.objects.create(training=training, name="甲", mobile="13900000001", enterprise=firm)
    other = Attendance.objects.create(training=training, name="乙", mobile="13900000002", enterprise=other_firm)
    meeting = Meeting.objects.create(date=date(2024, 5, 2), title="矩阵联席会议", attendees=["gongxin"])
    decision = Decision.objects.create(meeting=meeting, text="矩阵议定事项")
    return {"svc_training": [training.pk], "svc_unknown": [999999], "svc_attendee_own": [own.pk],
            "svc_attendee_other": [other.pk], "svc_meeting": [meeting.pk], "svc_decision": [decision.pk]}


@pytest.fixture
def world(firm, other_firm, alice, dave, bob, carol, erin, root, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    load_editions()
    published = Edition.objects.get(tier="county_pool", year=2022)
    draft = published.clone(2025)
    own_fy = FiscalYearFactory(enterprise=firm, year=2023)
    other_fy = FiscalYearFactory(enterprise=other_firm, year=2023)
    return {
        "users": {"anon": None, "alice": alice, "dave": dave, "bob": bob, "carol": carol, "erin": erin, "root": root},
        "args": {
            "own": [firm.pk], "other": [other_firm.pk],
            "own_year": [firm.pk, 2023], "other_year": [other_firm.pk, 2023],
            "own_fy": [own_fy.pk], "other_fy": [other_fy.pk],
            "own_product": [ProductFactory(enterprise=firm).pk],
            "other_product": [ProductFactory(enterprise=other_firm).pk],
            "published": [published.pk], "draft": [draft.pk], "draft_criterion": [draft.criteria.first().pk],
            "own_judgment": [_judgment(firm, bob).pk], "other_judgment": [_judgment(other_firm, bob).pk],
            **_declarations(published, firm, other_firm),
            **_moving_up(firm, other_firm),
            **_plans(firm, other_firm),
            **_leadership(firm, other_firm),
            **_services_requests(firm, other_firm, bob),
            **_services_links(firm, other_firm, {"carol": carol}),
            **_services_trainings(firm, other_firm),
            "job": [Job.objects.create(kind=Job.Kind.EVALUATE, started_by=bob).pk], "job_unknown": [999999],
            "job_file": [_job_with_file(bob).pk],
            "pending_user": [assign_role(UserFactory(username="pending", is_active=False), Role.ENTERPRISE,
                                         enterprise=firm).pk],
        },
    }


def _job_with_file(user):
    from django.core.files.base import ContentFile

    job = Job.objects.create(kind=Job.Kind.DOSSIERS, status=Job.Status.DONE, started_by=user,
                             params={"scope": "全县", "filename": "全县培育库一企一册.zip"})
    job.file.save("dossiers-matrix.zip", ContentFile(b"PK\x05\x06" + bytes(18)))
    return job


CASES = [(name, key, role, expected) for name, key, row in MATRIX for role, expected in zip(ROLES, row)]


@pytest.mark.parametrize("name,key,role,expected", CASES,
                         ids=[f"{n}-{k or ''}-{r}" for n, k, r, _ in CASES])
def test_permission_matrix(client, world, name, key, role, expected):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    url = reverse(name, args=world["args"][key] if key else None)
    response = client.get(url)
    if expected == LOGIN:
        assert response.status_code == 302 and reverse("login") in response["Location"]
    elif expected == "api_denied":
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == expected, f"{role} {url}: {response.status_code}"


def test_enterprise_user_cannot_see_another_firm(client, alice, other_firm):
    client.force_login(alice)
    assert client.get(reverse("enterprises:detail", args=[other_firm.pk])).status_code == 404
    assert client.get(reverse("api:enterprise-detail", args=[other_firm.pk])).status_code == 404


def test_enterprise_user_list_shows_only_its_own_firm(client, alice, firm, other_firm):
    client.force_login(alice)
    names = [row["name"] for row in client.get(reverse("api:enterprise-list")).json()["results"]]
    assert names == [firm.name]


def test_town_officer_sees_only_firms_of_its_town(client, dave, firm, other_firm):
    client.force_login(dave)
    html = client.get(reverse("enterprises:list")).content.decode()
    assert firm.name in html and other_firm.name not in html


def test_leader_cannot_write_through_the_api(client, carol, firm):
    client.force_login(carol)
    response = client.patch(reverse("api:enterprise-detail", args=[firm.pk]), {"name": "改名"},
                            content_type="application/json")
    assert response.status_code == 403
    firm.refresh_from_db()
    assert firm.name != "改名"


def test_enterprise_user_cannot_create_a_firm_through_the_api(client, alice, town):
    client.force_login(alice)
    response = client.post(reverse("api:enterprise-list"), {"name": "新", "uscc": "x", "town": town.pk},
                           content_type="application/json")
    assert response.status_code == 403


@pytest.mark.parametrize("role,expected", [("alice", 302), ("dave", 302), ("carol", 302), ("bob", 200),
                                           ("root", 200)])
def test_admin_is_for_staff_roles_only(client, world, role, expected):
    user = world["users"][role]
    if role == "bob":
        user.is_staff = True
        user.save()
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code == expected
