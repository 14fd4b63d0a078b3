"""Deleting parts of a rubric and evidence files asks first; a rubric in use is not offered for changes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments import services
from assessments.models import Dimension, Evidence

pytestmark = pytest.mark.django_db


def test_deleting_a_dimension_says_its_criteria_go_with_it(client_for, rubric_set):
    dimension = rubric_set.leadership.dimension
    admin = client_for("admin")
    rubric_page = admin.get(reverse("assessments:rubric_detail", args=[rubric_set.rubric.pk])).content.decode()
    confirm_url = reverse("assessments:dimension_delete_confirm", args=[dimension.pk])
    assert f'href="{confirm_url}">删除考核维度“领导班子建设好”……</a>' in rubric_page
    assert f'action="{reverse("assessments:dimension_delete", args=[dimension.pk])}"' not in rubric_page
    question = admin.get(confirm_url).content.decode()
    assert "确定删除考核维度“领导班子建设好”吗？" in question
    assert "其下的 2 项考核指标将一并删除。" in question
    assert Dimension.objects.filter(pk=dimension.pk).exists()


def test_a_rubric_in_use_sends_the_question_back_with_the_reason(client_for, rubric_set, round_):
    response = client_for("admin").get(
        reverse("assessments:criterion_delete_confirm", args=[rubric_set.wulao.pk]), follow=True
    )
    assert response.redirect_chain == [(reverse("assessments:rubric_detail", args=[rubric_set.rubric.pk]), 302)]
    assert "已被考核批次使用" in " ".join(str(m) for m in response.context["messages"])


def test_removing_evidence_asks_first(client_for, college_eval, rubric_set, personas):
    score = college_eval.scores.get(criterion=rubric_set.wulao)
    upload = SimpleUploadedFile("名册.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    evidence = services.evidence_add(evaluation=college_eval, score=score, upload=upload, by=personas["sec_college"])
    client = client_for("sec_college")
    page = client.get(reverse("assessments:evaluation_detail", args=[college_eval.pk])).content.decode()
    confirm_url = reverse("assessments:evidence_delete_confirm", args=[evidence.pk])
    assert f'href="{confirm_url}">移除……</a>' in page
    question = client.get(confirm_url).content.decode()
    assert "确定从“1.2 五老参与”的佐证材料中删除“名册.pdf”吗？" in question
    assert client_for("sec_sibling").get(confirm_url).status_code == 404
    assert client.post(reverse("assessments:evidence_delete", args=[evidence.pk])).status_code == 302
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
