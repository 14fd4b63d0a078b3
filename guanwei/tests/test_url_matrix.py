"""The status-code matrix: every URL (web and API) × method × persona.

Every URL the project serves has a row below saying, for each persona, which
status each method must answer. The personas are the root conftest's, in this
order:

    anonymous   not logged in
    outsider    sec_sibling, secretary of the sibling college (UNI-JC)
    secretary   sec_college, secretary of the college (UNI-ZJ) that owns every object used
    leader      leader of the university: reads its whole subtree, approves
    reviewer    provincial reviewer: reads the province's tree, scores what is assigned to them
    admin       the system administrator (superuser, staff)

Every URL parameter is an object of the college's subtree (url_matrix_world.py),
so the outsider must get 404 (or 403 where a page says "forbidden" to everyone
but a role they lack), never 200.

The codes in the table:

    L     302 to the login page (anonymous visitors of a web page)
    A     302 to the admin's login page (the Django admin, for anyone not staff)
    302   a redirect anywhere else (a form saved, an action done, an error shown on the next page)
    200 201 204 400 401 403 404 405   themselves; a form posted empty answers 200 with its errors

The table is written down by hand from what each page is for; it is not
computed from the views. Each mutating request runs in a savepoint that is
rolled back, so the personas all meet the same world. A URL added without a
row makes test_every_url_has_a_row fail, naming it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from activities.models import ActivityKind
from guanwei.tests.url_matrix_world import World, build_world

PERSONAS = ("anonymous", "outsider", "secretary", "leader", "reviewer", "admin")
USERNAMES = {
    "anonymous": None,
    "outsider": "sec_sibling",
    "secretary": "sec_college",
    "leader": "leader",
    "reviewer": "reviewer",
    "admin": "admin",
}


@dataclass(frozen=True)
class Row:
    """Expected codes per method, each a string of six codes in PERSONAS order."""

    args: str = ""  # world attributes filling the URL, e.g. "evaluation score"; "=months" is a literal
    expect: dict[str, str] = field(default_factory=dict)
    query: str = ""  # e.g. "?committee={college}"
    path: str = ""  # for URL patterns without a name: the path, e.g. "/admin/orgs/committee/{college}/"
    api: bool = False


# Shorthands for the most common lines. (Pages that only read take GET alone: a POST is NO. Only
# form pages, which show their form on GET and take it on POST, repeat a GET line in the POST column.)
NO = "L 405 405 405 405 405"  # the method is not allowed (anonymous visitors are sent to log in first)
API_NO = "401 405 405 405 405 405"  # DRF authenticates before it looks at the method
EVERYONE = "L 200 200 200 200 200"  # any logged-in user
READ = "L 404 200 200 200 200"  # an object of the college: the outsider never sees it
EDIT = "L 404 200 403 403 200"  # the college's secretary (and the admin) change it; readers are refused
EDIT_DONE = "L 404 302 403 403 302"  # the same, for an action that redirects when done
LOG_ANYWHERE = "L 200 200 403 403 200"  # a secretary of any committee (the outsider too) may start one
MANAGE = "L 404 403 403 403 200"  # only the system administrator; the readers are told "forbidden"
MANAGE_ANYWHERE = "L 403 403 403 403 200"  # needs MANAGE on some committee: only the admin has it
STAFF = "A A A A A"  # the five who are not staff, in front of the Django admin


def web(args: str, get: str, post: str, *, query: str = "", path: str = "") -> Row:
    return Row(args, {"GET": get, "POST": post}, query, path)


def api(args: str, get: str, post: str = "", put: str = "", patch: str = "", delete: str = "") -> Row:
    methods = {"GET": get, "POST": post, "PUT": put, "PATCH": patch, "DELETE": delete}
    return Row(args, {method: codes or API_NO for method, codes in methods.items()}, api=True)


WEB: dict[str, Row] = {
    # --- the site -----------------------------------------------------------------------------
    "home": web("", EVERYONE, NO),
    "favicon.ico": web("", "302 302 302 302 302 302", "302 302 302 302 302 302", path="/favicon.ico"),
    "login": web("", "200 302 302 302 302 302", "200 302 302 302 302 302"),
    "logout": web("", "405 405 405 405 405 405", "L L L L L L"),  # logged out, back to the login page
    "set_language": web("", "302 302 302 302 302 302", "302 302 302 302 302 302"),
    # --- orgs ---------------------------------------------------------------------------------
    "orgs:committee_tree": web("", EVERYONE, NO),
    "orgs:index": web("", EVERYONE, NO),
    # Under a parent the outsider cannot see: 404; under one they can see but not manage: 403.
    "orgs:committee_create": web("", MANAGE, MANAGE, query="?parent={college}"),
    "orgs:committee_detail": web("college", READ, NO),
    "orgs:committee_edit": web("college", EDIT, EDIT),
    "orgs:committee_move": web("college", MANAGE, MANAGE),
    "orgs:committee_export": web("college", READ, NO),
    "orgs:unit_create": web("college", EDIT, EDIT),
    "orgs:unit_edit": web("unit", EDIT, EDIT),
    "orgs:unit_delete": web("unit", NO, EDIT_DONE),
    "orgs:unit_delete_confirm": web("unit", EDIT, NO),
    # Filtered by the college: a committee outside the user's scope is a 404.
    "orgs:people_list": web("", READ, NO, query="?committee={college}"),
    "orgs:wulao_registry": web("", READ, NO, query="?committee={college}"),
    "orgs:people_export": web("", READ, NO, query="?committee={college}"),
    "orgs:person_create": web("", EDIT, EDIT, query="?committee={college}"),
    "orgs:person_detail": web("person", READ, NO),
    "orgs:person_edit": web("person", EDIT, EDIT),
    "orgs:membership_add": web("person", EDIT, EDIT),
    "orgs:membership_remove": web("membership", NO, EDIT_DONE),
    "orgs:membership_remove_confirm": web("membership", EDIT, NO),
    "orgs:grouping_list": web("", EVERYONE, NO),
    "orgs:grouping_create": web("", MANAGE_ANYWHERE, MANAGE_ANYWHERE),
    "orgs:grouping_detail": web("grouping", READ, NO),
    "orgs:grouping_edit": web("grouping", MANAGE, MANAGE),
    "orgs:committee_import": web("", MANAGE_ANYWHERE, MANAGE_ANYWHERE),
    "orgs:committee_import_template": web("", MANAGE_ANYWHERE, NO),
    "orgs:people_import": web("", LOG_ANYWHERE, LOG_ANYWHERE),
    "orgs:people_import_template": web("", LOG_ANYWHERE, NO),
    # --- activities ---------------------------------------------------------------------------
    "activities:index": web("", EVERYONE, NO),
    "activities:create": web("", LOG_ANYWHERE, LOG_ANYWHERE),
    "activities:detail": web("activity", READ, NO),
    "activities:edit": web("activity", EDIT, EDIT),
    "activities:delete": web("activity", NO, EDIT_DONE),
    "activities:delete_confirm": web("activity", EDIT, NO),
    # Restoring a deleted activity is the admin's: the secretary who can see the college is refused.
    "activities:restore": web("deleted_activity", NO, "L 404 403 403 403 302"),
    "activities:deleted": web("", MANAGE_ANYWHERE, NO),
    "activities:export": web("", READ, NO, query="?committee={college}"),
    "activities:import": web("", LOG_ANYWHERE, LOG_ANYWHERE),
    "activities:import_template": web("", LOG_ANYWHERE, NO),
    # Suggestions for the filter boxes, drawn from the user's own scope.
    "activities:lookup_committees": web("", EVERYONE, NO, query="?q=针灸"),
    "activities:lookup_people": web("", EVERYONE, NO, query="?q=张"),
    "activities:photo": web("photo", READ, NO),
    "activities:photo_thumbnail": web("photo", READ, NO),
    "activities:photo_delete": web("photo", NO, EDIT_DONE),
    "activities:photo_delete_confirm": web("photo", EDIT, NO),
    # A photo chosen on a form not saved yet: only its token in the user's own session finds it.
    "activities:pending_photo_thumbnail": web("=not-a-token", "L 404 404 404 404 404", NO),
    "activities:donation_list": web("", EVERYONE, NO),
    "activities:donation_create": web("", LOG_ANYWHERE, LOG_ANYWHERE),
    "activities:donation_edit": web("donation", EDIT, EDIT),
    "activities:donation_delete": web("donation", NO, EDIT_DONE),
    "activities:donation_delete_confirm": web("donation", EDIT, NO),
    "activities:donation_export": web("", READ, NO, query="?committee={college}"),
    "activities:news_list": web("", EVERYONE, NO),
    "activities:news_create": web("", LOG_ANYWHERE, LOG_ANYWHERE),
    "activities:news_detail": web("news", READ, NO),
    "activities:news_edit": web("news", EDIT, EDIT),
    "activities:news_delete": web("news", NO, EDIT_DONE),
    "activities:news_delete_confirm": web("news", EDIT, NO),
    "activities:news_export": web("", READ, NO, query="?committee={college}"),
    "activities:news_photo": web("news_photo", READ, NO),
    "activities:news_photo_thumbnail": web("news_photo", READ, NO),
    "activities:news_photo_delete": web("news_photo", NO, EDIT_DONE),
    "activities:news_photo_delete_confirm": web("news_photo", EDIT, NO),
    # --- plans (the college's draft plan and its programme) -----------------------------------
    "plans:index": web("", EVERYONE, NO),
    "plans:upload": web("", LOG_ANYWHERE, LOG_ANYWHERE),
    "plans:plan_detail": web("plan", READ, NO),
    "plans:plan_edit": web("plan", EDIT, EDIT),
    # The secretary and the leader (APPROVE) publish; the reviewer may not.
    "plans:plan_publish": web("plan", NO, "L 404 302 302 403 302"),
    "plans:plan_publish_confirm": web("plan", "L 404 200 200 403 200", NO),
    "plans:plan_delete": web("plan", NO, EDIT_DONE),
    "plans:plan_delete_confirm": web("plan", EDIT, NO),
    "plans:plan_source": web("plan", READ, NO),
    "plans:plan_targets": web("plan", EDIT, NO),
    "plans:plan_export_xlsx": web("plan", READ, NO),
    "plans:plan_export_docx": web("plan", READ, NO),
    "plans:point_edit": web("point", EDIT, EDIT),
    "plans:target_add": web("point", EDIT, EDIT),
    "plans:target_detail": web("target", READ, NO),
    "plans:target_edit": web("target", EDIT, EDIT),
    "plans:target_delete": web("target", NO, EDIT_DONE),
    "plans:target_confirm": web("target", NO, EDIT_DONE),
    "plans:target_delete_confirm": web("target", EDIT, NO),
    "plans:programme_detail": web("programme", READ, NO),
    "plans:deliverable_upload": web("milestone", EDIT, EDIT),
    "plans:deliverable_download": web("deliverable", READ, NO),
    # Leaders and reviewers accept or return deliverables; the secretary who handed them in may not.
    "plans:deliverable_review": web("deliverable", NO, "L 404 403 302 302 302"),
    "plans:participant_status": web("participant", NO, "L 404 403 302 302 302"),
    # Programmes made by hand: a secretary of any committee may start one (for a committee they
    # keep); the college's secretary changes the college's. Deleting what has a deliverable (the
    # world's programme, milestone and participant) is refused with a message: still a redirect.
    "plans:programme_create": web("", LOG_ANYWHERE, LOG_ANYWHERE),
    "plans:programme_manage": web("programme", EDIT, NO),
    "plans:programme_edit": web("programme", EDIT, EDIT),
    "plans:programme_delete_confirm": web("programme", EDIT, NO),
    "plans:programme_delete": web("programme", NO, EDIT_DONE),
    "plans:phase_add": web("programme", EDIT, EDIT),
    "plans:phase_edit": web("phase", EDIT, EDIT),
    "plans:phase_delete": web("phase", NO, EDIT_DONE),
    "plans:phase_delete_confirm": web("phase", EDIT, NO),
    "plans:milestone_add": web("programme", EDIT, EDIT),
    "plans:milestone_edit": web("milestone", EDIT, EDIT),
    "plans:milestone_delete": web("milestone", NO, EDIT_DONE),
    "plans:milestone_delete_confirm": web("milestone", EDIT, NO),
    "plans:participant_add": web("programme", EDIT, EDIT),
    "plans:participant_remove": web("participant", NO, EDIT_DONE),
    "plans:participant_remove_confirm": web("participant", EDIT, NO),
    # --- assessments: rubrics (the admin builds them; everyone who can see the owner reads them)
    "assessments:index": web("", EVERYONE, NO),
    "assessments:rubric_list": web("", MANAGE_ANYWHERE, NO),
    "assessments:rubric_create": web("", MANAGE_ANYWHERE, MANAGE_ANYWHERE),
    "assessments:rubric_import": web("", MANAGE_ANYWHERE, MANAGE_ANYWHERE),
    "assessments:rubric_detail": web("rubric", READ, NO),
    "assessments:rubric_edit": web("rubric", MANAGE, MANAGE),
    "assessments:rubric_new_version": web("rubric", NO, "L 404 403 403 403 302"),
    "assessments:rubric_export": web("rubric", READ, NO),
    "assessments:dimension_create": web("rubric", MANAGE, MANAGE),
    "assessments:band_create": web("rubric", MANAGE, MANAGE),
    "assessments:dimension_edit": web("dimension", MANAGE, MANAGE),
    "assessments:dimension_delete": web("dimension", NO, "L 404 403 403 403 302"),
    "assessments:dimension_delete_confirm": web("dimension", MANAGE, NO),
    "assessments:criterion_create": web("dimension", MANAGE, MANAGE),
    "assessments:criterion_edit": web("criterion", MANAGE, MANAGE),
    "assessments:criterion_delete": web("criterion", NO, "L 404 403 403 403 302"),
    "assessments:criterion_delete_confirm": web("criterion", MANAGE, NO),
    "assessments:band_delete": web("band", NO, "L 404 403 403 403 302"),
    "assessments:band_delete_confirm": web("band", MANAGE, NO),
    # --- assessments: rounds are pages of those who run (admin) or lead (leader) them --------
    "assessments:round_list": web("", EVERYONE, NO),
    "assessments:round_create": web("", MANAGE_ANYWHERE, MANAGE_ANYWHERE),
    "assessments:round_detail": web("round", "L 404 404 200 404 200", NO),
    "assessments:round_edit": web("round", "L 404 404 403 404 200", "L 404 404 403 404 200"),
    "assessments:round_assign": web("round", "L 404 404 403 404 200", "L 404 404 403 404 200"),
    "assessments:panel_create": web("round", NO, "L 404 404 403 404 302"),
    "assessments:grouping_assign": web("round", NO, "L 404 404 403 404 302"),
    # Taking an assignment back (the world's reviewer on `reviewed`): whoever sees the evaluation but does not
    # run the round is refused; the round's admin removes it (a redirect back to the assign page).
    "assessments:assignment_remove": web("assignment", NO, "L 404 403 403 403 302"),
    "assessments:assignment_remove_confirm": web("assignment", MANAGE, NO),
    "assessments:round_results": web("round", "L 404 404 200 404 200", NO),
    "assessments:round_scores_export": web("round", "L 404 404 200 404 200", NO),
    # The 公示 list is up: everyone taking part reads it (the reviewer through their assignment).
    "assessments:round_notice": web("round", READ, NO),
    "assessments:notice_edit": web("round", "L 404 404 403 404 200", "L 404 404 403 404 200"),
    "assessments:objection_create": web("round", "L 404 404 403 404 200", "L 404 404 403 404 200"),
    "assessments:report_request": web("round", NO, "L 404 404 302 404 302"),
    "assessments:objection_resolve": web("objection", MANAGE, MANAGE),
    "assessments:report_status": web("report_job", "L 404 404 200 404 200", NO),
    "assessments:report_download": web("report_job", "L 404 404 200 404 200", NO),
    # --- assessments: `evaluation` is the college's draft (the reviewer is not assigned to it),
    # `reviewed` the station's submitted one (assigned to the reviewer).
    "assessments:evaluation_detail": web("evaluation", "L 404 200 200 404 200", NO),
    "assessments:evaluation_self": web("evaluation", "L 404 200 403 404 200", "L 404 200 403 404 200"),
    "assessments:evaluation_review": web("reviewed", "L 404 403 403 200 200", "L 404 403 403 302 302"),
    "assessments:evaluation_submit": web("evaluation", NO, "L 404 302 403 404 302"),
    "assessments:evaluation_start_review": web("reviewed", NO, "L 404 403 403 302 302"),
    "assessments:evaluation_return": web("reviewed", "L 404 403 403 200 200", "L 404 403 403 200 200"),
    "assessments:evaluation_finalise": web("reviewed", NO, "L 404 403 403 302 302"),
    # What 定稿 locks, before the POST above: the reviewer and the round's admin see it.
    "assessments:evaluation_finalise_confirm": web("reviewed", "L 404 403 403 200 200", NO),
    "assessments:evaluation_prefill": web("evaluation", NO, "L 404 302 403 404 302"),
    "assessments:evidence_add": web("evaluation score", NO, "L 404 302 403 404 302"),
    "assessments:evaluation_dossier": web("evaluation", "L 404 200 200 404 200", NO),
    "assessments:evaluation_pdf": web("evaluation", "L 404 200 200 404 200", NO),
    "assessments:evidence_download": web("evidence", "L 404 200 200 404 200", NO),
    "assessments:evidence_delete": web("evidence", NO, "L 404 302 403 404 302"),
    "assessments:evidence_delete_confirm": web("evidence", "L 404 200 403 404 200", NO),
    # --- notifications (each user's own) ------------------------------------------------------
    "notifications:index": web("", EVERYONE, NO),
    "notifications:mark_read": web("", NO, "L 302 302 302 302 302"),
    "notifications:preference": web("", NO, "L 302 302 302 302 302"),
    # --- dashboards ---------------------------------------------------------------------------
    "dashboards:index": web("", "L 302 302 302 302 302", NO),  # on to the user's top committee
    "dashboards:committee": web("college", READ, NO),
    "dashboards:chart_xlsx": web("college =months", READ, NO),
    "dashboards:workbook": web("college", READ, NO),
    "dashboards:pdf": web("college", READ, NO),
    # --- the API's pages for people ------------------------------------------------------------
    "api:index": web("", EVERYONE, NO),
    "api:token_create": web("", NO, "L 302 302 302 302 302"),
    "api:token_revoke": web("", NO, "L 302 302 302 302 302"),
    "api:docs": web("", EVERYONE, NO),
}

API: dict[str, Row] = {
    "api:schema": api("", "401 200 200 200 200 200"),
    "api:committee-list": api("", "401 200 200 200 200 200"),
    "api:committee-detail": api("college", "401 404 200 200 200 200"),
    "api:committee-children": api("college", "401 404 200 200 200 200"),
    "api:person-list": api("", "401 200 200 200 200 200"),
    "api:person-detail": api("person", "401 404 200 200 200 200"),
    "api:activity-kind-list": api("", "401 200 200 200 200 200"),
    # An empty body is refused with 400 for those who may log; readers are told "forbidden".
    "api:activity-list": api("", "401 200 200 200 200 200", post="401 400 400 403 403 400"),
    "api:activity-detail": api(
        "activity",
        "401 404 200 200 200 200",
        put="401 404 400 403 403 400",
        patch="401 404 200 403 403 200",
        delete="401 404 204 403 403 204",
    ),
    "api:plan-list": api("", "401 200 200 200 200 200"),
    "api:plan-detail": api("plan", "401 404 200 200 200 200"),
    "api:plan-progress": api("plan", "401 404 200 200 200 200"),
    "api:evaluation-list": api("", "401 200 200 200 200 200"),
    "api:evaluation-detail": api("evaluation", "401 404 200 200 404 200"),
    "api:evaluation-report": api("evaluation", "401 404 200 200 404 200"),
}


def _admin_model(
    app_model: str, obj: str, *, add: str = "200", change: str = "200 200", delete: str = "200 200", history: str = ""
) -> dict[str, Row]:
    """The pages Django's admin makes for one model; only the admin (staff) gets past its login.

    `change`/`delete` are the admin's GET and POST codes; `history` names the world attribute of a
    django-simple-history record when the model's admin shows one.
    """
    app, model = app_model.split("_", 1)
    change_get, change_post = change.split()
    delete_get, delete_post = delete.split()
    rows = {
        f"admin:{app_model}_changelist": web("", f"{STAFF} 200", f"{STAFF} 200"),
        f"admin:{app_model}_add": web("", f"{STAFF} {add}", f"{STAFF} {add}"),
        f"admin:{app_model}_change": web(obj, f"{STAFF} {change_get}", f"{STAFF} {change_post}"),
        f"admin:{app_model}_delete": web(obj, f"{STAFF} {delete_get}", f"{STAFF} {delete_post}"),
        f"admin:{app_model}_history": web(obj, f"{STAFF} 200", f"{STAFF} 200"),
        # The bare object URL is an old alias that redirects to the change page.
        f"admin/{app}/{model}/<path:object_id>/": web(
            obj, f"{STAFF} 302", f"{STAFF} 302", path=f"/admin/{app}/{model}/{{{obj}}}/"
        ),
    }
    if history:
        rows[f"admin:{app_model}_simple_history"] = web(f"{obj} {history}", f"{STAFF} 200", f"{STAFF} 200")
    return rows


ADMIN: dict[str, Row] = {
    "admin:index": web("", f"{STAFF} 200", f"{STAFF} 200"),
    # Its login form is shown to anyone not staff; the admin is sent on to the index.
    "admin:login": web("", "200 200 200 200 200 302", "200 200 200 200 200 200"),
    # Anyone not staff is sent to the admin's index (and from there to its login); the admin logs out.
    "admin:logout": web("", "302 302 302 302 302 405", "302 302 302 302 302 L"),
    "admin:password_change": web("", f"{STAFF} 200", f"{STAFF} 200"),
    "admin:password_change_done": web("", f"{STAFF} 200", f"{STAFF} 405"),
    # Without its parameters the autocomplete refuses even the admin.
    "admin:autocomplete": web("", f"{STAFF} 403", f"{STAFF} 405"),
    "admin:jsi18n": web("", f"{STAFF} 200", f"{STAFF} 405"),
    # Committees have no page of their own outside the admin to be sent to.
    "admin:view_on_site": web("committee_type college", f"{STAFF} 404", f"{STAFF} 404"),
    "admin:app_list": web("=orgs", f"{STAFF} 200", f"{STAFF} 200"),
    "admin/(?P<url>.*)$": web("", f"{STAFF} 404", f"{STAFF} 404", path="/admin/nothing-here/"),
    "admin:auth_user_password_change": web("user", f"{STAFF} 200", f"{STAFF} 200"),
    **_admin_model("orgs_committee", "college"),
    **_admin_model("orgs_person", "person"),
    **_admin_model("orgs_memberunit", "unit"),
    **_admin_model("orgs_grouping", "grouping"),
    **_admin_model("orgs_grant", "grant"),
    **_admin_model("orgs_auditevent", "audit_event", add="403", change="200 403"),  # the audit log is read-only
    **_admin_model("activities_activitykind", "kind"),
    **_admin_model("activities_activity", "activity", history="activity_history_id"),
    **_admin_model("activities_donation", "donation", history="donation_history_id"),
    **_admin_model("activities_newsreport", "news", history="news_history_id"),
    **_admin_model("assessments_rubric", "rubric"),
    **_admin_model("assessments_round", "round"),
    **_admin_model("assessments_evaluation", "evaluation", add="403", change="200 403", delete="403 403"),
    **_admin_model("assessments_reviewpanel", "panel"),
    **_admin_model("assessments_reviewassignment", "assignment"),
    **_admin_model("assessments_objection", "objection"),
    **_admin_model("auth_group", "group"),
    **_admin_model("auth_user", "user"),
    # django-axes shows its records read-only; saving one changes nothing and goes back to the list.
    **_admin_model("axes_accessattempt", "access_attempt", add="403", change="200 302"),
    **_admin_model("axes_accesslog", "access_log", add="403", change="200 302"),
    **_admin_model("axes_accessfailurelog", "access_failure", add="403", change="200 302"),
    **_admin_model("authtoken_tokenproxy", "token"),
}

MATRIX: dict[str, Row] = {**WEB, **API, **ADMIN}

# URLs deliberately left out of the matrix, as {name or route: reason}. None today: even the
# Django admin's pages and the unnamed routes (favicon, the admin's aliases) were cheap to give
# rows. Static and media files never reach the URLconf (whitenoise serves the first; nothing
# serves the second).
EXCLUDED: dict[str, str] = {}


# ---------------------------------------------------------------------------------------------
# Running a row


def _codes(text: str) -> list[str]:
    codes = text.split()
    assert len(codes) == len(PERSONAS), f"{text!r} needs one code per persona"
    return codes


def _url(name: str, row: Row, world: World) -> str:
    values = [world.value(token) for token in row.args.split()]
    if row.path:
        base = re.sub(r"\{(\w+)\}", lambda m: str(world.value(m.group(1))), row.path)
    else:
        base = reverse(name, args=values)
    return base + re.sub(r"\{(\w+)\}", lambda m: str(world.value(m.group(1))), row.query)


def _request(client: Client, method: str, url: str, *, api: bool):
    if method == "GET":
        return client.get(url)
    if api:
        return client.generic(method, url, data=json.dumps({}), content_type="application/json")
    return client.generic(method, url, data="", content_type="application/x-www-form-urlencoded")


def _got(response) -> str:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse(settings.LOGIN_URL)):
            return "L"
        if location.startswith(reverse("admin:login")):
            return "A"
    return str(response.status_code)


@dataclass
class Matrix:
    world: World
    sessions: dict[str, str]  # persona → session key (no entry for the anonymous visitor)

    def client(self, persona: str) -> Client:
        client = Client()
        if persona in self.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[persona]
        return client


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker):
    """The root conftest's tree and personas and the world, built once for the whole module.

    Everything runs inside one transaction rolled back at the end, and every request inside
    a savepoint of its own, so nothing a request does reaches the next one or another test.
    """
    from conftest import make_personas, make_tree

    with django_db_blocker.unblock(), transaction.atomic():
        tree = make_tree()
        personas = make_personas(tree)
        # The kinds the data migration makes (made again in case a transactional test flushed them).
        import_module("activities.migrations.0002_activity_kinds").create_kinds(django_apps, None)
        kinds = SimpleNamespace(**{k.code: k for k in ActivityKind.objects.all()})
        world = build_world(tree, personas, kinds)
        sessions = {}
        for persona, username in USERNAMES.items():
            if username is not None:
                client = Client()
                client.force_login(personas[username])
                sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
        yield Matrix(world, sessions)
        transaction.set_rollback(True)


def check_row(name: str, row: Row, matrix: Matrix) -> list[str]:
    url = _url(name, row, matrix.world)
    problems = []
    for position, persona in enumerate(PERSONAS):
        for method, expected_codes in row.expect.items():
            expected = _codes(expected_codes)[position]
            client = matrix.client(persona)  # a fresh one: a logout or a language cookie stays behind
            try:
                with transaction.atomic():  # every request meets the same world
                    got = _got(_request(client, method, url, api=row.api))
                    transaction.set_rollback(True)
            except Exception as exc:  # noqa: BLE001 - a crash is a 500 to report, with its cause
                got = f"500 ({type(exc).__name__}: {exc})"
            if got != expected:
                problems.append(f"{method} {url} as {persona}: expected {expected}, got {got}")
    return problems


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_status_codes(name, matrix, db):
    problems = check_row(name, MATRIX[name], matrix)
    assert not problems, f"{name}:\n" + "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# Coverage: every URL pattern has a row (or a reason to be left out)


def _patterns(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            yield from _patterns(pattern, route, f"{namespace}:{inner}" if namespace and inner else inner or namespace)
        elif isinstance(pattern, URLPattern):
            if pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name
            else:
                yield route


def test_every_url_has_a_row():
    served = set(_patterns(get_resolver()))
    missing = sorted(served - set(MATRIX) - set(EXCLUDED))
    stale = sorted((set(MATRIX) | set(EXCLUDED)) - served)
    assert not missing, "URLs without a row in the status-code matrix (add one to test_url_matrix.py):\n" + "\n".join(
        missing
    )
    assert not stale, "Rows for URLs that no longer exist:\n" + "\n".join(stale)


def test_the_coverage_check_notices_a_new_url():
    """The coverage check can fail: one more page in the URLconf is reported."""
    from django.urls import path

    import guanwei.urls

    urlconf = type(
        "URLConf", (), {"urlpatterns": [*guanwei.urls.urlpatterns, path("new/", lambda r: None, name="new")]}
    )
    assert "new" in set(_patterns(get_resolver(urlconf))) - set(MATRIX) - set(EXCLUDED)


# ---------------------------------------------------------------------------------------------
# What the matrix found


def test_a_draft_plan_keeps_its_original_file_until_its_deletion_is_committed(
    matrix, db, django_capture_on_commit_callbacks
):
    """plans:plan_source answered 500 after a rolled-back plans:plan_delete had removed the file."""
    from django.core.files.base import ContentFile

    from plans.models import Plan
    from plans.services import plan_delete

    plan = Plan.objects.create(committee=matrix.world.college, year=2022, title="2022年工作要点")
    plan.source_file.save("plan.docx", ContentFile(b"original"))
    pk, stored, storage = plan.pk, plan.source_file.name, plan.source_file.storage
    with pytest.raises(RuntimeError), transaction.atomic():
        plan_delete(plan=plan)
        raise RuntimeError("a later step of the same request fails")
    assert Plan.objects.filter(pk=pk).exists() and storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        plan_delete(plan=Plan.objects.get(pk=pk))
    assert not Plan.objects.filter(pk=pk).exists() and not storage.exists(stored)
