import io
import json
from datetime import date
from decimal import Decimal

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from plans.extraction import ExtractionError, chinese_number, extract_docx, extract_targets, extract_text
from plans.models import Milestone, Plan, Programme, Target
from plans.tests.conftest import DOCUMENTS, SEED_PLAN_2022, SEED_PROGRAMME, seed_text


@pytest.fixture(scope="module")
def plan_2022():
    return extract_text(seed_text(SEED_PLAN_2022))


@pytest.fixture(scope="module")
def programme():
    return extract_text(seed_text(SEED_PROGRAMME))


def test_seed_2022_header(plan_2022):
    assert plan_2022.doc_number == "锡职院委（2022）13号"
    assert plan_2022.issuer == "中共无锡职业技术学院委员会"
    assert plan_2022.issued_on == date(2022, 3, 28)
    assert plan_2022.title == "无锡职业技术学院关心下一代工作委员会2022年工作要点"


def test_seed_2022_has_six_sections_with_their_titles(plan_2022):
    assert [(s.number, s.title) for s in plan_2022.sections] == [
        ("一", "提高政治站位，正确把握关工委工作方向"),
        ("二", "优化工作机制，进一步提升关工委工作的整体水平"),
        ("三", "认真对标补差，扎实推进关工委优质化建设均衡发展"),
        ("四", "强化思想引领，深入开展社会主义核心价值观教育"),
        ("五", "坚持精准服务，做好青年师生的关爱帮扶工作"),
        ("六", "找准工作定位，加强关工委自身建设"),
    ]


def test_seed_2022_points_follow_the_yi_shi_er_shi_enumeration(plan_2022):
    sections = {s.number: s for s in plan_2022.sections}
    assert [p.title for p in sections["三"].points] == ["强“基层建设”", "抓“关键指标”", "重“品牌建设”"]
    assert [p.title for p in sections["四"].points] == [
        "开展红色教育",
        "加强社会主义核心价值观讲师团建设",
        "培育精品教育项目",
    ]
    assert [p.number for p in sections["六"].points] == ["一", "二", "三", "四", "五", "六"]
    # a section without enumerated items keeps its whole text as one point
    assert len(sections["一"].points) == 1
    assert sections["一"].points[0].text.startswith("学习贯彻好党的十九届六中全会精神")
    # the sentence broken by a page ("为" / "党分忧") is joined again
    assert "尽己所能，为党分忧" in sections["一"].points[0].text
    assert sections["三"].text.endswith("全年工作紧抓三大重点：")


def test_seed_2022_targets(plan_2022):
    targets = [
        (t.text, t.comparator, t.value, t.unit, t.period)
        for s in plan_2022.sections
        for p in s.points
        for t in p.targets
    ]
    assert len(targets) == 2
    share, lectures = targets
    assert share[0].startswith("本年度90%二级学院关工委达到“均衡发展”要求")
    assert share[1:] == (">=", Decimal(90), "%", "year")
    assert lectures == ("全年讲师团宣讲不少于25场", ">=", Decimal(25), "场", "year")


def test_seed_2022_lecture_target_is_wired_to_the_lecture_count(plan_2022):
    lecture = plan_2022.sections[3].points[1].targets[0]
    assert (lecture.metric, lecture.params) == ("activity_count", {"kinds": ["lecture"]})


def test_nothing_of_the_seed_2022_is_dropped(plan_2022):
    text = "\n".join(
        [plan_2022.preamble, plan_2022.closing]
        + [f"{s.title}{s.text}" + "".join(p.title + p.text for p in s.points) for s in plan_2022.sections]
    )
    assert "2022年学校关工委工作的总体要求是" in plan_2022.preamble
    assert "无锡职业技术学院党委办公室" in plan_2022.closing
    for phrase in ("名师工作室", "阳光屋", "第十片牵头组长学校", "双菜单", "一院一品"):
        assert phrase in text


def test_seed_programme_header_and_sections(programme):
    assert programme.title == "创建“五好”关工分委活动实施方案"
    assert programme.issuer == "针灸康复临床医学院关工分委"
    assert programme.issued_on == date(2016, 12, 28)
    assert programme.doc_number == ""
    assert [(s.number, s.title) for s in programme.sections] == [
        ("（一）", "领导班子建设好"),
        ("（二）", "“五老”作用发挥好"),
        ("（三）", "制度健全执行好"),
        ("（四）", "积极探索创新好"),
        ("（五）", "活动经常效果好"),
    ]
    assert [len(s.points) for s in programme.sections] == [1, 4, 6, 3, 6]
    assert [p.title for p in programme.sections[2].points] == [
        "建立制度",
        "会议制度",
        "学习制度",
        "活动制度",
        "信息制度",
        "档案制度",
    ]
    # the sub-items （1）…（4） stay on their point
    assert "（4）为方便关工分委工作工作开展" in programme.sections[0].points[0].text


