"""export_all / import_all: a committee subtree survives a round trip with nothing lost, all or nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image

from activities import services as activity_services
from activities.models import Activity, ActivityKind, ActivityPhoto, Donation, NewsReport
from assessments import services as assessment_services
from assessments.models import Criterion, Dimension, Evaluation, Evidence, GradeBand, Round, Rubric, Score
from backups.parts import PARTS
from backups.parts import data_fields as _fields
from backups.parts import label_of as _label
from backups.parts import m2m_fields as _m2m_fields
from orgs import tree as orgs_tree
from orgs.models import Committee, Grant, Grouping, Membership, MemberUnit, Person, WulaoCategory
from orgs.services import grouping_save, member_unit_save, membership_add, person_create
from plans.extraction import extract_text
from plans.models import Deliverable, Plan, Programme, WorkPoint
from plans.services import deliverable_upload, participant_add, plan_import, plan_publish

SEEDS = Path(__file__).resolve().parents[2] / "demo" / "documents"
USER = get_user_model()


def png(color=(200, 40, 40), name="photo.png") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buf, format="PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


@pytest.fixture
def kinds(db):
    import importlib

    from django.apps import apps

    importlib.import_module("activities.migrations.0002_activity_kinds").create_kinds(apps, None)
    return {k.code: k for k in ActivityKind.objects.all()}


@pytest.fixture
def university_data(tree, personas, kinds, time_machine):
    """A little of everything under 示范大学, as the demo has: registry, activities, plans, a finished round."""
    time_machine.move_to(dt.datetime(2022, 12, 1, 10, tzinfo=dt.UTC))
    sec, admin = personas["sec_college"], personas["admin"]
    zhang = person_create(
        committee=tree.college, name="张老师𡃁", wulao_category=WulaoCategory.TEACHER, birth_year=1950
    )
    li = person_create(committee=tree.college, name="李主任", notes="x" * 5000)
    person_create(committee=tree.sibling, name="孙老师", wulao_category=WulaoCategory.CADRE)
    membership_add(person=zhang, committee=tree.college, role="lecturer", started_on=dt.date(2020, 9, 1))
    membership_add(person=li, committee=tree.university, role="member")
    member_unit_save(committee=tree.university, name="学生工作处", duties="组织宣讲")
    grouping_save(name="第一片", lead=tree.university, members=[tree.college, tree.sibling, tree.other_root])
    # plans: the university's 2022 plan (published) and the college's 五好 programme
    uni_plan = plan_publish(
        plan=plan_import(
            committee=tree.university,
            year=2022,
            extracted=extract_text((SEEDS / "001_bc1637571a05c243.txt").read_text("utf-8")),
        )
    )
    college_plan = plan_import(
        committee=tree.college,
        year=2017,
        extracted=extract_text((SEEDS / "002_3dd27eabe960211c.txt").read_text("utf-8")),
    )
    programme = college_plan.programmes.get()
    participant_add(programme=programme, committee=tree.college_station, by=admin)
    deliverable_upload(
        milestone=programme.milestones.first(),
        committee=tree.college_station,
        title="中期报告",
        file=SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        by=sec,
    )
    # activities, one of them deleted, one linked to the plan
    point = WorkPoint.objects.filter(section__plan=uni_plan).first()
    activity_services.activity_create(
        committee=tree.college,
        kind=kinds["lecture"],
        title="红色故事进课堂 𡃁",
        held_on=dt.date(2022, 3, 1),
        youth_reached=80,
        participants=[zhang, li],
        photos=[png(), png((0, 90, 200), "second.png")],
        work_point=point,
        by=sec,
    )
    gone = activity_services.activity_create(
        committee=tree.college_station, kind=kinds["station_activity"], title="辅导站活动", held_on=dt.date(2022, 4, 2)
    )
    activity_services.activity_delete(activity=gone, by=sec)
    activity_services.donation_save(
        committee=tree.college,
        donor_name="张老师",
        donor_person=zhang,
        amount=D("1234.56"),
        donated_on=dt.date(2022, 5, 1),
    )
    activity_services.news_save(
        committee=tree.college, title="简讯", outlet="学校关工网站", published_on=dt.date(2022, 6, 1), photos=[png()]
    )
    # a round organised by the university, one evaluation finalised with evidence
    rubric = assessment_services.rubric_create(owner=tree.university, name="五好", score_step="0.5", by=admin)
    dim = assessment_services.dimension_save(rubric=rubric, title="领导班子建设好", by=admin)
    c1 = assessment_services.criterion_save(
        dimension=dim, code="1.1", title="党政重视", kind="manual", max_points=D("60"), is_key=True, by=admin
    )
    c2 = assessment_services.criterion_save(
        dimension=dim, code="1.2", title="五老参与", kind="manual", max_points=D("40"), by=admin
    )
    assessment_services.band_save(rubric=rubric, label="优秀", min_total=D("85"), tone="ok", by=admin)
    round_ = assessment_services.round_create(
        committee=tree.university,
        rubric=rubric,
        committees=[tree.college, tree.sibling],
        name="2022年度五好考核",
        year=2022,
        self_deadline=dt.date(2022, 12, 20),
        review_deadline=dt.date(2023, 1, 10),
        by=admin,
    )
    evaluation = Evaluation.objects.get(round=round_, committee=tree.college)
    Entry = assessment_services.Entry
    assessment_services.evaluation_self_score(
        evaluation=evaluation, entries={c1.pk: Entry(D("55"), "好"), c2.pk: Entry(D("38.5"))}, by=sec
    )
    assessment_services.evidence_add(
        evaluation=evaluation,
        score=Score.objects.get(evaluation=evaluation, criterion=c1),
        upload=png((10, 200, 10), "evidence.png"),
        by=sec,
    )
    assessment_services.evaluation_submit(evaluation=evaluation, by=sec)
    assessment_services.assignment_add(evaluation=evaluation, user=personas["reviewer"], by=admin)
    assessment_services.evaluation_start_review(evaluation=evaluation, by=personas["reviewer"])
    assessment_services.evaluation_review_score(
        evaluation=evaluation, entries={c1.pk: Entry(D("50")), c2.pk: Entry(D("36"))}, by=personas["reviewer"]
    )
    assessment_services.evaluation_finalise(evaluation=evaluation, by=personas["reviewer"])
    return tree


# --- a canonical picture of a backup: ids replaced by positions, files by their content ---------------


def canonical(directory: Path) -> dict:
    data = {}
    positions: dict[str, dict[int, int]] = {}
    for model, _select in PARTS:
        label = _label(model)
        rows = json.loads((directory / "data" / f"{label}.json").read_text("utf-8"))
        positions[label] = {row["id"]: i for i, row in enumerate(rows)}
        out = []
        for row in rows:
            item = {}
            for f in _fields(model):
                value = row[f.name]
                if f.is_relation and isinstance(value, int):
                    value = ("row", positions[_label(f.related_model)][value])
                elif hasattr(f, "upload_to") and value:
                    value = ("file", hashlib.sha256((directory / "files" / value).read_bytes()).hexdigest())
                item[f.name] = value
            for f in _m2m_fields(model):
                values = row[f.name]
                if values and isinstance(values[0], int):
                    values = [positions[_label(f.related_model)][v] for v in values]
                item[f.name] = sorted(values)
            out.append(item)
        data[label] = out
    data["users"] = json.loads((directory / "data" / "users.json").read_text("utf-8"))
    return data


def delete_exported_rows(directory: Path, keep: tuple = ()) -> None:
    """Remove every row the backup holds (activity kinds and users stay), and their files on disk."""
    for model, _select in reversed(PARTS):
        if model is ActivityKind or model in keep:
            continue
        rows = json.loads((directory / "data" / f"{_label(model)}.json").read_text("utf-8"))
        for row in rows:
            for f in _fields(model):
                if hasattr(f, "upload_to") and row[f.name] and default_storage.exists(row[f.name]):
                    default_storage.delete(row[f.name])
        ids = [row["id"] for row in rows]
        if model is Committee:
            for pk in sorted(ids, key=lambda pk: -Committee.objects.get(pk=pk).depth):
                Committee.objects.filter(pk=pk).delete()
        else:
            model._base_manager.filter(pk__in=ids).delete()


def test_round_trip_of_the_university_subtree_loses_nothing(university_data, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    call_command("export_all", str(first), committee="UNI", stdout=io.StringIO())
    before = canonical(first)
    counts = {label: len(rows) for label, rows in before.items()}
    # Every kind of record is in it, counted independently of the exporter.
    assert counts["orgs.committee"] == 4
    assert counts["orgs.person"] == Person.objects.exclude(committee=university_data.other_root).count() == 3
    assert counts["activities.activity"] == Activity.all_objects.count() == 2
    assert counts["activities.activityphoto"] == ActivityPhoto.objects.count() == 2
    assert counts["plans.plan"] == Plan.objects.count() == 2
    assert counts["plans.programme"] == Programme.objects.count() == 1
    assert counts["plans.deliverable"] == Deliverable.objects.count() == 1
    assert counts["assessments.evidence"] == Evidence.objects.count() == 1
    assert counts["assessments.score"] == Score.objects.count() == 4
    for label in ("orgs.membership", "orgs.memberunit", "orgs.grouping", "orgs.grant", "plans.target", "plans.phase"):
        assert counts[label] > 0, label
    for label in (
        "activities.donation",
        "activities.newsphoto",
        "assessments.scorechange",
        "assessments.evaluationevent",
    ):
        assert counts[label] > 0, label
    photo_bytes = {p.original_name: p.image.read() for p in ActivityPhoto.objects.all()}
    created_at = dict(Activity.all_objects.values_list("title", "created_at"))

    delete_exported_rows(first)
    assert not Committee.objects.filter(code__startswith="UNI").exists()
    assert not Activity.all_objects.exists()
    call_command("import_all", str(first), stdout=io.StringIO())
    call_command("export_all", str(second), committee="UNI", stdout=io.StringIO())

    assert canonical(second) == before
    # And as a user would see it:
    university = Committee.objects.get(code="UNI")
    assert university.parent.code == "JS"
    # Tree order, siblings in the order they were added (as in the exported tree).
    assert [c.code for c in Committee.objects.get_descendants(university)] == ["UNI-ZJ", "UNI-ZJ-ST", "UNI-JC"]
    assert orgs_tree.problems() == {}
    lecture = Activity.objects.get(title="红色故事进课堂 𡃁")
    assert sorted(p.name for p in lecture.participants.all()) == ["张老师𡃁", "李主任"]
    assert lecture.work_point.section.plan.committee == university
    assert {p.original_name: p.image.read() for p in lecture.photos.all()} == photo_bytes
    assert Activity.all_objects.get(title="辅导站活动").is_deleted
    assert dict(Activity.all_objects.values_list("title", "created_at")) == created_at
    evaluation = Evaluation.objects.get(committee__code="UNI-ZJ")
    assert (evaluation.status, evaluation.review_total, evaluation.self_total) == ("finalised", D("86.0"), D("93.5"))
    assert evaluation.finalised_by.username == "reviewer"
    assert Evidence.objects.get().file.read().startswith(b"\x89PNG")
    assert Grouping.objects.get().members.count() == 3  # other_root stayed, found again by its code
    assert Donation.objects.get().amount == D("1234.56")
    assert Grant.objects.filter(committee=Committee.objects.get_descendants(university).get(code="UNI-ZJ")).exists()


def test_import_into_a_database_without_the_users_creates_them_without_passwords(university_data, tmp_path):
    call_command("export_all", str(tmp_path / "b"), committee="UNI-ZJ", stdout=io.StringIO())
    Round.objects.all().delete()  # the university's round holds the college's evaluation
    delete_exported_rows(tmp_path / "b")
    USER.objects.filter(username="sec_college").delete()
    call_command("import_all", str(tmp_path / "b"), stdout=io.StringIO())
    restored = USER.objects.get(username="sec_college")
    assert not restored.has_usable_password()
    assert not restored.is_superuser
    assert Activity.all_objects.filter(created_by=restored).exists()
    # the college's activity served a point of the university's plan, which is not in this backup:
    # the manifest says that link was left out
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text("utf-8"))
    assert manifest["dropped_links"] == {"activities.activity.work_point": 1}
    assert Activity.objects.get(title="红色故事进课堂 𡃁").work_point is None


def test_import_refuses_when_the_codes_exist_and_changes_nothing(university_data, tmp_path):
    call_command("export_all", str(tmp_path / "b"), committee="UNI", stdout=io.StringIO())
    before = (Committee.objects.count(), Activity.all_objects.count(), Person.objects.count())
    with pytest.raises(CommandError, match="already exist"):
        call_command("import_all", str(tmp_path / "b"), stdout=io.StringIO())
    assert (Committee.objects.count(), Activity.all_objects.count(), Person.objects.count()) == before


def test_a_broken_row_near_the_end_loads_nothing_and_leaves_no_files(university_data, tmp_path):
    backup = tmp_path / "b"
    call_command("export_all", str(backup), committee="UNI", stdout=io.StringIO())
    delete_exported_rows(backup)
    objections = backup / "data" / "assessments.objection.json"
    rows = json.loads(objections.read_text("utf-8")) or [{"id": 1}]
    rows[0]["round"] = 987654  # a round that is in neither the backup nor the database
    rows[0].setdefault("received_on", "2023-01-01")
    objections.write_text(json.dumps(rows), "utf-8")
    media_before = sorted(p.name for p in Path(default_storage.location).rglob("*") if p.is_file())
    with pytest.raises(CommandError, match="Nothing was loaded: assessments.objection.round: 987654"):
        call_command("import_all", str(backup), stdout=io.StringIO())
    assert not Committee.objects.filter(code__startswith="UNI").exists()
    assert not Activity.all_objects.exists()
    assert not MemberUnit.objects.exists() and not Membership.objects.exists()
    assert sorted(p.name for p in Path(default_storage.location).rglob("*") if p.is_file()) == media_before


def test_a_file_name_that_leaves_the_backup_is_refused(university_data, tmp_path):
    backup = tmp_path / "b"
    call_command("export_all", str(backup), committee="UNI-ZJ", stdout=io.StringIO())
    Round.objects.all().delete()  # the university's round holds the college's evaluation
    delete_exported_rows(backup)
    photos = backup / "data" / "activities.activityphoto.json"
    rows = json.loads(photos.read_text("utf-8"))
    rows[0]["image"] = "../../../../etc/passwd"
    photos.write_text(json.dumps(rows), "utf-8")
    with pytest.raises(CommandError, match="leaves the backup"):
        call_command("import_all", str(backup), stdout=io.StringIO())
    assert not Activity.all_objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "missing"), ("{not json", "not valid JSON"), ('{"format": "other"}', "not a Guanwei")],
)
def test_import_of_something_that_is_not_a_backup_is_a_clear_error(db, tmp_path, content, message):
    if content is not None:
        (tmp_path / "manifest.json").write_text(content, "utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("import_all", str(tmp_path), stdout=io.StringIO())


def test_export_needs_a_known_committee_and_an_empty_directory(tree, tmp_path):
    with pytest.raises(CommandError, match="no committee"):
        call_command("export_all", str(tmp_path / "x"), committee="NOPE", stdout=io.StringIO())
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "a.txt").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("export_all", str(tmp_path / "full"), committee="UNI", stdout=io.StringIO())


def test_a_rubric_version_already_here_is_reused_not_copied(university_data, tmp_path):
    call_command("export_all", str(tmp_path / "b"), committee="UNI-ZJ", stdout=io.StringIO())
    # the college backup holds no round (the university runs it), so no rubric either
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text("utf-8"))
    assert manifest["counts"]["assessments.rubric"] == 0
    call_command("export_all", str(tmp_path / "u"), committee="UNI", stdout=io.StringIO())
    rubric = Rubric.objects.get()
    rubric_parts = (Rubric, Dimension, Criterion, GradeBand)
    Rubric.objects.filter(pk=rubric.pk).update(owner=university_data.other_root)  # the rubric lives elsewhere now
    delete_exported_rows(tmp_path / "u", keep=rubric_parts)
    criteria = set(Criterion.objects.values_list("pk", flat=True))
    call_command("import_all", str(tmp_path / "u"), stdout=io.StringIO())
    assert Rubric.objects.get() == rubric
    assert Round.objects.get().rubric == rubric
    assert set(Score.objects.values_list("criterion_id", flat=True)) == criteria


def test_news_report_link_survives(university_data, tmp_path):
    NewsReport.objects.update(link="https://example.org/简讯?a=1&b=𡃁")
    call_command("export_all", str(tmp_path / "b"), committee="UNI", stdout=io.StringIO())
    delete_exported_rows(tmp_path / "b")
    call_command("import_all", str(tmp_path / "b"), stdout=io.StringIO())
    assert NewsReport.objects.get().link == "https://example.org/简讯?a=1&b=𡃁"
