"""Pages of the plans app. Every lookup goes through orgs.scoping (via plans.selectors).

Who may do what:
- see a plan: its committee's subtree (drafts too); committees below see it once
  published, with only the points they own;
- import, edit, correct targets, assign points: EDIT on the plan's committee;
- publish: EDIT (the office secretary) or APPROVE (a leader) on the plan's committee;
- hand in programme deliverables: EDIT on the participating committee;
- accept or return deliverables, set a participant's status: APPROVE or REVIEW
  on the programme's committee.
"""

from plans.views.common import stored_figures
from plans.views.deliverables import deliverable_download, deliverable_review, deliverable_upload
from plans.views.plans import (
    index,
    plan_delete,
    plan_delete_confirm,
    plan_detail,
    plan_edit,
    plan_export,
    plan_publish,
    plan_publish_confirm,
    plan_source,
    plan_upload,
)
from plans.views.programmes import (
    milestone_add,
    milestone_delete,
    milestone_delete_confirm,
    milestone_edit,
    participant_add,
    participant_remove,
    participant_remove_confirm,
    participant_status,
    phase_add,
    phase_delete,
    phase_delete_confirm,
    phase_edit,
    programme_create,
    programme_delete,
    programme_delete_confirm,
    programme_detail,
    programme_edit,
    programme_manage,
)
from plans.views.review import plan_targets, target_confirm
from plans.views.targets import (
    MAX_RECORDS_SHOWN,
    plan_url,
    point_edit,
    target_add,
    target_delete,
    target_delete_confirm,
    target_detail,
    target_edit,
)

__all__ = [
    "MAX_RECORDS_SHOWN",
    "deliverable_download",
    "deliverable_review",
    "deliverable_upload",
    "index",
    "milestone_add",
    "milestone_delete",
    "milestone_delete_confirm",
    "milestone_edit",
    "participant_add",
    "participant_remove",
    "participant_remove_confirm",
    "participant_status",
    "phase_add",
    "phase_delete",
    "phase_delete_confirm",
    "phase_edit",
    "plan_delete",
    "plan_delete_confirm",
    "plan_publish_confirm",
    "plan_detail",
    "plan_edit",
    "plan_export",
    "plan_publish",
    "plan_source",
    "plan_targets",
    "plan_upload",
    "plan_url",
    "point_edit",
    "programme_create",
    "programme_delete",
    "programme_delete_confirm",
    "programme_detail",
    "programme_edit",
    "programme_manage",
    "stored_figures",
    "target_add",
    "target_confirm",
    "target_delete",
    "target_delete_confirm",
    "target_detail",
    "target_edit",
]
