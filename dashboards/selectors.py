"""Reads for dashboards and the home page. Every committee comes through `orgs.scoping`.

Numbers come from the metrics app: `metrics.snapshots.figures_of` serves each
figure from its snapshot when the committee is clean and the snapshot exists,
and otherwise asks the engine; either way the number equals the engine's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest

from metrics.engine import evaluate_many
from metrics.periods import Period
from metrics.snapshots import snapshot_stamps
from orgs import tree
from orgs.models import Committee, Grant, GrantRole
from orgs.scoping import ROLE_PERMS, Perm, committees_for, get_in_scope, is_system_admin, scope_ranges, scope_roots

# --- committees --------------------------------------------------------------


def dashboard_committee(user: Any, pk: int, request: HttpRequest | None = None) -> Committee:
    """A committee the user can see (404 outside scope, audited)."""
    return get_in_scope(user, Committee.objects.all(), perm=Perm.VIEW, via="", request=request, pk=pk)


def top_committee(user: Any) -> Committee | None:
    return scope_roots(user).order_by("path").first()


def sub_committees(user: Any, committee: Committee) -> list[Committee]:
    return list(committees_for(user).filter(parent=committee).order_by("code"))


def all_sub_committees(committee: Committee) -> list[Committee]:
    """Every direct sub-committee, for sharing out a target; callers show only what the user may see."""
    from plans.selectors import sub_committees as plan_sub_committees

    return plan_sub_committees(committee)


def secretary_committees(user: Any) -> list[Committee]:
    """Committees the user keeps as secretary (a secretary grant on the committee itself)."""
    if not user.is_authenticated:
        return []
    return list(Committee.objects.filter(grants__user=user, grants__role=GrantRole.SECRETARY).order_by("path"))


def led_committees(user: Any) -> list[Committee]:
    """Committees the user oversees without keeping their records: may view and approve, not edit.

    Only committees with sub-committees (a leader's first question is which of them
    is behind), outermost first. A reviewer's grant is not a leader's: it approves nothing.
    """
    if not user.is_authenticated or is_system_admin(user):
        return []
    ranges = scope_ranges(user)
    editable = [r.path for r in ranges if Perm.EDIT in ROLE_PERMS.get(r.role, frozenset())]
    leading = [r for r in ranges if Perm.APPROVE in ROLE_PERMS.get(r.role, frozenset())]
    outer = set(tree.outermost(r.path for r in leading))
    ids = {
        r.committee_id for r in leading if r.path in outer and not any(tree.contains(path, r.path) for path in editable)
    }
    if not ids:
        return []
    with_children = Committee.objects.filter(parent_id__in=ids).values("parent_id")
    return list(Committee.objects.filter(pk__in=ids).filter(pk__in=with_children).order_by("path"))


def holds_reviewer_grant(user: Any) -> bool:
    """Whether the user was made a reviewer somewhere (a system admin is not one by being admin)."""
    return any(r.role == GrantRole.REVIEWER for r in scope_ranges(user))


def sees_beyond_reviews(user: Any) -> bool:
    """Whether the user sees records through a grant other than a reviewer's (or is a system admin).

    A reviewer's grant over a province is for scoring what is assigned, not for reading
    every committee's log: the home page shows such a user no activity list.
    """
    if is_system_admin(user):
        return True
    return any(r.role != GrantRole.REVIEWER for r in scope_ranges(user))


def secretaries_by_committee(committee_ids: list[int] | None = None) -> dict[int, list[Any]]:
    """Active users with a secretary grant on each committee (not inherited from above)."""
    grants = Grant.objects.filter(role=GrantRole.SECRETARY, user__is_active=True).select_related("user")
    if committee_ids is not None:
        grants = grants.filter(committee_id__in=committee_ids)
    out: dict[int, list[Any]] = {}
    for grant in grants.order_by("committee_id", "user_id"):
        out.setdefault(grant.committee_id, []).append(grant.user)
    return out


# --- numbers -----------------------------------------------------------------


# A big subtree's dashboard (see `metrics.snapshots.Figures`) is rendered at most once a minute per user;
# a recompute of its snapshots or a new change below renders it afresh at once.
BOARD_CACHE_SECONDS = 60


def board_cache_key(user: Any, committee: Committee, year: int, today: date) -> str | None:
    """The cache key of a big subtree's dashboard for this user, or None to render it every time.

    The key changes whenever the committee's snapshots are recomputed or a change
    below marks it dirty, so cached figures are never older than the snapshots
    the page would read; what is not counted (round status, milestones) may lag
    by up to `BOARD_CACHE_SECONDS`.
    """
    from django.utils.translation import get_language

    if not tree.subtree_exceeds(committee, settings.GUANWEI_LIVE_SUBTREE_LIMIT):
        return None
    computed, marked = snapshot_stamps(committee)
    return f"{user.pk}:{committee.pk}:{year}:{today}:{get_language()}:{_stamp(computed)}:{_stamp(marked)}"


def _stamp(moment: datetime | None) -> float:
    return moment.timestamp() if moment else 0.0


def activity_kinds() -> list[tuple[str, str]]:
    """(code, name) of every activity kind, in the order forms show them."""
    from activities.models import ActivityKind

    return list(ActivityKind.objects.order_by("sort_order", "id").values_list("code", "name"))


# --- plans, programmes, assessments --------------------------------------------


def dashboard_plans(user: Any, committee: Committee, year: int) -> list[Any]:
    """Published plans of the year: the committee's own and its parent's (which it is measured by)."""
    from plans.models import PlanStatus
    from plans.selectors import plans_for

    owners = [committee.pk] + ([committee.parent_id] if committee.parent_id else [])
    return list(
        plans_for(user)
        .filter(year=year, status=PlanStatus.PUBLISHED, committee_id__in=owners)
        .order_by("-committee__depth", "id")
    )


def plan_years(user: Any, committee: Committee) -> list[int]:
    """Years with a published plan that this dashboard measures (the committee's own or its parent's)."""
    from plans.models import PlanStatus
    from plans.selectors import plans_for

    owners = [committee.pk] + ([committee.parent_id] if committee.parent_id else [])
    return sorted(
        set(plans_for(user).filter(status=PlanStatus.PUBLISHED, committee_id__in=owners).values_list("year", flat=True))
    )


def plan_targets(user: Any, plan: Any) -> list[Any]:
    """Measured targets of the points the user may see, with what `plans.progress` needs."""
    from plans.models import Target
    from plans.selectors import visible_points

    return list(
        Target.objects.filter(work_point__in=visible_points(user, plan))
        .exclude(metric="")
        .select_related("work_point__section")
        .prefetch_related("work_point__assigned_committees")
        .order_by("work_point__section__position", "work_point__position", "position", "id")
    )


def upcoming_milestones(user: Any, committee: Committee, today: date, *, days: int | None = None, limit: int = 6):
    """Next milestones of programmes run by the committee or above it, or joined by its subtree."""
    return upcoming_milestones_by_committee(user, [committee], today, days=days, limit=limit)[committee.pk]


def upcoming_milestones_by_committee(
    user: Any, committees: list[Committee], today: date, *, days: int | None = None, limit: int = 6
) -> dict[int, list[Any]]:
    """`upcoming_milestones` of each committee (within `days`, if given), in two queries however many committees."""
    from plans.models import Milestone, ProgrammeParticipant
    from plans.selectors import programmes_for

    if not committees:
        return {}
    above = tree.ancestors_of_any_q(committees, "committee", include_self=True)
    inside = tree.subtrees_q(committees, "committee")
    joined = ProgrammeParticipant.objects.filter(inside)
    programmes = programmes_for(user).filter(above | Q(pk__in=joined.values("programme_id"))).values("pk")
    ahead = Milestone.objects.filter(programme__in=programmes, due_on__gte=today)
    if days is not None:
        ahead = ahead.filter(due_on__lte=today + timedelta(days=days))
    milestones = list(ahead.select_related("programme", "programme__committee", "phase").order_by("due_on", "id"))
    taking_part: dict[int, list[str]] = {}
    rows = joined.filter(programme_id__in={m.programme_id for m in milestones}).values_list(
        "programme_id", "committee__path"
    )
    for programme_id, path in rows:
        taking_part.setdefault(programme_id, []).append(path)

    def concerns(c: Committee, milestone: Any) -> bool:
        if tree.contains(milestone.programme.committee, c):
            return True
        return any(tree.contains(c, path) for path in taking_part.get(milestone.programme_id, []))

    return {c.pk: [m for m in milestones if concerns(c, m)][:limit] for c in committees}


def current_round(committee: Committee, year: int) -> Any:
    """The latest assessment round of the year with evaluations in the committee's subtree."""
    from assessments.models import Round

    in_subtree = tree.subtree_q(committee, "evaluations__committee")
    ids = Round.objects.filter(in_subtree, year=year).values("pk")
    return (
        Round.objects.filter(pk__in=ids).select_related("rubric", "committee").order_by("-self_deadline", "-id").first()
    )


