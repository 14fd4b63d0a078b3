import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from orgs import tree as orgs_tree
from orgs.models import AuditEvent, Committee, GrantRole, MemberRole, Membership, Person, WulaoCategory
from orgs.services import grant_access, membership_add, person_create

PERSONAS = [None, "sec_sibling", "sec_college", "leader", "reviewer", "admin"]
COMMITTEE_HEADERS = [
    "上级编码",
    "名称",
    "简称",
    "编码",
    "类型",
    "学生数",
    "离退休人数",
    "教职工数",
    "办公地点",
    "联系人",
    "联系电话",
]
PEOPLE_HEADERS = [
    "委员会编码",
    "姓名",
    "性别",
    "出生年份",
    "电话",
    "职务或职称",
    "五老类别",
    "已实名登记",
    "参与起始日期",
    "参与截止日期",
    "职务",
]


def statuses(client_for, url):
    return [client_for(name).get(url).status_code for name in PERSONAS]


def xlsx_upload(rows, name="data.xlsx"):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


def read_xlsx(response):
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in wb.active.iter_rows(values_only=True)]


def committee_row(parent, name, code, kind="二级学院", students=100):
    return [parent, name, "", code, kind, students, 10, 20, "", "", ""]


def upload_and_confirm(client, url, rows):
    """Upload → preview → confirm; returns (preview response, confirm response or None)."""
    preview = client.post(url, {"file": xlsx_upload(rows)})
    token = preview.context["token"] if preview.context else None
    if not token:
        return preview, None
    return preview, client.post(url, {"token": token})


@pytest.fixture
def college_admin(tree):
    """Manages the college subtree only."""
    user = get_user_model().objects.create_user(username="college_admin", password="x")
    grant_access(user=user, committee=tree.college, role=GrantRole.ADMIN)
    client = Client()
    client.force_login(user)
    return client


# --- who may use what -------------------------------------------------------------------


def test_committee_import_pages_are_for_managers_only(client_for, tree):
    assert statuses(client_for, reverse("orgs:committee_import")) == [302, 403, 403, 403, 403, 200]
    assert statuses(client_for, reverse("orgs:committee_import_template")) == [302, 403, 403, 403, 403, 200]


def test_people_import_pages_are_for_editors(client_for, tree):
    assert statuses(client_for, reverse("orgs:people_import")) == [302, 200, 200, 403, 403, 200]
    assert statuses(client_for, reverse("orgs:people_import_template")) == [302, 200, 200, 403, 403, 200]


def test_committee_export_matrix(client_for, tree):
    url = reverse("orgs:committee_export", args=[tree.college.pk])
    assert statuses(client_for, url) == [302, 404, 200, 200, 200, 200]


def test_posting_an_import_is_refused_to_a_leader(client_for, tree):
    rows = [COMMITTEE_HEADERS, committee_row("UNI", "新学院", "UNI-NEW")]
    response = client_for("leader").post(reverse("orgs:committee_import"), {"file": xlsx_upload(rows)})
    assert response.status_code == 403
    rows = [PEOPLE_HEADERS, ["UNI-ZJ", "新人", "", "", "", "", "", "", "", "", ""]]
    response = client_for("leader").post(reverse("orgs:people_import"), {"file": xlsx_upload(rows)})
    assert response.status_code == 403
    assert not Committee.objects.filter(code="UNI-NEW").exists()
    assert not Person.objects.exists()


# --- templates and exports ----------------------------------------------------------------


def test_templates_have_chinese_headers_and_an_example_row(client_for, tree):
    committees = read_xlsx(client_for("admin").get(reverse("orgs:committee_import_template")))
    assert committees[0] == COMMITTEE_HEADERS
    assert committees[1][4] == "二级学院"
    people = read_xlsx(client_for("sec_college").get(reverse("orgs:people_import_template")))
    assert people[0][: len(PEOPLE_HEADERS)] == PEOPLE_HEADERS
    assert people[1][0] == "UNI-ZJ"  # the secretary's own committee
    assert people[1][6] == "老教师"


