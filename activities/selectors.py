"""Reads of activities, donations and news reports, always starting from the user's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from activities.models import Activity, ActivityKind, ActivityPhoto, Donation, NewsPhoto, NewsReport
from orgs.models import Committee, Person
from orgs.scoping import Perm, committees_for, scoped


def activity_kinds(*, include: ActivityKind | None = None) -> QuerySet[ActivityKind]:
    """Kinds offered on forms: the active ones, plus the one a record already has."""
    q = Q(is_active=True)
    if include is not None:
        q |= Q(pk=include.pk)
    return ActivityKind.objects.filter(q)


def activities_for(user: Any, perm: Perm = Perm.VIEW) -> QuerySet[Activity]:
    return scoped(user, Activity.objects.all(), perm)


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
    entries = []
    previous = None
    for record in records:
        changed: list[str] = []
        if previous is not None:
            delta = record.diff_against(previous)
            changed = [str(labels.get(c.field, c.field)) for c in delta.changes if c.field != "updated_by"]
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
    return scoped(user, Person.objects.select_related("committee")).order_by("committee__lft", "name", "id")


def editable_committees(user: Any) -> QuerySet[Committee]:
    return committees_for(user, Perm.EDIT).order_by("tree_id", "lft")


def visible_committees(user: Any) -> QuerySet[Committee]:
    return committees_for(user).order_by("tree_id", "lft")


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


def work_points_for(committee: Committee, year: int) -> QuerySet[Any]:
    """Work points an activity of this committee may serve: its own plan, or a published plan above it."""
    from plans.models import PlanStatus, WorkPoint

    ancestors = committee.get_ancestors()
    return (
        WorkPoint.objects.filter(section__plan__year=year)
        .filter(
            Q(section__plan__committee=committee)
            | Q(section__plan__committee__in=ancestors, section__plan__status=PlanStatus.PUBLISHED)
        )
        .select_related("section__plan")
        .order_by("section__plan__committee__lft", "section__position", "position", "id")
    )


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
    return donations_for(user).select_related("committee", "donor_person").order_by("-donated_on", "-id")


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