def _targets_of(plan, section, point):
    return [(t.comparator, t.value, t.unit, t.period) for t in plan.sections[section].points[point].targets]


def test_seed_programme_targets(programme):
    assert _targets_of(programme, 1, 0) == [(">=", 100, "%", "year"), (">=", 100, "%", "year")]
    organisers = programme.sections[1].points[2].targets
    assert [(t.comparator, t.value, t.unit) for t in organisers] == [(">=", 200, "比")]
    assert "1比500" in organisers[0].text and "达到1比200" in organisers[0].text
    assert organisers[0].metric == "party_organiser_ratio"
    assert _targets_of(programme, 2, 1) == [(">=", 1, "次", "semester"), (">=", 1, "次", "year")]
    news = programme.sections[2].points[4].targets
    assert [(t.value, t.unit, t.period, t.metric) for t in news] == [(2, "篇", "semester", "news_with_photos")]
    assert _targets_of(programme, 4, 2) == [(">=", 1, "人次", "semester"), (">=", 6, "人", "year")]
    assert programme.sections[4].points[2].targets[1].text.startswith("年均由特邀党建组织员")
    articles = programme.sections[4].points[5].targets
    assert [(t.value, t.unit, t.period, t.metric) for t in articles] == [(1, "%", "year", "student_articles_ratio")]
    assert "不少于本单位在校学生数的1%" in articles[0].text


def test_seed_programme_phases_with_per_year_steps(programme):
    assert [(p.name, p.start, p.end) for p in programme.phases] == [
        ("创建阶段", date(2017, 1, 1), date(2019, 12, 31)),
        ("巩固提高", date(2020, 1, 1), date(2021, 12, 31)),
    ]
    assert [s.year for s in programme.phases[0].steps] == [2017, 2018, 2019]
    assert [s.year for s in programme.phases[1].steps] == [2020, 2021]
    assert "中期评估报告" in programme.phases[0].steps[1].text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全年讲师团宣讲不少于 25 场。", [(">=", 25, "场", "year")]),
        ("每学期至少向网站提供两篇附有照片的信息报道。", [(">=", 2, "篇", "semester")]),
        ("组织员与学生之比达到1比200。", [(">=", 200, "比", "year")]),
        ("学生投稿不少于本单位在校学生数的1%。", [(">=", 1, "%", "year")]),
        ("每月召开一次工作例会。", [(">=", 1, "次", "month")]),
        ("响应“每人每月拿出十元钱帮助贫困学生”的倡议。", []),
        ("每月至少召开一次工作例会。", [(">=", 1, "次", "month")]),
        ("经费支出不超过预算的10%。", [("<=", 10, "%", "year")]),
        ("力争100%达到要求。", []),
        ("各二级学院全年开展主题教育不少于十二次。", [(">=", 12, "次", "year")]),
    ],
)
def test_targets_in_plain_sentences(text, expected):
    assert [(t.comparator, t.value, t.unit, t.period) for t in extract_targets(text)] == expected


def test_each_college_wording_makes_an_each_subcommittee_target():
    (target,) = extract_targets("各二级学院全年开展主题教育不少于十二次。")
    assert target.scope == "each_subcommittee"


def test_phases_with_year_ranges_and_half_years():
    plan = extract_text(
        "建设规划\n一、建设步骤\n（一）常态化建设\n2019～2020年，完成常态化建设。\n"
        "（二）省合格认定\n2023年下半年或2024年，申报省合格认定。\n二、工作要求\n1.按时自查。"
    )
    assert [(p.name, p.start, p.end) for p in plan.phases] == [
        ("常态化建设", date(2019, 1, 1), date(2020, 12, 31)),
        ("省合格认定", date(2023, 7, 1), date(2024, 12, 31)),
    ]
    assert [s.title for s in plan.sections] == ["工作要求"]


def test_digits_int_refuses_are_not_numbers():
    """"²" passes str.isdigit() and 5,000 digits pass int()'s limit: neither may fail a plan's upload."""
    assert chinese_number("²") is None
    assert chinese_number("7" * 5000) is None
    assert chinese_number("１２") == 12  # full-width digits, common in Chinese documents


def test_chinese_numbers():
    assert [chinese_number(x) for x in ("两", "十", "十二", "二十五", "一百", "25", "几")] == [
        2,
        10,
        12,
        25,
        100,
        25,
        None,
    ]


@pytest.mark.parametrize("text", ["", "   \n\n  ", seed_text("003_491ed97b97701746.txt"), "随便写几句话，没有编号。"])
def test_empty_or_non_plan_text_gives_a_clear_message(text):
    with pytest.raises(ExtractionError) as info:
        extract_text(text)
    assert info.value.messages[0]