def test_committee_export_is_the_visible_subtree(client_for, tree):
    rows = read_xlsx(client_for("sec_college").get(reverse("orgs:committee_export", args=[tree.college.pk])))
    assert rows[0] == COMMITTEE_HEADERS
    assert [r[3] for r in rows[1:]] == ["UNI-ZJ", "UNI-ZJ-ST"]
    assert rows[1][0] == "UNI" and rows[2][0] == "UNI-ZJ"
    assert rows[1][4] == "二级学院"
    assert AuditEvent.objects.filter(action="export", username="sec_college").exists()


def test_people_export_follows_the_filters_and_the_scope(client_for, tree):
    zhang = person_create(
        committee=tree.college, name="张老师", wulao_category=WulaoCategory.TEACHER, real_name_registered=True
    )
    membership_add(person=zhang, committee=tree.college, role=MemberRole.EXECUTIVE_DEPUTY)
    membership_add(person=zhang, committee=tree.college, role=MemberRole.LECTURER)
    person_create(committee=tree.college, name="普通委员")
    person_create(committee=tree.sibling, name="李老师", wulao_category=WulaoCategory.CADRE)
    url = reverse("orgs:people_export") + "?wulao_category=any"
    rows = read_xlsx(client_for("sec_college").get(url))
    assert rows[0][: len(PEOPLE_HEADERS)] == PEOPLE_HEADERS
    assert [r[1] for r in rows[1:]] == ["张老师"]
    by_header = dict(zip(rows[0], rows[1], strict=True))
    assert by_header["五老类别"] == "老教师"
    assert by_header["已实名登记"] == "是"
    assert set(by_header["职务"].split("、")) == {"常务副主任", "讲师团成员"}


# --- importing committees -------------------------------------------------------------------


def test_admin_imports_a_college_and_its_station_in_one_file(client_for, tree):
    rows = [
        COMMITTEE_HEADERS,
        committee_row("UNI", "护理学院关工分委", "UNI-HL", kind="二级学院", students=900),
        committee_row("UNI-HL", "护理学院校外辅导站", "UNI-HL-ST", kind="校外辅导站", students=0),
    ]
    client = client_for("admin")
    preview = client.post(reverse("orgs:committee_import"), {"file": xlsx_upload(rows)})
    assert preview.status_code == 200
    assert not preview.context["report"].has_errors
    assert "确认导入" in preview.content.decode()
    assert not Committee.objects.filter(code="UNI-HL").exists()  # the preview saved nothing
    done = client.post(reverse("orgs:committee_import"), {"token": preview.context["token"]})
    assert done.status_code == 302
    station = Committee.objects.get(code="UNI-HL-ST")
    assert station.kind == "station"
    assert [a.code for a in Committee.objects.get_ancestors(station)] == ["JS", "UNI", "UNI-HL"]
    assert Committee.objects.get(code="UNI-HL").students == 900
    assert AuditEvent.objects.filter(action="create", object_type="orgs.committee", username="admin").count() == 2
    assert AuditEvent.objects.filter(action="import", username="admin").exists()
    assert orgs_tree.problems() == {}


def test_one_bad_row_saves_nothing_and_names_row_and_column(client_for, tree):
    rows = [
        COMMITTEE_HEADERS,
        committee_row("UNI", "甲学院", "UNI-A"),
        committee_row("UNI", "乙学院", "UNI-B", kind="乱写的类型"),
        committee_row("UNI", "丙学院", "UNI-C"),
    ]
    client = client_for("admin")
    response = client.post(reverse("orgs:committee_import"), {"file": xlsx_upload(rows)})
    report = response.context["report"]
    assert [r.excel_row for r in report.error_rows] == [3]
    assert "类型" in report.error_rows[0].errors[0]
    assert "乱写的类型" in report.error_rows[0].errors[0]
    body = response.content.decode()
    assert "第 3 行" in body and "没有保存" in body
    assert response.context["token"] is None  # nothing to confirm
    assert not Committee.objects.filter(code__in=["UNI-A", "UNI-B", "UNI-C"]).exists()