ROUND_STAGES = ("not_started", "self_assessing", "submitted", "finalised")


def stage_of(evaluation: Any, *, scored_by_hand: bool) -> str:
    """not started / self-assessing / submitted / finalised, as a leader reads a round.

    Scores pre-filled from activity data are the system's work, not the committee's:
    a draft counts as "self-assessing" once somebody scored or noted something by hand.
    """
    from assessments.models import EvaluationStatus as S

    if evaluation.status == S.FINALISED:
        return "finalised"
    if evaluation.status in (S.SUBMITTED, S.UNDER_REVIEW):
        return "submitted"
    if evaluation.status == S.RETURNED or scored_by_hand:
        return "self_assessing"
    return "not_started"


def scored_by_hand(evaluation_ids: list[int]) -> set[int]:
    """Evaluations with a self-score or note somebody gave (not only the data's pre-fill), in one query."""
    from assessments.models import Score

    hand = Q(self_points__isnull=False) & (Q(metric_points__isnull=True) | ~Q(self_points=F("metric_points")))
    return set(
        Score.objects.filter(hand | ~Q(self_comment=""), evaluation_id__in=evaluation_ids)
        .values_list("evaluation_id", flat=True)
        .distinct()
    )


def evaluations_to_fill(user: Any) -> QuerySet:
    from assessments.selectors import evaluations_to_fill as to_fill

    return to_fill(user).order_by("round__self_deadline", "committee__code")


