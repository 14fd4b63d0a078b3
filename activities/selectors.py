"""Reads of activities, donations and news reports, always starting from the user's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Expression,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from activities.models import Activity, ActivityKind, ActivityPhoto, Donation, NewsPhoto, NewsReport
from orgs import tree
from orgs.models import Committee, Person
from orgs.scoping import Perm, committees_for, is_system_admin, scope_ranges, scoped


def activity_kinds(*, include: ActivityKind | None = None) -> QuerySet[ActivityKind]:
    """Kinds offered on forms: the active ones, plus the one a record already has."""
    q = Q(is_active=True)
    if include is not None:
        q |= Q(pk=include.pk)
    return ActivityKind.objects.filter(q)


def activities_for(user: Any, perm: Perm = Perm.VIEW) -> QuerySet[Activity]:
    return scoped(user, Activity.objects.all(), perm)


# Up to this many committees, a list hands PostgreSQL the committees' ids as one array (see CommitteeIn).
# Above it (a whole province) the join reads better: an array of 100,000 ids is slower than the join.
ID_ARRAY_LIMIT = 5000


class CommitteeIn(Expression):
    """`committee_id IN (SELECT id ...)`, written `committee_id = ANY(ARRAY(SELECT id ...))` on PostgreSQL.

    The planner runs the array subquery once, first, on the path index, then reads the records by
    their committee index. Given the join or the IN instead, it scans all 100,000 committees in parallel:
    on the district list that made the count 30-50 ms instead of 6 ms.
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, committees: QuerySet[Committee], field: str = "committee_id") -> None:
        super().__init__()
        self.column, self.ids = F(field), Subquery(committees.order_by().values("pk"))

    def get_source_expressions(self) -> list:
        return [self.column, self.ids]

    def set_source_expressions(self, exprs: list) -> None:
        self.column, self.ids = exprs

    def as_sql(self, compiler: Any, connection: Any, template: str = "%s IN %s") -> tuple[str, list]:
        field_sql, field_params = compiler.compile(self.column)
        ids_sql, ids_params = compiler.compile(self.ids)
        return template % (field_sql, ids_sql), [*field_params, *ids_params]

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list]:
        return self.as_sql(compiler, connection, template="%s = ANY(ARRAY%s)")


def in_subtree(queryset: QuerySet, committee: Committee) -> QuerySet:
    """Records of the committee and everything below it."""
    if not tree.subtree_exceeds(committee, ID_ARRAY_LIMIT):
        return queryset.filter(CommitteeIn(Committee.objects.filter(tree.subtree_q(committee, ""))))
    return queryset.filter(tree.subtree_q(committee, "committee"))


def _listed_in_scope(user: Any, queryset: QuerySet) -> QuerySet:
    """`scoped(user, queryset)` for a list page, with the committees as an array when the scope is small."""
    if is_system_admin(user) or not scope_ranges(user):
        return scoped(user, queryset)
    committees = committees_for(user)
    if tree.more_than(committees, ID_ARRAY_LIMIT):
        return scoped(user, queryset)
    return queryset.filter(CommitteeIn(committees))


def _count_of(queryset: QuerySet, link: str) -> Coalesce:
    """A correlated COUNT subquery: no join fan-out, unlike two Count() annotations."""
    counted = queryset.filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def activity_list(user: Any) -> QuerySet[Activity]:
    """The list page: everything a row shows, in a fixed number of queries."""
    return (
        activities_for(user)
        .select_related("committee", "kind", "created_by")
        .annotate(
            photo_count=_count_of(ActivityPhoto.objects.all(), "activity"),
            participant_count=_count_of(Activity.participants.through.objects.all(), "activity"),
        )
        .order_by("-held_on", "-created_at", "-id")
    )


# What a row of the list page shows; the rest (summary, who logged it) stays in the database.
LIST_ROW_FIELDS = (
    "id",
    "held_on",
    "created_at",
    "title",
    "place",
    "youth_reached",
    "committee",
    "committee__name",
    "committee__short_name",
    "kind",
    "kind__name",
)