def test_manager_of_a_college_cannot_import_outside_their_subtree(college_admin, tree):
    rows = [
        COMMITTEE_HEADERS,
        committee_row("UNI-ZJ", "针灸学院第二辅导站", "UNI-ZJ-ST2", kind="校外辅导站"),
        committee_row("UNI", "越权学院", "UNI-X"),
        committee_row("UNI", "基础医学院关工分委", "UNI-JC"),
    ]
    response = college_admin.post(reverse("orgs:committee_import"), {"file": xlsx_upload(rows)})
    report = response.context["report"]
    errors = {r.excel_row: " ".join(r.errors) for r in report.error_rows}
    assert sorted(errors) == [3, 4]
    assert "上级编码" in errors[3] and "UNI" in errors[3]
    assert "编码" in errors[4] and "管理范围之外" in errors[4]
    assert not Committee.objects.filter(code__in=["UNI-ZJ-ST2", "UNI-X"]).exists()
    assert Committee.objects.get(code="UNI-JC").name == "基础医学院关工分委"


def test_manager_of_a_college_builds_two_levels_in_one_file(college_admin, tree):
    rows = [
        COMMITTEE_HEADERS,
        committee_row("UNI-ZJ", "针灸一系", "UNI-ZJ-1", kind="二级学院"),
        committee_row("UNI-ZJ-1", "针灸一系辅导站", "UNI-ZJ-1-ST", kind="station"),
    ]
    preview, done = upload_and_confirm(college_admin, reverse("orgs:committee_import"), rows)
    assert not preview.context["report"].has_errors, preview.context["report"].error_rows
    assert done.status_code == 302
    assert Committee.objects.get(code="UNI-ZJ-1-ST").parent.code == "UNI-ZJ-1"


def test_reimporting_an_export_updates_in_place(college_admin, client_for, tree):
    exported = read_xlsx(client_for("sec_college").get(reverse("orgs:committee_export", args=[tree.college.pk])))
    exported[1][5] = 2000  # the college's students
    preview, done = upload_and_confirm(college_admin, reverse("orgs:committee_import"), exported)
    report = preview.context["report"]
    assert not report.has_errors, report.error_rows
    assert report.count("update") == 2 and report.count("new") == 0
    assert done.status_code == 302
    assert Committee.objects.get(code="UNI-ZJ").students == 2000
    assert Committee.objects.get(code="UNI-ZJ").parent.code == "UNI"


def test_import_moves_a_committee_but_refuses_a_cycle(client_for, tree):
    client = client_for("admin")
    rows = [COMMITTEE_HEADERS, committee_row("UNI-JC", "针灸学院校外辅导站", "UNI-ZJ-ST", kind="校外辅导站")]
    _preview, done = upload_and_confirm(client, reverse("orgs:committee_import"), rows)
    assert done.status_code == 302
    assert Committee.objects.get(code="UNI-ZJ-ST").parent.code == "UNI-JC"
    cycle = [COMMITTEE_HEADERS, committee_row("UNI-ZJ", "示范大学关工委", "UNI", kind="高校")]
    response = client.post(reverse("orgs:committee_import"), {"file": xlsx_upload(cycle)})
    report = response.context["report"]
    assert report.error_rows[0].excel_row == 2
    assert "上级编码" in report.error_rows[0].errors[0]
    assert Committee.objects.get(code="UNI").parent.code == "JS"


def test_bad_code_and_counts_are_row_errors_in_chinese(client_for, tree):
    rows = [COMMITTEE_HEADERS, ["UNI", "坏数据学院", "", "bad code!", "二级学院", "很多", -3, 1.5, "", "", ""]]
    response = client_for("admin").post(reverse("orgs:committee_import"), {"file": xlsx_upload(rows)})
    errors = " ".join(response.context["report"].error_rows[0].errors)
    assert "编码" in errors and "只能使用字母" in errors
    assert "学生数" in errors and "很多" in errors
    assert "离退休人数" in errors and "教职工数" in errors