def reviews_waiting(user: Any) -> QuerySet:
    """Evaluations assigned to the user (directly or through a panel) that wait for their scores.

    Submitted or under review: not yet returned or finalised. Soonest review deadline first.
    """
    from assessments.models import EvaluationStatus
    from assessments.selectors import evaluations_to_review

    return (
        evaluations_to_review(user)
        .filter(status__in=[EvaluationStatus.SUBMITTED, EvaluationStatus.UNDER_REVIEW])
        .order_by("round__review_deadline", "round_id", "committee__path")
    )


def recent_activities(user: Any, limit: int = 5) -> list[Any]:
    from activities.selectors import activity_list

    return list(activity_list(user).order_by("-created_at", "-id")[:limit])


# --- semester rules (news reports and meetings) ----------------------------------

DEFAULT_NEWS_PER_SEMESTER = 2  # seed 002: 每学期至少……两篇附有照片的动态信息报道
DEFAULT_MEETINGS_PER_SEMESTER = 1  # seed 002: 每学期都有一次关工分委全委会议
MEETING_KIND = "meeting"


@dataclass
class Rule:
    required: Decimal
    params: dict
    subtree: bool
    from_plan: bool
    done: Decimal = Decimal(0)

    @property
    def short(self) -> Decimal:
        return max(self.required - self.done, Decimal(0))


@dataclass
class SemesterStanding:
    committee: Committee
    period: Period
    news: Rule
    meetings: Rule

    @property
    def behind(self) -> bool:
        return bool(self.news.short or self.meetings.short)


def _semester_targets(committee_ids: list[int], year: int) -> dict[tuple[int, str], Any]:
    """The newest published semester targets for news and meetings, per committee."""
    from plans.models import PeriodKind, PlanStatus, Target

    rows = (
        Target.objects.filter(
            work_point__section__plan__committee_id__in=committee_ids,
            work_point__section__plan__status=PlanStatus.PUBLISHED,
            work_point__section__plan__year__lte=year,
            period_kind=PeriodKind.SEMESTER,
            metric__in=["news_with_photos", "activity_count"],
            comparator=">=",
        )
        .select_related("work_point__section__plan")
        .order_by("-work_point__section__plan__year", "id")
    )
    found: dict[tuple[int, str], Any] = {}
    for target in rows:
        committee_id = target.work_point.section.plan.committee_id
        if target.metric == "news_with_photos":
            found.setdefault((committee_id, "news"), target)
        elif (target.params or {}).get("kinds") == [MEETING_KIND]:
            found.setdefault((committee_id, "meetings"), target)
    return found


def semester_standings(committees: list[Committee], today: date) -> list[SemesterStanding]:
    """This semester's news reports with photos and meetings against what each committee must do.

    The numbers required come from the committee's published semester targets
    when it has them, else the seed defaults (2 news reports, 1 meeting).
    Counts come from `metrics.engine`; without a target they count the
    committee's own records (a 全委会 of a sub-committee is not the committee's).
    """
    if not committees:
        return []
    period = Period.semester_of(today)
    targets = _semester_targets([c.pk for c in committees], today.year)
    standings = []
    for c in committees:
        rules = {}
        for name, default, params in (
            ("news", DEFAULT_NEWS_PER_SEMESTER, {}),
            ("meetings", DEFAULT_MEETINGS_PER_SEMESTER, {"kinds": [MEETING_KIND]}),
        ):
            target = targets.get((c.pk, name))
            if target is not None:
                # "2.0000" from the database reads "2" on the page and in reminders
                required = Decimal(f"{Decimal(target.value).normalize():f}")
                rules[name] = Rule(required, target.params or {}, target.subtree, True)
            else:
                rules[name] = Rule(Decimal(default), params, False, False)
        standings.append(SemesterStanding(c, period, rules["news"], rules["meetings"]))
    # One engine call per distinct (metric, params, subtree): usually two in all.
    groups: dict[tuple, list[tuple[SemesterStanding, Rule]]] = {}
    for s in standings:
        for metric, rule in (("news_with_photos", s.news), ("activity_count", s.meetings)):
            key = (metric, repr(sorted(rule.params.items())), rule.subtree)
            groups.setdefault(key, []).append((s, rule))
    for (metric, _, subtree), members in groups.items():
        params = members[0][1].params
        ids = [s.committee.pk for s, _ in members]
        results = evaluate_many(metric, committees=ids, period=period, params=params, subtree=subtree)
        for s, rule in members:
            rule.done = results[s.committee.pk].value
    return standings