LIST_ORDER = ("-held_on", "-created_at", "-id")


def activity_list_order(user: Any) -> QuerySet[Activity]:
    """What the list page filters, counts and pages: the activities in scope, newest first, nothing joined."""
    return _listed_in_scope(user, Activity.objects.all()).order_by(*LIST_ORDER)


def activity_list_rows(ids: QuerySet) -> QuerySet[Activity]:
    """The rows of one page, given its ids (a sliced `values("pk")` of `activity_list_order`, so in scope).

    Choosing the page's 25 ids first sorts narrow rows; sorting all 15,000 activities of a district with
    their committee and kind joined took three times as long. Fixed number of queries: one.
    """
    return (
        Activity.objects.filter(pk__in=ids)
        .select_related("committee", "kind")
        .only(*LIST_ROW_FIELDS)
        .annotate(
            photo_count=_count_of(ActivityPhoto.objects.all(), "activity"),
            participant_count=_count_of(Activity.participants.through.objects.all(), "activity"),
        )
        .order_by(*LIST_ORDER)
    )


def activity_export(user: Any) -> QuerySet[Activity]:
    return (
        activities_for(user)
        .select_related("committee", "kind")
        .prefetch_related("participants")
        .order_by("-held_on", "-id")
    )


def activity_detail(user: Any) -> QuerySet[Activity]:
    return activities_for(user).select_related("committee", "kind", "work_point", "created_by", "updated_by")


def deleted_activities(user: Any) -> QuerySet[Activity]:
    """Soft-deleted activities an administrator may restore."""
    return (
        scoped(user, Activity.all_objects.filter(deleted_at__isnull=False), Perm.MANAGE)
        .select_related("committee", "kind", "deleted_by")
        .order_by("-deleted_at", "-id")
    )


def activity_history(activity: Activity) -> list[dict[str, Any]]:
    """Who changed what and when, newest first, with the names of the changed fields."""
    records = list(activity.history.select_related("history_user").order_by("history_date", "history_id"))
    labels = {f.name: f.verbose_name for f in Activity._meta.get_fields() if hasattr(f, "verbose_name")}
    # The participants of every version in one query (diff_against would ask twice per version).
    participants: dict[int, set[int]] = {r.pk: set() for r in records}
    if records:
        through = records[0].participants.model
        for history_id, person_id in through.objects.filter(history__in=records).values_list("history_id", "person_id"):
            participants[history_id].add(person_id)
    entries = []
    previous = None
    for record in records:
        changed: list[str] = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=["participants"])
            changed = [str(labels.get(c.field, c.field)) for c in delta.changes if c.field != "updated_by"]
            if participants[record.pk] != participants[previous.pk]:
                changed.append(str(labels["participants"]))
            if record.deleted_at and not previous.deleted_at:
                action = "deleted"
            elif previous.deleted_at and not record.deleted_at:
                action = "restored"
            else:
                action = "changed"
        else:
            action = "created"
        if action != "changed" or changed:
            entries.append({"record": record, "action": action, "changed": changed})
        previous = record
    entries.reverse()
    return entries


def people_of(committee: Committee) -> QuerySet[Person]:
    """The committee's own registry, 五老 first."""
    return (
        Person.objects.filter(committee=committee)
        .annotate(not_wulao=Case(When(wulao_category="", then=Value(1)), default=Value(0), output_field=IntegerField()))
        .order_by("not_wulao", "name", "id")
    )


def people_for(user: Any) -> QuerySet[Person]:
    return scoped(user, Person.objects.select_related("committee")).order_by("committee__path", "name", "id")


def _suggestion_rank(exact: Q, prefix: Q) -> Case:
    return Case(When(exact, then=Value(0)), When(prefix, then=Value(1)), default=Value(2), output_field=IntegerField())


