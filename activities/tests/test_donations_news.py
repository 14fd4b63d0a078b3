import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from activities import services
from activities.models import Donation, NewsPhoto, NewsReport
from activities.tests.conftest import png_upload
from activities.tests.test_activity_views import statuses
from orgs.models import AuditEvent


def test_donation_pages_matrix(client_for, donation):
    assert statuses(client_for, "get", reverse("activities:donation_list")) == [302, 200, 200, 200, 200, 200]
    assert statuses(client_for, "get", reverse("activities:donation_create")) == [302, 200, 200, 403, 403, 200]
    edit = reverse("activities:donation_edit", args=[donation.pk])
    assert statuses(client_for, "get", edit) == [302, 404, 200, 403, 403, 200]
    delete = reverse("activities:donation_delete", args=[donation.pk])
    assert statuses(client_for, "get", delete) == [302, 405, 405, 405, 405, 405]
    assert statuses(client_for, "post", delete, personas=[None, "sec_sibling", "leader", "reviewer"]) == [
        302,
        404,
        403,
        403,
    ]
    assert client_for("sec_college").post(delete).status_code == 302
    assert not Donation.objects.exists()
    assert Donation.history.filter(history_type="-").count() == 1  # recoverable from its history


def test_news_pages_matrix(client_for, report):
    photo = report.photos.get()
    assert statuses(client_for, "get", reverse("activities:news_list")) == [302, 200, 200, 200, 200, 200]
    assert statuses(client_for, "get", reverse("activities:news_create")) == [302, 200, 200, 403, 403, 200]
    for name, arg in (("news_detail", report.pk), ("news_photo", photo.pk), ("news_photo_thumbnail", photo.pk)):
        assert statuses(client_for, "get", reverse(f"activities:{name}", args=[arg])) == [302, 404, 200, 200, 200, 200]
    assert statuses(client_for, "get", reverse("activities:news_edit", args=[report.pk])) == [
        302,
        404,
        200,
        403,
        403,
        200,
    ]
    for name, arg in (("news_delete", report.pk), ("news_photo_delete", photo.pk)):
        url = reverse(f"activities:{name}", args=[arg])
        assert statuses(client_for, "get", url) == [302, 405, 405, 405, 405, 405]
        assert statuses(client_for, "post", url, personas=[None, "sec_sibling", "leader", "reviewer"]) == [
            302,
            404,
            403,
            403,
        ]
    assert NewsReport.objects.filter(pk=report.pk).exists()


def test_secretary_records_a_donation(client_for, tree, people):
    response = client_for("sec_college").post(
        reverse("activities:donation_create"),
        {
            "committee": tree.college.pk,
            "donor_kind": "person",
            "donor_name": "李主任",
            "donor_person": people.li.pk,
            "amount": "120",
            "donated_on": "2023-01-05",
            "purpose": "每人每月十元",
        },
    )
    assert response.status_code == 302
    donation = Donation.objects.get()
    assert (donation.amount, donation.donor_person, donation.created_by.username) == (
        Decimal("120.00"),
        people.li,
        "sec_college",
    )


@pytest.mark.parametrize("amount", ["0", "-5", "abc"])
def test_a_donation_must_be_a_positive_amount(client_for, tree, amount):
    response = client_for("sec_college").post(
        reverse("activities:donation_create"),
        {
            "committee": tree.college.pk,
            "donor_kind": "unit",
            "donor_name": "工会",
            "amount": amount,
            "donated_on": "2023-01-05",
        },
    )
    assert response.status_code == 200
    assert 'value="工会"' in response.content.decode()
    assert not Donation.objects.exists()


def test_a_donor_from_another_committee_is_refused(client_for, tree, people):
    response = client_for("sec_college").post(
        reverse("activities:donation_create"),
        {
            "committee": tree.college.pk,
            "donor_kind": "person",
            "donor_name": "孙老师",
            "donor_person": people.foreign.pk,
            "amount": "100",
            "donated_on": "2023-01-05",
        },
    )
    assert response.status_code == 200
    assert not Donation.objects.exists()


def test_secretary_records_a_news_report_with_two_photos(client_for, tree):
    response = client_for("sec_college").post(
        reverse("activities:news_create"),
        {
            "committee": tree.college.pk,
            "title": "五老走进课堂",
            "published_on": "2023-03-10",
            "outlet": "学校关工网站",
            "outlet_level": "school",
            "link": "https://example.edu.cn/news/1",
            "photos": [png_upload("a.png"), png_upload("b.png")],
        },
    )
    assert response.status_code == 302
    report = NewsReport.objects.get()
    assert report.photos.count() == 2
    page = client_for("leader").get(reverse("activities:news_list")).content.decode()
    assert "五老走进课堂" in page


def test_outsider_sees_no_donations_or_news_of_another_college(client_for, donation, report, tree):
    client = client_for("sec_sibling")
    assert "张老师" not in client.get(reverse("activities:donation_list")).content.decode()
    assert "关工分委召开全委会" not in client.get(reverse("activities:news_list")).content.decode()
    for name in ("donation_export", "news_export"):
        response = client.get(reverse(f"activities:{name}"), {"committee": tree.college.pk})
        assert response.status_code == 404
    assert AuditEvent.objects.filter(action="denied", username="sec_sibling").count() == 2


def test_news_export_counts_photos_and_escapes_formulas(client_for, report, tree, personas):
    services.news_save(
        committee=tree.college,
        title="=cmd|'/c calc'!A1",
        published_on=dt.date(2022, 5, 1),
        outlet="@外部网站",
        outlet_level="city",
        by=personas["sec_college"],
    )
    response = client_for("sec_college").get(reverse("activities:news_export"))
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    by_title = {r[2]: r for r in rows[1:]}
    assert by_title["关工分委召开全委会"][7] == 1
    assert by_title["'=cmd|'/c calc'!A1"][4] == "'@外部网站"


def test_deleting_a_news_photo_removes_it(client_for, report):
    photo = report.photos.get()
    response = client_for("sec_college").post(reverse("activities:news_photo_delete", args=[photo.pk]))
    assert response.status_code == 302
    assert not NewsPhoto.objects.exists()


@pytest.mark.parametrize("url_name", ["activities:donation_list", "activities:news_list"])
def test_record_lists_keep_a_fixed_number_of_queries(client_for, tree, personas, people, url_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n):
        for i in range(n):
            services.donation_save(
                committee=tree.college, donor_name=f"捐款人{i}", amount=Decimal(10), donated_on=dt.date(2022, 1, 1)
            )
            services.news_save(
                committee=tree.college, title=f"报道{i}", published_on=dt.date(2022, 1, 1), outlet="网站"
            )

    client = client_for("sec_college")
    client.get(reverse(url_name))
    add(3)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(url_name))
    add(20)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse(url_name))
    assert len(few) == len(many) <= 10


def test_pages_of_records_saved_by_nobody_in_particular_still_open(client_for, tree, kinds):
    """Rows written by commands or seeds (or whose author was deleted) have history without a user."""
    activity = services.activity_create(committee=tree.college, kind=kinds.lecture, title="导入的活动", by=None)
    report = services.news_save(
        committee=tree.college, title="导入的简讯", published_on=dt.date(2022, 3, 1), outlet="校报", by=None
    )
    for url in (reverse("activities:detail", args=[activity.pk]), reverse("activities:news_detail", args=[report.pk])):
        response = client_for("sec_college").get(url)
        assert response.status_code == 200
        assert "某用户" in response.content.decode()
