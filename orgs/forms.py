from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from orgs.models import Committee
from orgs.services import check_move

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
    _("Use letters, digits, dashes and underscores only, e.g. GZUCM-ZJ."),
)


class CommitteeForm(forms.ModelForm):
    """Details of a committee. Name, code and kind are only for administrators."""

    class Meta:
        model = Committee
        fields = [
            "name",
            "short_name",
            "code",
            "kind",
            "students",
            "retirees",
            "staff",
            "office",
            "contact_name",
            "contact_phone",
        ]

    def __init__(self, *args: Any, can_rename: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].validators.append(code_validator)
        if not can_rename:
            for name in ("name", "short_name", "code", "kind"):
                self.fields[name].disabled = True


class CommitteeMoveForm(forms.Form):
    new_parent = forms.ModelChoiceField(
        label=_("New parent committee"),
        queryset=Committee.objects.none(),
        empty_label=None,
    )

    def __init__(self, *args: Any, committee: Committee, targets: Any, **kwargs: Any) -> None:
        """`targets`: every committee the user manages. The list offered leaves out
        the committee's own subtree; posting one of those anyway gets a clear refusal."""
        super().__init__(*args, **kwargs)
        self.committee = committee
        field = self.fields["new_parent"]
        field.queryset = targets
        own_subtree = {"tree_id": committee.tree_id, "lft__gte": committee.lft, "rght__lte": committee.rght}
        field.widget.choices = [
            (c.pk, f"{'　' * c.level}{c.name}（{c.code}）")
            for c in targets.exclude(**own_subtree).order_by("tree_id", "lft")
        ]

    def clean_new_parent(self) -> Committee:
        new_parent = self.cleaned_data["new_parent"]
        try:
            check_move(committee=self.committee, new_parent=new_parent)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["parent"]) from exc
        return new_parent
