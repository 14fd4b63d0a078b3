import datetime as dt

import time_machine

from activities.models import Activity, Donation, NewsReport
from demo import activities as demo
from demo import orgs as orgs_demo

# Early in 2023: the demo holds 2022 and the first weeks of 2023, and nothing later.
TODAY = dt.datetime(2023, 3, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@time_machine.travel(TODAY)
def test_demo_seed_builds_a_year_of_records_once_and_nothing_in_the_future(db):
    orgs_demo.seed()
    made = demo.seed()
    assert made["activities"] > 500
    lectures_2022 = Activity.objects.filter(committee__code="WXIT", kind__code="lecture", held_on__year=2022)
    assert lectures_2022.count() >= 25
    talks = Activity.objects.filter(committee__code="GZUCM-ZJ", kind__code="party_talk", held_on__year=2022)
    assert talks.exists() and all(t.students_talked >= 1 for t in talks)
    assert all(t.participants.count() == 1 for t in talks[:5])
    assert Activity.objects.filter(held_on__gt=dt.date(2023, 3, 20)).count() == 0
    assert NewsReport.objects.filter(photos__isnull=False).exists()
    assert Donation.objects.filter(committee__code="GZUCM-ZJ", donor_person__isnull=False).exists()
    counts = (Activity.objects.count(), Donation.objects.count(), NewsReport.objects.count())
    assert not demo.seed()  # a second run adds nothing
    assert (Activity.objects.count(), Donation.objects.count(), NewsReport.objects.count()) == counts