# --- importing people -----------------------------------------------------------------------


def person_row(code, name, **overrides):
    values = {
        "委员会编码": code,
        "姓名": name,
        "性别": "女",
        "出生年份": 1951,
        "电话": 13800138000,
        "职务或职称": "原党委副书记",
        "五老类别": "老干部",
        "已实名登记": "是",
        "参与起始日期": "2021-09-01",
        "参与截止日期": "",
        "职务": "常务副主任、特邀党建组织员",
    }
    values.update(overrides)
    return [values[h] for h in PEOPLE_HEADERS]


def test_secretary_imports_people_with_roles(client_for, tree):
    rows = [
        PEOPLE_HEADERS,
        person_row("UNI-ZJ", "王秀兰"),
        person_row(
            "UNI-ZJ-ST",
            "陈建国",
            性别="男",
            五老类别="老教师",
            已实名登记="否",
            职务="委员",
            参与起始日期=datetime.date(2020, 3, 1),
        ),
    ]
    preview, done = upload_and_confirm(client_for("sec_college"), reverse("orgs:people_import"), rows)
    assert not preview.context["report"].has_errors, preview.context["report"].error_rows
    assert done.status_code == 302
    wang = Person.objects.get(name="王秀兰")
    assert (wang.committee.code, wang.gender, wang.birth_year, wang.phone) == ("UNI-ZJ", "F", 1951, "13800138000")
    assert wang.wulao_category == "cadre" and wang.real_name_registered
    assert wang.active_from == datetime.date(2021, 9, 1)
    assert set(wang.memberships.values_list("role", flat=True)) == {"executive_deputy", "party_organiser"}
    chen = Person.objects.get(name="陈建国")
    assert chen.committee.code == "UNI-ZJ-ST" and not chen.real_name_registered
    assert chen.active_from == datetime.date(2020, 3, 1)
    assert AuditEvent.objects.filter(action="create", object_type="orgs.person", username="sec_college").count() == 2


def test_importing_the_same_name_again_updates_the_person_and_their_roles(client_for, tree):
    client = client_for("sec_college")
    upload_and_confirm(client, reverse("orgs:people_import"), [PEOPLE_HEADERS, person_row("UNI-ZJ", "王秀兰")])
    rows = [PEOPLE_HEADERS, person_row("UNI-ZJ", "王秀兰", 出生年份=1950, 职务="主任")]
    preview, done = upload_and_confirm(client, reverse("orgs:people_import"), rows)
    assert preview.context["report"].count("update") == 1
    wang = Person.objects.get(name="王秀兰")
    assert wang.birth_year == 1950
    assert list(wang.memberships.values_list("role", flat=True)) == ["director"]


def test_people_rows_for_a_foreign_committee_are_row_errors_and_nothing_is_saved(client_for, tree):
    rows = [PEOPLE_HEADERS, person_row("UNI-ZJ", "王秀兰"), person_row("UNI-JC", "李建华")]
    response = client_for("sec_college").post(reverse("orgs:people_import"), {"file": xlsx_upload(rows)})
    report = response.context["report"]
    assert [r.excel_row for r in report.error_rows] == [3]
    assert "委员会编码" in report.error_rows[0].errors[0] and "UNI-JC" in report.error_rows[0].errors[0]
    assert not Person.objects.exists()
    assert not Membership.objects.exists()


def test_row_17_with_an_impossible_date_is_named_and_nothing_is_saved(client_for, tree):
    rows = [PEOPLE_HEADERS] + [person_row("UNI-ZJ", f"老师{i:02d}") for i in range(40)]
    rows[16] = person_row("UNI-ZJ", "日期写错的老师", 参与起始日期="2022.13.05")
    response = client_for("sec_college").post(reverse("orgs:people_import"), {"file": xlsx_upload(rows)})
    report = response.context["report"]
    assert [r.excel_row for r in report.error_rows] == [17]
    assert "参与起始日期" in report.error_rows[0].errors[0] and "2022.13.05" in report.error_rows[0].errors[0]
    assert not Person.objects.exists()


