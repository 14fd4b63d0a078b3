"""Very long text and rare characters in the main web forms: a clear message or a clean save, never a 500."""

import pytest
from django.urls import reverse

from activities.models import Activity
from activities.tests.test_activity_views import entry_data
from orgs.models import Committee, Person

LONG = "长" * 32_768
RARE = "𡃁仔宣讲：𠀀𪚥"


@pytest.mark.parametrize("field", ["title", "place", "summary"])
def test_a_32k_character_activity_field_is_refused_or_kept_whole(client_for, tree, kinds, field):
    response = client_for("sec_college").post(reverse("activities:create"), entry_data(tree, kinds, **{field: LONG}))
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert not Activity.objects.exists()
        assert "最多" in response.content.decode() or "字符" in response.content.decode()
    else:
        assert len(getattr(Activity.objects.get(), field)) == len(LONG)


def test_rare_characters_survive_an_activity_round_trip(client_for, tree, kinds):
    client = client_for("sec_college")
    assert client.post(reverse("activities:create"), entry_data(tree, kinds, title=RARE)).status_code == 302
    activity = Activity.objects.get()
    assert activity.title == RARE
    assert RARE in client.get(reverse("activities:detail", args=[activity.pk])).content.decode()


def test_a_32k_character_person_name_is_refused_with_a_message(client_for, tree):
    response = client_for("sec_college").post(
        reverse("orgs:person_create"), {"committee": tree.college.pk, "name": LONG, "gender": ""}
    )
    assert response.status_code == 200
    assert not Person.objects.filter(committee=tree.college).exists()


def test_a_32k_character_committee_name_is_refused_with_a_message(client_for, tree):
    response = client_for("admin").post(
        reverse("orgs:committee_create"),
        {"parent": tree.college.pk, "name": LONG, "code": "UNI-ZJ-L", "kind": "station"},
    )
    assert response.status_code == 200
    assert not Committee.objects.filter(code="UNI-ZJ-L").exists()


@pytest.mark.parametrize(
    ("persona", "url_name", "args"),
    [
        ("sec_college", "activities:create", ()),
        ("sec_college", "activities:donation_create", ()),
        ("sec_college", "orgs:person_create", ()),
        ("admin", "orgs:committee_create", ()),
    ],
)
def test_a_form_sent_with_every_field_empty_says_what_is_missing(client_for, tree, kinds, persona, url_name, args):
    response = client_for(persona).post(reverse(url_name, args=args), {})
    assert response.status_code == 200
    assert "有些内容需要修改" in response.content.decode()  # not the blank form again, as if nothing was sent
