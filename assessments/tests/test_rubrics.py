"""Rubric versions: a version used by a round is locked; a new version copies it; the round keeps its own."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from assessments import selectors, services
from assessments.models import Criterion, Rubric


def test_a_rubric_not_yet_used_can_be_edited(rubric_set, personas):
    services.criterion_save(dimension=rubric_set.wulao.dimension, criterion=rubric_set.wulao, max_points=D("35"))
    rubric_set.wulao.refresh_from_db()
    assert rubric_set.wulao.max_points == D("35")


def test_a_rubric_used_by_a_round_is_locked(rubric_set, round_, personas):
    for call in (
        lambda: services.rubric_update(rubric=rubric_set.rubric, name="改名"),
        lambda: services.criterion_save(
            dimension=rubric_set.wulao.dimension, criterion=rubric_set.wulao, max_points=D("1")
        ),
        lambda: services.dimension_save(rubric=rubric_set.rubric, title="新维度"),
        lambda: services.band_save(rubric=rubric_set.rubric, label="合格", min_total=D("60"), tone="warn"),
        lambda: services.criterion_delete(criterion=rubric_set.award),
    ):
        with pytest.raises(ValidationError, match="新版本"):
            call()
    assert Criterion.objects.get(pk=rubric_set.wulao.pk).max_points == D("40")


def test_a_new_version_copies_the_tree_and_the_round_keeps_the_old_one(rubric_set, round_, personas):
    v2 = services.rubric_new_version(rubric=rubric_set.rubric, by=personas["admin"])
    assert (v2.version, v2.family, v2.name) == (2, rubric_set.rubric.family, "五好关工委考核")
    assert [c.title for c in selectors.rubric_criteria(v2)] == [
        c.title for c in selectors.rubric_criteria(rubric_set.rubric)
    ]
    assert [b.label for b in v2.bands.all()] == ["优秀", "先进", "不达标"]
    new_wulao = Criterion.objects.get(dimension__rubric=v2, code="1.2")
    services.criterion_save(dimension=new_wulao.dimension, criterion=new_wulao, max_points=D("30"))
    round_.refresh_from_db()
    assert round_.rubric_id == rubric_set.rubric.pk
    assert selectors.rubric_base_total(round_.rubric) == D("100")
    assert selectors.rubric_base_total(v2) == D("90")
    assert Rubric.objects.filter(family=v2.family).count() == 2


def test_a_metric_criterion_needs_its_metric_and_full_marks_value(rubric_set):
    with pytest.raises(ValidationError) as err:
        services.criterion_save(
            dimension=rubric_set.wulao.dimension, title="活动次数", kind="metric", max_points=D("10")
        )
    assert set(err.value.message_dict) == {"metric_code", "full_at"}


def test_bonus_items_cannot_be_key_indicators(rubric_set):
    with pytest.raises(ValidationError):
        services.criterion_save(
            dimension=rubric_set.award.dimension, title="省级表彰", kind="bonus", max_points=D("5"), is_key=True
        )


def test_two_bands_cannot_start_at_the_same_total(rubric_set):
    with pytest.raises(ValidationError):
        services.band_save(rubric=rubric_set.rubric, label="良好", min_total=D("85"), tone="ok")
