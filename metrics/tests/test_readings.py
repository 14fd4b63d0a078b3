"""The one reading of a goal: its words, its percent and its colour never contradict each other."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import translation

from metrics.readings import read_applies, read_count, read_own, read_share
from metrics.results import MetricResult, ratio


@dataclass
class Goal:
    comparator: str = ">="
    value: Decimal = Decimal(20)
    unit: str = "次"


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def test_a_figure_just_short_of_its_goal_never_reads_100_percent():
    reading = read_own(Goal(value=Decimal(200)), MetricResult(Decimal(199)), elapsed=1.0)
    assert not reading.met and reading.percent == 99
    assert reading.line == "目前 199次，目标 ≥ 200次：已完成 99%"
    assert reading.status == "warn" and reading.left == 1


def test_a_met_goal_reads_reached_and_green_whatever_the_time():
    reading = read_own(Goal(), MetricResult(Decimal(20)), elapsed=0.1)
    assert (reading.met, reading.percent, reading.status) == (True, 100, "ok")
    assert reading.line == "目前 20次，目标 ≥ 20次：已达到"
    assert str(reading.html) == "目前 <strong>20</strong>次，目标 ≥ 20次：已达到"


def test_a_college_part_of_the_university_goal_says_what_it_is_compared_with():
    # 20 activities for the university, 12 colleges: each college's even share is 20/12.
    short = read_share(Goal(), MetricResult(Decimal(1)), parts=12, whose="广中医", elapsed=0.9)
    assert short.line == "本级 1次，计入广中医目标 ≥ 20次；按 12 个下级平均，每个 ≥ 1.67次：已完成 60%"
    assert (short.met, short.percent, short.left, short.compared_with) == (False, 60, 1, "≥ 1.67次")
    enough = read_share(Goal(), MetricResult(Decimal(2)), parts=12, whose="广中医", elapsed=0.9)
    assert enough.met and enough.percent == 100 and "已达到" in enough.line
    # Exact: 5 of 3 parts of 15 is exactly the share, with no rounding of 15/3 needed; 4.99 is short.
    assert read_share(Goal(value=Decimal(15)), MetricResult(Decimal(5)), parts=3, whose="x", elapsed=1).met
    assert not read_share(Goal(value=Decimal(15)), MetricResult(Decimal("4.99")), parts=3, whose="x", elapsed=1).met


def test_once_the_whole_has_reached_it_every_part_has():
    reading = read_share(Goal(), MetricResult(Decimal(0)), parts=12, whose="广中医", elapsed=0.5, whole_met=True)
    assert reading.met and reading.status == "ok"
    assert reading.line == "本级 0次，计入广中医目标 ≥ 20次：广中医整体已达到"


def test_each_sub_committee_goals_read_as_a_count_above_and_as_the_goal_below():
    above = read_count(Goal(value=Decimal(1)), reached=1, total=12, elapsed=0.9)
    assert above.line == "12 个下级中 1 个达到 ≥ 1次：已完成 8%" and above.status == "bad" and not above.met
    below = read_applies(Goal(value=Decimal(1)), MetricResult(Decimal(1)), whose="广中医", each=True, elapsed=0.9)
    assert below.line == "目前 1次，广中医要求每个下级 ≥ 1次：已达到" and below.percent == 100


def test_a_rate_is_compared_exactly_and_an_upper_limit_not_kept_is_red():
    rate = read_own(Goal(value=Decimal(90), unit="%"), ratio(899, 1000), elapsed=0.2)
    assert rate.line == "目前 89.9%，目标 ≥ 90%：已完成 99%" and not rate.met
    limit = read_own(Goal(comparator="<=", value=Decimal(2)), MetricResult(Decimal(3)), elapsed=0.1)
    assert limit.status == "bad" and limit.percent == 0 and limit.line == "目前 3次，目标 ≤ 2次：未达到"


def test_time_decides_amber_and_red_for_a_goal_not_yet_met():
    half = MetricResult(Decimal(10))
    assert read_own(Goal(), half, elapsed=0.5).status == "ok"  # on track pro rata
    assert read_own(Goal(), half, elapsed=0.8).status == "warn"
    assert read_own(Goal(), half, elapsed=1.0).status == "warn"
    assert read_own(Goal(), MetricResult(Decimal(4)), elapsed=1.0).status == "bad"
