"""Who sees which evaluation: scope for committees, assignments for reviewers."""

from assessments import selectors, services
from orgs.models import GrantRole
from orgs.services import grant_access, grouping_save


def names(qs):
    return sorted(e.committee.code for e in qs)


def test_secretary_sees_only_their_own_committees_evaluation(round_, personas):
    assert names(selectors.evaluations_for(personas["sec_college"])) == ["UNI-ZJ"]
    assert names(selectors.evaluations_for(personas["sec_sibling"])) == ["UNI-JC"]


def test_leader_and_admin_see_every_evaluation_in_their_subtree(round_, personas):
    assert names(selectors.evaluations_for(personas["leader"])) == ["UNI-JC", "UNI-ZJ"]
    assert names(selectors.evaluations_for(personas["admin"])) == ["UNI-JC", "UNI-ZJ"]


def test_reviewer_sees_nothing_until_assigned_despite_a_province_wide_grant(round_, personas, college_eval):
    reviewer = personas["reviewer"]
    assert names(selectors.evaluations_for(reviewer)) == []
    services.assignment_add(evaluation=college_eval, user=reviewer)
    assert names(selectors.evaluations_for(reviewer)) == ["UNI-ZJ"]
    assert names(selectors.evaluations_to_review(reviewer)) == ["UNI-ZJ"]


def test_lead_school_reviewers_review_the_members_of_their_grouping(round_, tree, personas, django_user_model):
    # 片: the sibling college leads a grouping that contains the college. Its reviewer has no grant on the college.
    lead_reviewer = django_user_model.objects.create_user(username="pian_lead")
    grant_access(user=lead_reviewer, committee=tree.sibling, role=GrantRole.REVIEWER)
    grouping = grouping_save(name="第十片", lead=tree.sibling, members=[tree.college, tree.sibling])
    panel = services.assign_grouping(round_=round_, grouping=grouping, by=personas["admin"])
    assert list(panel.members.all()) == [lead_reviewer]
    assert names(selectors.evaluations_for(lead_reviewer)) == ["UNI-ZJ"]  # members, not the lead itself


def test_queries_do_not_grow_with_assignments(
    round_, personas, college_eval, sibling_eval, django_assert_max_num_queries
):
    reviewer = personas["reviewer"]
    services.assignment_add(evaluation=college_eval, user=reviewer)
    services.assignment_add(evaluation=sibling_eval, user=reviewer)
    with django_assert_max_num_queries(2):
        assert len(list(selectors.evaluations_for(reviewer))) == 2
