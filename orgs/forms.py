from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanwei.forms import ModelForm
from orgs import selectors, tree
from orgs.models import Committee, Grouping, MemberRole, MemberUnit, Person
from orgs.services import check_move

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
    _("Use letters, digits, dashes and underscores only, e.g. GZUCM-ZJ."),
)


class CommitteeForm(ModelForm):
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
        own_subtree = tree.subtree_q(committee, "")
        field.widget.choices = [
            (c.pk, f"{'　' * c.level}{c.name}（{c.code}）") for c in targets.exclude(own_subtree).order_by("path")
        ]

    def clean_new_parent(self) -> Committee:
        new_parent = self.cleaned_data["new_parent"]
        try:
            check_move(committee=self.committee, new_parent=new_parent)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["parent"]) from exc
        return new_parent


class CommitteeChoiceField(forms.ModelChoiceField):
    """A committee picked from a list limited to the user's scope, indented by tree level."""

    default_error_messages = {
        "invalid_choice": _("Choose one of the committees in the list; you can only use committees you look after."),
    }

    def label_from_instance(self, obj: Committee) -> str:
        return f"{'　' * obj.level}{obj.name}（{obj.code}）"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonForm(ModelForm):
    """A person in a committee's registry. `committees`: those the user may edit."""

    committee = CommitteeChoiceField(label=_("Committee"), queryset=Committee.objects.none(), empty_label=None)

    class Meta:
        model = Person
        fields = [
            "committee",
            "name",
            "gender",
            "birth_year",
            "phone",
            "title",
            "is_retired",
            "is_party_member",
            "wulao_category",
            "real_name_registered",
            "active_from",
            "active_until",
            "notes",
        ]
        widgets = {
            "active_from": DateInput(),
            "active_until": DateInput(),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"name": _("Name")}

    def __init__(self, *args: Any, committees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees.order_by("path")
        self.fields["birth_year"].widget.attrs.update({"min": 1900, "max": timezone.localdate().year})

    def clean_birth_year(self) -> int | None:
        year = self.cleaned_data.get("birth_year")
        if year is not None and not 1900 <= year <= timezone.localdate().year:
            raise ValidationError(_("Enter a four-digit year between 1900 and this year, e.g. 1952."))
        return year

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("active_from"), data.get("active_until")
        if start and end and end < start:
            self.add_error("active_until", _("The end date cannot be earlier than the start date."))
        return data


class MembershipForm(forms.Form):
    """Give a person a role in a committee the user may edit."""

    committee = CommitteeChoiceField(label=_("In committee"), queryset=Committee.objects.none(), empty_label=None)
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)
    started_on = forms.DateField(label=_("Started on"), required=False, widget=DateInput())

    def __init__(self, *args: Any, person: Person, committees: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        self.user = user
        self.fields["committee"].queryset = committees.order_by("path")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        committee, role = data.get("committee"), data.get("role")
        if (
            committee
            and role
            and selectors.person_memberships(self.user, self.person).filter(committee=committee, role=role).exists()
        ):
            raise ValidationError(_("This person already holds this role in that committee."))
        return data


class MemberUnitForm(ModelForm):
    class Meta:
        model = MemberUnit
        fields = ["name", "duties"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"duties": _("What this office or department does for the committee, e.g. 负责学生思想政治教育。")}


CODE_SEPARATORS = ",，、;；\n\r\t "


def split_codes(text: str) -> list[str]:
    """Committee codes typed one per line or separated by commas, 、 or spaces."""
    for sep in CODE_SEPARATORS[1:]:
        text = text.replace(sep, ",")
    return list(dict.fromkeys(code.strip() for code in text.split(",") if code.strip()))


class GroupingForm(forms.Form):
    """A 片: a lead committee the user manages, and member committees from anywhere, by code."""

    name = forms.CharField(label=_("Name"), max_length=100)
    lead = CommitteeChoiceField(label=_("Lead committee"), queryset=Committee.objects.none(), empty_label=None)
    member_codes = forms.CharField(
        label=_("Member committees (codes)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "autocapitalize": "off", "spellcheck": "false"}),
        help_text=_("One committee code per line (commas or 、 also work). Use the search above to find codes."),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, leads: Any, grouping: Grouping | None = None, **kwargs: Any) -> None:
        if grouping is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": grouping.name,
                "lead": grouping.lead_id,
                "notes": grouping.notes,
                "member_codes": "\n".join(c.code for c in grouping.members.order_by("code")),
            }
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = leads.order_by("path")

    def clean_member_codes(self) -> list[Committee]:
        codes = split_codes(self.cleaned_data.get("member_codes", ""))
        found = {c.code: c for c in selectors.committees_by_codes(codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise ValidationError(
                _("No committee has the code %(codes)s. Check the spelling or use the search.")
                % {"codes": "、".join(unknown)}
            )
        return [found[code] for code in codes]