def _docx_bytes(paragraphs, table_rows=()):
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table_rows:
        table = document.add_table(rows=len(table_rows), cols=len(table_rows[0]))
        for r, row in enumerate(table_rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    document.add_paragraph("二、最后一节")
    document.add_paragraph("1.收尾工作不少于3次。")
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    buffer.name = "plan.docx"
    return buffer


def test_docx_paragraphs_and_tables_are_read_in_order():
    f = _docx_bytes(
        ["某某学院关工委2023年工作要点", "一、活动安排", "1.全年宣讲不少于10场。"],
        table_rows=[("项目", "要求"), ("征文", "每年至少一次")],
    )
    plan = extract_docx(f)
    assert plan.title == "某某学院关工委2023年工作要点"
    assert [s.title for s in plan.sections] == ["活动安排", "最后一节"]
    first = plan.sections[0].points[0]
    assert first.targets[0].value == 10
    assert "征文｜每年至少一次" in first.text  # the table row stays with the point above it
    assert plan.sections[1].points[0].targets[0].value == 3


def test_a_docx_without_automatic_lists_reads_the_same():
    from docx.opc.constants import RELATIONSHIP_TYPE

    document = docx.Document()
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype == RELATIONSHIP_TYPE.NUMBERING:
            del document.part.rels[rid]  # as saved by editors that write no numbering part
    for text in ["某某学院关工委2023年工作要点", "一、活动安排", "1.全年宣讲不少于10场。"]:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    buffer.name = "plan.docx"
    plan = extract_docx(buffer)
    assert [s.title for s in plan.sections] == ["活动安排"]
    assert plan.sections[0].points[0].targets[0].value == 10


def test_a_file_that_is_not_a_docx_is_refused():
    with pytest.raises(ValidationError):
        extract_docx(io.BytesIO(b"this is plain text, not a Word file"))


# --- the command line ---------------------------------------------------------


def test_import_plan_json_prints_the_extraction(tree, capsys):
    call_command("import_plan", str(DOCUMENTS / SEED_PLAN_2022), committee="UNI", year=2022, dry_run=True, json=True)
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"title", "doc_number", "issuer", "issued_on", "sections", "phases"}
    assert data["issued_on"] == "2022-03-28"
    assert data["doc_number"] == "锡职院委（2022）13号"
    assert [s["number"] for s in data["sections"]] == ["一", "二", "三", "四", "五", "六"]
    lecture = data["sections"][3]["points"][1]["targets"][0]
    assert lecture == {
        "text": "全年讲师团宣讲不少于25场",
        "comparator": ">=",
        "value": 25,
        "unit": "场",
        "period": "year",
    }
    assert Plan.objects.count() == 0  # dry run


def test_import_plan_creates_a_draft_and_the_programme(tree, capsys):
    call_command("import_plan", str(DOCUMENTS / SEED_PROGRAMME), committee="UNI-ZJ", year=2017)
    plan = Plan.objects.get()
    assert (plan.committee, plan.year, plan.status) == (tree.college, 2017, "draft")
    assert plan.sections.count() == 5
    assert Target.objects.filter(work_point__section__plan=plan).count() == 13
    programme = Programme.objects.get()
    assert [p.name for p in programme.phases.all()] == ["创建阶段", "巩固提高"]
    kinds = list(Milestone.objects.filter(programme=programme).values_list("due_on__year", "kind"))
    assert (2018, "mid_term") in kinds and (2019, "acceptance") in kinds and (2021, "self_check") in kinds
    assert "Created draft plan" in capsys.readouterr().out


def test_import_plan_with_json_and_no_dry_run_prints_only_json(tree, capsys):
    call_command("import_plan", str(DOCUMENTS / SEED_PLAN_2022), committee="UNI", year=2022, json=True)
    json.loads(capsys.readouterr().out)
    assert Plan.objects.count() == 1


def test_import_plan_refuses_a_non_plan_and_creates_nothing(tree, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(CommandError, match="文档是空的"):
        call_command("import_plan", str(empty), committee="UNI", year=2022)
    with pytest.raises(CommandError):
        call_command("import_plan", str(DOCUMENTS / "003_491ed97b97701746.txt"), committee="UNI", year=2022)
    with pytest.raises(CommandError, match="No committee"):
        call_command("import_plan", str(DOCUMENTS / SEED_PLAN_2022), committee="NOPE", year=2022)
    assert Plan.objects.count() == 0


def test_seed_2022_balanced_share_is_wired_to_the_colleges_reaching_the_gate(plan_2022):
    share = plan_2022.sections[2].points[0].targets[0]
    assert share.text.startswith("本年度90%二级学院关工委达到“均衡发展”要求")
    assert share.metric == "subcommittee_share"
    assert share.params == {"metric": "gate_reached", "params": {}, "comparator": ">=", "value": "1"}
