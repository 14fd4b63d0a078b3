"""Rubrics (考核方案), assessment rounds, evaluations and their scores.

Rubrics are versioned: once a round uses a version it is locked, and changing
it means making a new version (`services.rubric_new_version`); the round keeps
the version it started with. Totals, bonus, grade and gate outcomes on an
evaluation are written only by the services from `assessments.scoring`.

A package for size: `rubrics` (rubrics, dimensions, criteria, grade bands),
`evaluations` (rounds, evaluations, scores, their changes, events and
evidence) and `reviews` (panels, assignments, objections, report jobs). Every
name is importable from `assessments.models`, as the migrations expect
(`assessments.models.evidence_path`).
"""

from assessments.models.evaluations import (
    STATUS_TONES,
    Evaluation,
    EvaluationEvent,
    EvaluationStatus,
    Evidence,
    Round,
    Score,
    ScoreChange,
    ScoreSide,
    evidence_path,
)
from assessments.models.reviews import Objection, ReportJob, ReportJobStatus, ReviewAssignment, ReviewPanel
from assessments.models.rubrics import (
    POINTS,
    VALUE,
    BandTone,
    Criterion,
    CriterionKind,
    Dimension,
    GradeBand,
    Rubric,
    ScoreStep,
)

__all__ = [
    "POINTS",
    "STATUS_TONES",
    "VALUE",
    "BandTone",
    "Criterion",
    "CriterionKind",
    "Dimension",
    "Evaluation",
    "EvaluationEvent",
    "EvaluationStatus",
    "Evidence",
    "GradeBand",
    "Objection",
    "ReportJob",
    "ReportJobStatus",
    "ReviewAssignment",
    "ReviewPanel",
    "Round",
    "Rubric",
    "Score",
    "ScoreChange",
    "ScoreSide",
    "ScoreStep",
    "evidence_path",
]