def test_unknown_labels_are_explained(client_for, tree):
    rows = [PEOPLE_HEADERS, person_row("UNI-ZJ", "王秀兰", 五老类别="老同志", 已实名登记="也许", 职务="主任、掌门")]
    response = client_for("sec_college").post(reverse("orgs:people_import"), {"file": xlsx_upload(rows)})
    errors = " ".join(response.context["report"].error_rows[0].errors)
    assert "五老类别" in errors and "老同志" in errors and "老干部" in errors
    assert "已实名登记" in errors and "也许" in errors
    assert "职务" in errors and "掌门" in errors


def test_an_exported_people_sheet_imports_back_unchanged(client_for, tree):
    zhang = person_create(
        committee=tree.college, name="张老师", gender="F", wulao_category="teacher", phone="+86 138", birth_year=1950
    )
    membership_add(person=zhang, committee=tree.college, role=MemberRole.SECRETARY)
    client = client_for("sec_college")
    exported = read_xlsx(client.get(reverse("orgs:people_export") + f"?committee={tree.college.pk}"))
    preview, done = upload_and_confirm(client, reverse("orgs:people_import"), exported)
    assert not preview.context["report"].has_errors, preview.context["report"].error_rows
    assert done.status_code == 302
    zhang.refresh_from_db()
    assert (zhang.phone, zhang.wulao_category, zhang.birth_year) == ("+86 138", "teacher", 1950)
    assert list(zhang.memberships.values_list("role", flat=True)) == ["secretary"]
    assert Person.objects.count() == 1


def test_the_tree_page_offers_the_committee_import_only_to_managers(client_for, college_admin, tree):
    url = reverse("orgs:committee_tree")
    assert reverse("orgs:committee_import") not in client_for("sec_college").get(url).content.decode()
    assert reverse("orgs:committee_import") not in client_for("leader").get(url).content.decode()
    assert reverse("orgs:committee_import") in college_admin.get(url).content.decode()
    assert reverse("orgs:committee_import") in client_for("admin").get(url).content.decode()


def test_upload_matrix_for_both_imports(client_for, tree):
    def post_all(url, rows):
        return [client_for(name).post(url, {"file": xlsx_upload(rows)}).status_code for name in PERSONAS]

    committees = [COMMITTEE_HEADERS, committee_row("UNI", "新学院", "UNI-NEW")]
    assert post_all(reverse("orgs:committee_import"), committees) == [302, 403, 403, 403, 403, 200]
    people = [PEOPLE_HEADERS, person_row("UNI-ZJ", "王秀兰")]
    # the outsider gets the preview with a row error for the foreign committee code
    assert post_all(reverse("orgs:people_import"), people) == [302, 200, 200, 403, 403, 200]
    assert not Committee.objects.filter(code="UNI-NEW").exists()  # previews save nothing
    assert not Person.objects.exists()


def test_outsider_preview_of_a_foreign_committee_code_is_a_row_error(client_for, tree):
    rows = [PEOPLE_HEADERS, person_row("UNI-ZJ", "王秀兰")]
    response = client_for("sec_sibling").post(reverse("orgs:people_import"), {"file": xlsx_upload(rows)})
    report = response.context["report"]
    assert [r.excel_row for r in report.error_rows] == [2]
    assert response.context["token"] is None


@pytest.mark.parametrize(
    "url_name", ["orgs:committee_import_template", "orgs:people_import_template", "orgs:committee_export"]
)
def test_downloads_refuse_post(client_for, tree, url_name):
    url = reverse(url_name, args=[tree.college.pk]) if url_name == "orgs:committee_export" else reverse(url_name)
    assert [client_for(n).post(url).status_code for n in PERSONAS] == [302, 405, 405, 405, 405, 405]
