"""The generator's province plan with targets, and a 五好 rubric with a finished round.

These rows have rules of their own, so they go through the apps' services,
exactly as the app would write them. A part of `bench.seed.ProvinceSeeder`,
kept apart for size.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from bench.dataset import Dataset, SeedOptions
from bench.shape import Tree

TARGET_SUBJECTS = 1_000  # the province plan's point is assigned to this many towns


class ServiceRows:
    """The province plan (published, its targets assigned to towns) and a finished round in one district."""

    options: SeedOptions
    rng: random.Random
    today: date
    dataset: Dataset
    tree: Tree
    committee_ids: list[int]
    admin_id: int
    district: int

    # -- plan, rubric and round through the apps' services

    def _plan(self) -> None:
        from orgs.models import Committee
        from plans import services
        from plans.models import OwnerKind, Plan, PlanSection, TargetScope, WorkPoint

        admin = get_user_model().objects.get(pk=self.admin_id)
        root = Committee.objects.get(pk=self.committee_ids[0])
        year = self.today.year  # this year's plan: the leader's dashboard shows its targets
        plan = Plan.objects.create(
            committee=root,
            year=year,
            title=f"江苏省关工委{year}年工作要点",
            doc_number=f"苏关工〔{year}〕1号",
            issuer="江苏省关心下一代工作委员会",
            created_by=admin,
        )
        section = PlanSection.objects.create(plan=plan, position=0, number="一", title="加强基层组织建设")
        stations = WorkPoint.objects.create(
            section=section,
            position=0,
            number="1",
            title="校外辅导站常态化开展活动",
            text="各镇（街道）关工委指导辖区校外辅导站全年开展活动不少于24次。",
        )
        towns = self.tree.indices_of("town")
        chosen = sorted(self.rng.sample(towns, min(TARGET_SUBJECTS, len(towns))))
        services.work_point_assign(
            point=stations,
            owner_kind=OwnerKind.ASSIGNED,
            committees=list(Committee.objects.filter(pk__in=[self.committee_ids[t] for t in chosen])),
            by=admin,
        )
        target = services.target_create(
            work_point=stations,
            text="校外辅导站全年活动不少于24次",
            metric="activity_count",
            params={"kinds": ["station_activity"]},
            comparator=">=",
            value=Decimal(24),
            unit="次",
            scope=TargetScope.EACH_SUBCOMMITTEE,
            by=admin,
        )
        lectures = WorkPoint.objects.create(
            section=section,
            position=1,
            number="2",
            title="宣讲活动",
            text="各市、各高校关工委全年组织宣讲会不少于25场。",
            owner_kind=OwnerKind.EACH_SUBCOMMITTEE,
        )
        services.target_create(
            work_point=lectures,
            text="全年宣讲会不少于25场",
            metric="activity_count",
            params={"kinds": ["lecture", "report"]},
            comparator=">=",
            value=Decimal(25),
            unit="场",
            scope=TargetScope.EACH_SUBCOMMITTEE,
            by=admin,
        )
        services.plan_publish(plan=plan, by=admin)
        self.dataset.ids.update(plan=plan.pk, target=target.pk, target_subjects=len(chosen))

    def _round(self) -> None:
        from assessments import services
        from assessments.models import CriterionKind
        from assessments.services import Entry
        from demo.assessments import WUHAO, WUHAO_NAME
        from orgs.models import Committee

        rng = self.rng
        admin = get_user_model().objects.get(pk=self.admin_id)
        district = Committee.objects.get(pk=self.committee_ids[self.district])
        rubric = services.rubric_create(
            owner=district, name=WUHAO_NAME, score_step="0.5", bonus_cap=Decimal(5), by=admin
        )
        for title, criteria in WUHAO:
            dimension = services.dimension_save(rubric=rubric, title=title, by=admin)
            for code, ctitle, points, kind, key, guide, evidence, metric in criteria:
                fields: dict[str, Any] = {
                    "code": code,
                    "title": ctitle,
                    "max_points": Decimal(points),
                    "kind": kind,
                    "is_key": key,
                    "guide": guide,
                    "evidence_required": evidence,
                }
                if metric:
                    mcode, params, full_at, step = metric
                    fields.update(metric_code=mcode, metric_params=params, full_at=Decimal(full_at))
                    fields["step_points"] = Decimal(step) if step else None
                services.criterion_save(dimension=dimension, by=admin, **fields)
        for label, low, tone in (("优秀", 85, "ok"), ("先进", 70, "warn"), ("不达标", 0, "bad")):
            services.band_save(rubric=rubric, label=label, min_total=Decimal(low), tone=tone, by=admin)
        below = (
            Committee.objects.get_descendants(district).filter(kind__in=["town", "village"]).order_by("depth", "code")
        )
        members = list(below[: self.options.round_size])
        year = self.today.year - 1 if self.options.years > 1 else self.today.year
        round_ = services.round_create(
            committee=district,
            rubric=rubric,
            committees=members,
            name=f"{district.name}{year}年度“五好”基层关工委考核",
            year=year,
            self_deadline=self.today + timedelta(days=30),
            review_deadline=self.today + timedelta(days=60),
            by=admin,
        )
        for evaluation in round_.evaluations.select_related("committee").order_by("committee__code"):
            quality = rng.uniform(0.75, 1.02)
            for side in ("self", "review"):
                entries = {}
                for score in evaluation.scores.select_related("criterion"):
                    c = score.criterion
                    if c.kind == CriterionKind.METRIC and score.metric_points is not None:
                        points = score.metric_points
                    elif c.kind == CriterionKind.BONUS:
                        points = c.max_points if rng.random() < quality - 0.6 else None
                    elif c.kind == CriterionKind.DEDUCTION:
                        points = Decimal(1) if rng.random() > quality + 0.1 else None
                    else:
                        share = min(1.0, max(0.0, quality + rng.uniform(-0.1, 0.05)))
                        points = (c.max_points * Decimal(str(round(share, 2))) * 2).quantize(Decimal(1)) / 2
                    entries[c.pk] = Entry(
                        points, "材料齐全，情况属实。" if side == "review" and rng.random() < 0.3 else ""
                    )
                if side == "self":
                    services.evaluation_self_score(evaluation=evaluation, entries=entries, by=admin)
                    services.evaluation_submit(evaluation=evaluation, by=admin)
                else:
                    services.evaluation_review_score(evaluation=evaluation, entries=entries, by=admin)
                    services.evaluation_finalise(evaluation=evaluation, by=admin)
        first = round_.evaluations.order_by("committee__code").first()
        self.dataset.ids.update(round=round_.pk, evaluation=first.pk, round_evaluations=len(members))
