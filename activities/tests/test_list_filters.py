"""The committee and person boxes of the list filters, and the suggestions that feed them.

A secretary types part of a name (or a code); with JavaScript the box suggests names from her scope, without
it the server matches the words. Either way an id or a name from outside her scope finds nothing.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities import services
from orgs.models import AuditEvent, CommitteeKind
from orgs.services import committee_create, person_create

LIST = "activities:index"


def body(response):
    assert response.status_code == 200
    return response.content.decode()


def suggestions(client, kind, text):
    response = client.get(reverse(f"activities:lookup_{kind}"), {"q": text})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return [row["label"] for row in response.json()["results"]]


@pytest.fixture
def station_activity(make_activity, tree):
    return make_activity(title="辅导站读书会", committee=tree.college_station, held_on=dt.date(2022, 5, 1))


@pytest.fixture
def two_activities(college_activity, station_activity, sibling_activity):
    """红色故事进课堂 (college), 辅导站读书会 (its station), 基础医学院报告会 (the sibling college)."""


# Suggestions


def test_suggestions_need_a_login(client_for):
    for kind in ("committees", "people"):
        response = client_for(None).get(reverse(f"activities:lookup_{kind}"), {"q": "针灸"})
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


def test_suggestions_answer_only_get(client_for):
    assert client_for("sec_college").post(reverse("activities:lookup_committees"), {"q": "针灸"}).status_code == 405


def test_committee_suggestions_come_from_the_users_scope(client_for, tree):
    assert suggestions(client_for("sec_college"), "committees", "针灸") == [
        "针灸康复学院（UNI-ZJ）",
        "针灸学院校外辅导站（UNI-ZJ-ST）",
    ]
    assert suggestions(client_for("sec_sibling"), "committees", "针灸") == []
    assert suggestions(client_for("sec_sibling"), "committees", "UNI-ZJ") == []
    assert suggestions(client_for("sec_sibling"), "committees", "医学院") == ["基础医学院关工分委（UNI-JC）"]


def test_committee_suggestions_match_codes_and_put_the_exact_match_first(client_for, tree):
    leader = client_for("leader")
    assert suggestions(leader, "committees", "uni-zj")[0] == "针灸康复学院（UNI-ZJ）"
    assert suggestions(leader, "committees", "UNI-ZJ-ST") == ["针灸学院校外辅导站（UNI-ZJ-ST）"]
    assert "清江浦区关工委（QJP）" not in suggestions(leader, "committees", "关工委")


def test_person_suggestions_come_from_the_users_scope(client_for, people):
    assert suggestions(client_for("sec_college"), "people", "老师") == ["张老师（针灸康复学院）"]
    assert suggestions(client_for("sec_sibling"), "people", "老师") == ["孙老师（基础医学院关工分委）"]
    assert suggestions(client_for("sec_sibling"), "people", "张") == []


def test_empty_or_hostile_text_suggests_nothing_and_never_fails(client_for, people):
    client = client_for("sec_college")
    assert suggestions(client, "committees", "") == []
    assert suggestions(client, "people", "   ") == []
    assert suggestions(client, "committees", "针" * 32000) == []
    assert suggestions(client, "people", "%_\\'\"<script>") == []


def test_suggestions_stop_at_twenty_in_a_fixed_number_of_queries(client_for, tree, django_assert_num_queries):
    client = client_for("sec_college")
    suggestions(client, "committees", "辅导站")  # warm the session
    for i in range(30):
        committee = committee_create(
            parent=tree.college, name=f"第{i}辅导站", code=f"UNI-ZJ-{i}", kind=CommitteeKind.STATION
        )
        person_create(committee=committee, name=f"辅导员{i}")
    # session, user, grants, the matches
    with django_assert_num_queries(4):
        assert len(suggestions(client, "committees", "辅导站")) == 20
    with django_assert_num_queries(4):
        found = suggestions(client, "people", "辅导员")
    assert len(found) == 20
    assert found[0] == "辅导员0（第0辅导站）"


# The list filter: words typed, labels picked, ids from links


def test_typing_a_committee_name_lists_its_activities_and_those_below_it(client_for, two_activities):
    page = body(client_for("leader").get(reverse(LIST), {"committee": "针灸康复学院"}))
    assert "红色故事进课堂" in page
    assert "辅导站读书会" in page
    assert "基础医学院报告会" not in page
    assert 'value="针灸康复学院（UNI-ZJ）"' in page  # the box names what was found


@pytest.mark.parametrize("typed", ["UNI-ZJ-ST", "uni-zj-st", "针灸学院校外辅导站（UNI-ZJ-ST）", "校外辅导站"])
def test_a_code_a_suggested_label_or_part_of_a_name_finds_one_committee(client_for, two_activities, typed):
    page = body(client_for("sec_college").get(reverse(LIST), {"committee": typed}))
    assert "辅导站读书会" in page
    assert "红色故事进课堂" not in page


def test_a_committee_id_from_a_link_shows_its_name_in_the_box(client_for, two_activities, tree):
    page = body(client_for("sec_college").get(reverse(LIST), {"committee": tree.college_station.pk}))
    assert "辅导站读书会" in page
    assert "红色故事进课堂" not in page
    assert 'value="针灸学院校外辅导站（UNI-ZJ-ST）"' in page


def test_several_matching_committees_are_offered_as_links(client_for, two_activities, tree):
    client = client_for("leader")
    page = body(client.get(reverse(LIST), {"committee": "医学院", "q": "报告", "page": "2"}))
    assert "红色故事进课堂" not in page  # nothing is listed until one is chosen
    assert "多个委员会" in page
    links = dict((label, href) for href, label in re.findall(r'<li><a href="(\?[^"]*)">([^<]*)</a></li>', page))
    assert set(links) == {"针灸康复学院（UNI-ZJ）", "基础医学院关工分委（UNI-JC）"}
    chosen = links["基础医学院关工分委（UNI-JC）"].replace("&amp;", "&")
    assert sorted(chosen[1:].split("&")) == [f"committee={tree.sibling.pk}", "q=%E6%8A%A5%E5%91%8A"]  # no page
    page = body(client.get(reverse(LIST) + chosen))
    assert "基础医学院报告会" in page
    assert 'value="基础医学院关工分委（UNI-JC）"' in page
    assert not AuditEvent.objects.filter(action="denied").exists()


def test_a_name_outside_the_scope_finds_nothing_and_is_not_a_probe(client_for, two_activities):
    page = body(client_for("sec_sibling").get(reverse(LIST), {"committee": "针灸"}))
    assert "红色故事进课堂" not in page
    assert "针灸康复学院" not in page
    assert 'class="error"' in page
    assert not AuditEvent.objects.filter(action="denied").exists()


@pytest.mark.parametrize("value", ["999999", "99999999999999999999", "-1", "1.5", "²", "１２"])
def test_unknown_ids_and_odd_text_are_form_errors_not_failures(client_for, two_activities, value):
    client = client_for("sec_college")
    page = body(client.get(reverse(LIST), {"committee": value, "person": value}))
    assert "红色故事进课堂" not in page
    assert 'class="error"' in page
    assert "红色故事进课堂" in body(client.get(reverse(LIST), {"saved": value}))


def test_a_foreign_person_id_is_an_error_not_a_leak(client_for, make_activity, people, tree):
    make_activity(title="孙老师宣讲", committee=tree.sibling, participants=[people.foreign])
    page = body(client_for("sec_college").get(reverse(LIST), {"person": people.foreign.pk}))
    assert "孙老师" not in page
    assert 'class="error"' in page


def test_typing_a_persons_name_lists_what_they_took_part_in(client_for, make_activity, people):
    make_activity(title="宣讲一", participants=[people.zhang])
    make_activity(title="谈心二", participants=[people.li])
    client = client_for("sec_college")
    for typed in ("张老师", "张", "张老师（针灸康复学院）", str(people.zhang.pk)):
        page = body(client.get(reverse(LIST), {"person": typed}))
        assert "宣讲一" in page, typed
        assert "谈心二" not in page, typed
        assert 'value="张老师（针灸康复学院）"' in page, typed


def test_two_people_with_one_name_are_offered_as_links(client_for, make_activity, people, tree):
    namesake = person_create(committee=tree.college_station, name="张老师")
    make_activity(title="辅导站宣讲", committee=tree.college_station, participants=[namesake])
    client = client_for("sec_college")
    page = body(client.get(reverse(LIST), {"person": "张老师"}))
    assert "辅导站宣讲" not in page
    assert f'href="?person={namesake.pk}"' in page
    assert "张老师（针灸学院校外辅导站）" in page
    assert "辅导站宣讲" in body(client.get(reverse(LIST), {"person": "张老师（针灸学院校外辅导站）"}))


def test_the_filter_box_lists_no_committees_or_people(client_for, tree, people):
    page = body(client_for("leader").get(reverse(LIST)))
    assert '<select name="committee"' not in page
    assert '<select name="person"' not in page
    for name in ("针灸学院校外辅导站", "基础医学院关工分委", "张老师", "孙老师"):
        assert name not in page
    assert 'list="id_committee-suggestions"' in page
    assert '<datalist id="id_committee-suggestions"></datalist>' in page
    assert reverse("activities:lookup_committees") in page
    assert "activities/lookup" in page  # the script, from a static file (the CSP forbids inline scripts)


def test_the_list_query_count_does_not_grow_with_committees_and_people_in_scope(client_for, tree, people):
    client = client_for("sec_college")
    url = reverse(LIST)
    client.get(url)

    def queries(**params):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, params).status_code == 200
        return len(ctx.captured_queries)

    before = queries(), queries(committee=tree.college.pk, person=people.zhang.pk)
    for i in range(40):
        committee = committee_create(parent=tree.college, name=f"站{i}", code=f"ZJ-S{i}", kind=CommitteeKind.STATION)
        person_create(committee=committee, name=f"老师{i}")
    assert (queries(), queries(committee=tree.college.pk, person=people.zhang.pk)) == before


def test_export_follows_a_typed_committee_and_refuses_a_foreign_id(client_for, two_activities, tree):
    from activities.tests.test_excel import sheet_of

    rows = list(
        sheet_of(client_for("leader").get(reverse("activities:export"), {"committee": "校外辅导站"})).iter_rows(
            values_only=True
        )
    )
    assert [r[3] for r in rows[1:]] == ["辅导站读书会"]
    assert (
        client_for("sec_sibling").get(reverse("activities:export"), {"committee": tree.college.pk}).status_code == 404
    )
    assert AuditEvent.objects.filter(action="denied", username="sec_sibling").exists()
    # Words that match nothing send the user back to the list with the message, as other bad filters do.
    response = client_for("sec_sibling").get(reverse("activities:export"), {"committee": "针灸"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="denied", username="sec_sibling").count() == 1


# Donations and news share the committee box


def test_donation_and_news_lists_take_a_typed_committee(client_for, tree, personas):
    for committee, donor, title in ((tree.college, "张老师", "针灸学院动态"), (tree.sibling, "孙老师", "基础学院动态")):
        services.donation_save(
            committee=committee,
            donor_name=donor,
            amount=Decimal(50),
            donated_on=dt.date(2022, 1, 1),
            by=personas["admin"],
        )
        services.news_save(
            committee=committee, title=title, published_on=dt.date(2022, 1, 1), outlet="网站", by=personas["admin"]
        )
    client = client_for("leader")
    donations = body(client.get(reverse("activities:donation_list"), {"committee": "UNI-JC"}))
    assert "孙老师" in donations
    assert "张老师" not in donations
    news = body(client.get(reverse("activities:news_list"), {"committee": "针灸康复"}))
    assert "针灸学院动态" in news
    assert "基础学院动态" not in news
    outsider = body(client_for("sec_sibling").get(reverse("activities:news_list"), {"committee": tree.college.pk}))
    assert "针灸学院动态" not in outsider
    assert 'class="error"' in outsider


def test_the_filtered_list_takes_a_fixed_number_of_queries(
    client_for, make_activity, kinds, people, tree, django_assert_num_queries
):
    for i in range(30):
        make_activity(title=f"活动{i}", kind=kinds.lecture, participants=[people.zhang], held_on=dt.date(2022, 1, 1))
    client = client_for("sec_college")
    client.get(reverse(LIST))
    params = {"kind": kinds.lecture.pk, "committee": tree.college.pk, "person": people.zhang.pk, "page": 2}
    # session, user, grants, kinds, the committee, the person, whether the scope and the committee's
    # subtree are small enough to hand over as arrays of ids (one bounded index read each), count,
    # unread notifications, rows
    with django_assert_num_queries(11):
        page = body(client.get(reverse(LIST), params))
    assert "活动4" in page


@pytest.mark.parametrize("array_limit", [0, 5000])
def test_small_and_large_scopes_list_the_same_activities(client_for, two_activities, tree, monkeypatch, array_limit):
    """Small scopes and subtrees reach PostgreSQL as arrays of committee ids, large ones as a join: same rows."""
    from activities import selectors

    monkeypatch.setattr(selectors, "ID_ARRAY_LIMIT", array_limit)

    def titles(persona, **params):
        page = body(client_for(persona).get(reverse(LIST), params))
        return [t for t in ("红色故事进课堂", "辅导站读书会", "基础医学院报告会") if t in page]

    assert titles("sec_college") == ["红色故事进课堂", "辅导站读书会"]
    assert titles("sec_sibling") == ["基础医学院报告会"]
    assert titles("leader") == ["红色故事进课堂", "辅导站读书会", "基础医学院报告会"]
    assert titles("leader", committee=tree.college_station.pk) == ["辅导站读书会"]
    assert titles("admin", committee=tree.college.pk) == ["红色故事进课堂", "辅导站读书会"]
    assert titles("sec_sibling", committee=tree.sibling.pk) == ["基础医学院报告会"]


def test_pages_keep_the_newest_first_order(client_for, make_activity):
    for day in range(1, 31):
        make_activity(title=f"第{day:02d}天", held_on=dt.date(2022, 1, day))
    page = body(client_for("sec_college").get(reverse(LIST), {"page": 2}))
    shown = re.findall(r">(第\d\d天)</a>", page)
    assert shown == ["第05天", "第04天", "第03天", "第02天", "第01天"]
