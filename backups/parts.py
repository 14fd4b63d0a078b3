"""What a subtree backup holds, in load order, and how a model's rows are written (see `backups`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q, QuerySet

from activities.models import Activity, ActivityKind, ActivityPhoto, Donation, NewsPhoto, NewsReport
from assessments.models import (
    Criterion,
    Dimension,
    Evaluation,
    EvaluationEvent,
    Evidence,
    GradeBand,
    Objection,
    ReviewAssignment,
    ReviewPanel,
    Round,
    Rubric,
    Score,
    ScoreChange,
)
from orgs import tree
from orgs.models import Committee, Grant, Grouping, Membership, MemberUnit, Person
from plans.models import (
    Deliverable,
    Milestone,
    Phase,
    Plan,
    PlanSection,
    Programme,
    ProgrammeParticipant,
    Target,
    WorkPoint,
)

FORMAT = "guanwei-subtree-backup"
VERSION = 1
TREE_FIELDS = set(Committee._TREE_FIELDS)  # recomputed where the backup is loaded
USER_FIELDS = ("username", "first_name", "last_name", "email", "is_active")


class BackupError(Exception):
    """A backup that cannot be written or loaded; the message says why."""


@dataclass
class Selection:
    """The subtree being exported and the ids written so far, per model."""

    root: Committee
    ids: dict[type, set[int]] = field(default_factory=dict)

    def q(self, prefix: str = "") -> Q:
        return tree.subtree_q(self.root, prefix.removesuffix("__"))

    def of(self, model: type) -> set[int]:
        return self.ids.get(model, set())


Select = Callable[[Selection], QuerySet]


def _in_subtree(model: type, prefix: str, manager: str = "_base_manager") -> Select:
    return lambda s: getattr(model, manager).filter(s.q(prefix))


def _child_of(model: type, link: str, parent: type) -> Select:
    return lambda s: model._base_manager.filter(**{f"{link}__in": s.of(parent)})


PARTS: list[tuple[type, Select]] = [
    (Committee, lambda s: Committee.objects.filter(s.q("")).order_by("path")),
    (Person, _in_subtree(Person, "committee__")),
    (Membership, _in_subtree(Membership, "committee__")),
    (MemberUnit, _in_subtree(MemberUnit, "committee__")),
    (Grouping, _in_subtree(Grouping, "lead__")),
    (Grant, _in_subtree(Grant, "committee__")),
    (ActivityKind, lambda s: ActivityKind.objects.all()),
    (Plan, _in_subtree(Plan, "committee__")),
    (PlanSection, _child_of(PlanSection, "plan", Plan)),
    (WorkPoint, _child_of(WorkPoint, "section", PlanSection)),
    (Target, _child_of(Target, "work_point", WorkPoint)),
    (Programme, _in_subtree(Programme, "committee__")),
    (Phase, _child_of(Phase, "programme", Programme)),
    (Milestone, _child_of(Milestone, "programme", Programme)),
    (ProgrammeParticipant, _child_of(ProgrammeParticipant, "programme", Programme)),
    (Deliverable, _child_of(Deliverable, "milestone", Milestone)),
    (Activity, _in_subtree(Activity, "committee__")),  # the base manager: soft-deleted ones too
    (ActivityPhoto, _child_of(ActivityPhoto, "activity", Activity)),
    (Donation, _in_subtree(Donation, "committee__")),
    (NewsReport, _in_subtree(NewsReport, "committee__")),
    (NewsPhoto, _child_of(NewsPhoto, "report", NewsReport)),
    (Rubric, lambda s: Rubric.objects.filter(s.q("owner__") | s.q("rounds__committee__")).distinct()),
    (Dimension, _child_of(Dimension, "rubric", Rubric)),
    (Criterion, _child_of(Criterion, "dimension", Dimension)),
    (GradeBand, _child_of(GradeBand, "rubric", Rubric)),
    (Round, _in_subtree(Round, "committee__")),
    (Evaluation, _child_of(Evaluation, "round", Round)),
    (Score, _child_of(Score, "evaluation", Evaluation)),
    (ScoreChange, _child_of(ScoreChange, "score", Score)),
    (EvaluationEvent, _child_of(EvaluationEvent, "evaluation", Evaluation)),
    (Evidence, _child_of(Evidence, "score", Score)),
    (ReviewPanel, _child_of(ReviewPanel, "round", Round)),
    (ReviewAssignment, _child_of(ReviewAssignment, "evaluation", Evaluation)),
    (Objection, _child_of(Objection, "round", Round)),
]


def label_of(model: type) -> str:
    return model._meta.label_lower


def data_fields(model: type) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and not (model is Committee and f.name in TREE_FIELDS)
    ]


def m2m_fields(model: type) -> list[models.Field]:
    """Plain many-to-many fields; those with their own through model travel as that model's rows."""
    return [f for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]