def committee_suggestions(user: Any, text: str, limit: int) -> QuerySet[Committee]:
    """Committees in scope whose name has the text or whose code starts with it: exact, then prefix matches first."""
    text = text.strip()
    if not text:
        return Committee.objects.none()
    return (
        committees_for(user)
        .filter(Q(name__icontains=text) | Q(short_name__icontains=text) | Q(code__istartswith=text))
        .alias(
            rank=_suggestion_rank(
                Q(code__iexact=text) | Q(name=text) | Q(short_name=text),
                Q(name__startswith=text) | Q(short_name__startswith=text),
            )
        )
        .only("id", "name", "short_name", "code")
        .order_by("rank", "path")[:limit]
    )


def person_suggestions(user: Any, text: str, limit: int) -> QuerySet[Person]:
    """People in scope whose name has the text, with their committee's name: exact, then prefix matches first."""
    text = text.strip()
    if not text:
        return Person.objects.none()
    return (
        scoped(user, Person.objects.filter(name__icontains=text))
        .select_related("committee")
        .alias(rank=_suggestion_rank(Q(name=text), Q(name__startswith=text)))
        .only("id", "name", "committee__name", "committee__short_name")
        .order_by("rank", "committee__path", "name", "id")[:limit]
    )


def editable_committees(user: Any) -> QuerySet[Committee]:
    return committees_for(user, Perm.EDIT).order_by("path")


def visible_committees(user: Any) -> QuerySet[Committee]:
    return committees_for(user).order_by("path")


def home_committee(user: Any) -> Committee | None:
    """Where a new record goes by default: the top committee the user may edit."""
    return editable_committees(user).first()


def last_entry_of(user: Any) -> Activity | None:
    """The user's latest activity, whose kind and place the entry form offers again."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        activities_for(user, Perm.EDIT)
        .filter(created_by=user)
        .select_related("kind")
        .order_by("-created_at", "-id")
        .first()
    )


def work_points_for(user: Any, committee: Committee, year: int) -> QuerySet[Any]:
    """Work points an activity of this committee may serve: its own plan, or a published plan above it.

    Only those the user sees on the plan pages (plans.selectors.points_for): a college's secretary
    is not offered the university's own points of the university's plan.
    """
    from plans.models import PlanStatus
    from plans.selectors import points_for

    ancestors = Committee.objects.filter(tree.ancestors_q(committee, ""))
    return (
        points_for(user)
        .filter(section__plan__year=year)
        .filter(
            Q(section__plan__committee=committee)
            | Q(section__plan__committee__in=ancestors, section__plan__status=PlanStatus.PUBLISHED)
        )
        .select_related("section__plan")
        .order_by("section__plan__committee__path", "section__position", "position", "id")
    )


def shown_work_point(user: Any, activity: Activity) -> Any:
    """The activity's work point if the user sees it on the plan pages, else None (its title stays hidden)."""
    from plans.selectors import points_for

    if activity.work_point_id is None:
        return None
    return points_for(user).filter(pk=activity.work_point_id).first()


def photos_for(user: Any) -> QuerySet[ActivityPhoto]:
    """Photos of live activities in scope."""
    return scoped(
        user,
        ActivityPhoto.objects.filter(activity__deleted_at__isnull=True).select_related("activity"),
        via="activity__committee",
    )


def donations_for(user: Any, perm: Perm = Perm.VIEW) -> QuerySet[Donation]:
    return scoped(user, Donation.objects.all(), perm)


def donation_list(user: Any) -> QuerySet[Donation]:
    return donations_for(user).select_related("committee").order_by("-donated_on", "-id")


def news_for(user: Any, perm: Perm = Perm.VIEW) -> QuerySet[NewsReport]:
    return scoped(user, NewsReport.objects.all(), perm)


def news_list(user: Any) -> QuerySet[NewsReport]:
    return (
        news_for(user)
        .select_related("committee")
        .annotate(photo_count=_count_of(NewsPhoto.objects.all(), "report"))
        .order_by("-published_on", "-id")
    )


def news_photos_for(user: Any) -> QuerySet[NewsPhoto]:
    return scoped(user, NewsPhoto.objects.select_related("report"), via="report__committee")
