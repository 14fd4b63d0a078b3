"""The committee and people templates and previews work like the activity import's: an example row that is
never imported, drop-downs fed by a sheet of codes, the bad cell marked, dates shown as read."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from guanwei.tests.preview import preview_table
from orgs.models import Committee, Person
from orgs.tests.test_import_excel import PEOPLE_HEADERS, xlsx_upload


def download(client, name) -> bytes:
    response = client.get(reverse(name))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def list_formulas(sheet) -> dict[str, str]:
    found = {}
    for dv in sheet.data_validations.dataValidation:
        if dv.type == "list":
            for cells in str(dv.sqref).split():
                found[cells.split(":")[0].rstrip("0123456789")] = dv.formula1
    return found


def test_the_people_template_offers_the_committees_and_labels_as_drop_downs(client_for, tree):
    book = load_workbook(io.BytesIO(download(client_for("sec_college"), "orgs:people_import_template")))
    assert book.sheetnames == ["人员名单", "代码"]
    sheet = book["人员名单"]
    example = [c.value for c in sheet[2]]
    assert example[0] == "UNI-ZJ" and example[1].startswith("【示例】")
    assert example[3] == 1952 and example[8] == dt.datetime(2022, 3, 1)  # noqa: DTZ001 - a number and a date cell
    codes = book["代码"]
    assert [r[0] for r in codes.iter_rows(min_row=2, max_col=1, values_only=True) if r[0]] == ["UNI-ZJ", "UNI-ZJ-ST"]
    formulas = list_formulas(sheet)
    assert formulas["A"] == "'代码'!$A$2:$A$3"  # 委员会编码
    assert {formulas["H"], formulas["L"], formulas["M"]} == {formulas["H"]}  # one 是/否 list for the three
    column = formulas["G"].split("$")[1]  # 五老类别
    assert [codes[f"{column}{r}"].value for r in range(2, 7)] == ["老干部", "老战士", "老专家", "老教师", "老模范"]


def test_importing_an_untouched_template_creates_nothing(client_for, tree):
    admin = client_for("admin")
    committees = SimpleUploadedFile("c.xlsx", download(admin, "orgs:committee_import_template"))
    response = admin.post(reverse("orgs:committee_import"), {"file": committees})
    assert "没有导入任何内容：这个文件里只有模板自带的示例行（第 2 行）" in response.content.decode()
    secretary = client_for("sec_college")
    people = SimpleUploadedFile("p.xlsx", download(secretary, "orgs:people_import_template"))
    response = secretary.post(reverse("orgs:people_import"), {"file": people})
    assert "没有导入任何内容：这个文件里只有模板自带的示例行（第 2 行）" in response.content.decode()
    assert Committee.objects.count() == 6 and not Person.objects.exists()


def test_the_people_preview_marks_the_bad_cell_and_shows_dates_as_read(client_for, tree):
    blank = [""] * (len(PEOPLE_HEADERS) - 2)
    rows = [
        PEOPLE_HEADERS,
        ["UNI-ZJ", "张老师", *blank[:6], "2022年3月5日", *blank[7:]],
        ["UNI-ZJ", "李老师", "男", "1952年", *blank[2:6], dt.datetime(2022, 3, 6), *blank[7:]],  # noqa: DTZ001
    ]
    response = client_for("sec_college").post(reverse("orgs:people_import"), {"file": xlsx_upload(rows)})
    table = preview_table(response.content.decode())
    assert table.marked_cells() == [(3, "出生年份")]
    assert "“1952年”不是" in table.cell(3, "出生年份").text
    assert "col-error" in table.header("出生年份").classes
    assert table.cell(2, "参与起始日期").text == "2022-03-05 表格中写的是“2022年3月5日”"
    assert table.cell(3, "参与起始日期").text == "2022-03-06"
    assert not Person.objects.exists()


def people_rows(*names):
    blank = [""] * (len(PEOPLE_HEADERS) - 2)
    return [PEOPLE_HEADERS, *(["UNI-ZJ", name, *blank] for name in names)]


def test_the_people_import_leads_to_exactly_the_people_it_added_or_updated(client_for, tree):
    from orgs.services import person_create

    person_create(committee=tree.college, name="王老师")  # updated by the import
    person_create(committee=tree.college, name="未导入的人")
    client = client_for("sec_college")
    url = reverse("orgs:people_import")
    preview = client.post(url, {"file": xlsx_upload(people_rows("王老师", "新来的人"))})
    done = client.post(url, {"token": preview.context["token"]})
    assert done.status_code == 302 and done["Location"].startswith(reverse("orgs:people_list") + "?batch=")
    page = client.get(done["Location"])
    body = page.content.decode()
    assert sorted(p.name for p in page.context["people"]) == ["新来的人", "王老师"]
    assert "以下是同一次 Excel 导入新增或更新的 2 人。" in body and "未导入的人" not in body

    outsider = client_for("sec_sibling").get(done["Location"])
    assert outsider.status_code == 200
    assert not outsider.context["people"] and "同一次 Excel 导入" not in outsider.content.decode()
    junk = client.get(reverse("orgs:people_list"), {"batch": "not-a-batch"})
    assert junk.status_code == 200 and not junk.context["people"]
