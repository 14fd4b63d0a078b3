"""Pages of the committee tree, people, member units, groupings (片) and Excel transfers.

Every lookup goes through orgs.scoping.
"""

from orgs.views.committees import (
    committee_create,
    committee_detail,
    committee_edit,
    committee_move,
    committee_tree,
)
from orgs.views.excel import (
    committee_export,
    committee_import,
    committee_import_template,
    people_import,
    people_import_template,
)
from orgs.views.groupings import grouping_create, grouping_detail, grouping_edit, grouping_list
from orgs.views.people import (
    membership_add,
    membership_remove,
    membership_remove_confirm,
    people_export,
    people_list,
    person_create,
    person_detail,
    person_edit,
    wulao_registry,
)
from orgs.views.units import unit_create, unit_delete, unit_delete_confirm, unit_edit

__all__ = [
    "committee_create",
    "committee_detail",
    "committee_edit",
    "committee_export",
    "committee_import",
    "committee_import_template",
    "committee_move",
    "committee_tree",
    "grouping_create",
    "grouping_detail",
    "grouping_edit",
    "grouping_list",
    "membership_add",
    "membership_remove",
    "membership_remove_confirm",
    "people_export",
    "people_import",
    "people_import_template",
    "people_list",
    "person_create",
    "person_detail",
    "person_edit",
    "unit_create",
    "unit_delete",
    "unit_delete_confirm",
    "unit_edit",
    "wulao_registry",
]
