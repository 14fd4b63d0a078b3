"""Forms for the fast activity entry, donations and news reports."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities import selectors
from activities.models import Activity, Donation, NewsReport
from activities.services import MAX_PHOTO_BYTES
from guanwei import images
from guanwei.forms import ModelForm, ModelMultipleChoiceField
from guanwei.params import parse_int
from guanwei.uploads import FileKind, check_upload
from orgs.models import Committee, Person

MAX_PHOTOS_PER_UPLOAD = 20
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one <input type=file multiple>, each checked by its content."""

    def __init__(self, *args: Any, max_files: int = MAX_PHOTOS_PER_UPLOAD, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        kwargs.setdefault("required", False)
        self.max_files = max_files
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [single(item, initial) for item in items if item]
        if len(files) > self.max_files:
            raise ValidationError(
                _("Please choose at most %(limit)s photos at a time.") % {"limit": self.max_files}, code="too_many"
            )
        errors = []
        for f in files:
            try:
                check_upload(f, kinds=(FileKind.IMAGE,), max_bytes=MAX_PHOTO_BYTES)
            except ValidationError as exc:
                errors.extend(f"{f.name}：{message}" for message in exc.messages)
        if errors:
            raise ValidationError(errors)
        images.check_request_pixels(files)
        return files


class PersonChoices(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        if obj.wulao_category:
            return f"{obj.name}（{obj.get_wulao_category_display()}）"
        return obj.name


class CommitteeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Committee) -> str:
        return obj.display_name


def _chosen_committee(form: forms.BaseForm, queryset: Any, fallback: Committee | None) -> Committee | None:
    """The committee the form is about: the one posted (if the user may use it) or the fallback."""
    raw = form.data.get(form.add_prefix("committee")) if form.is_bound else form.initial.get("committee")
    if isinstance(raw, Committee):
        return raw
    pk = parse_int(str(raw), min_value=1) if raw else None
    if pk is not None:
        found = queryset.filter(pk=pk).first()
        if found is not None:
            return found
    return fallback


class ActivityForm(ModelForm):
    """The one-screen entry form. Offers only the chosen committee's people and plan points."""

    committee = CommitteeChoice(label=_("Committee"), queryset=Committee.objects.none(), empty_label=None)
    participants = PersonChoices(
        label=_("五老 and members who took part"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    photos = MultipleFileField(
        label=_("Photos"), help_text=_("You can choose several photos at once (JPG or PNG, up to 10 MB each).")
    )

    class Meta:
        model = Activity
        fields = [
            "committee",
            "kind",
            "held_on",
            "title",
            "place",
            "youth_reached",
            "students_talked",
            "participants",
            "work_point",
            "summary",
        ]
        labels = {"kind": _("Kind of activity"), "summary": _("What happened (summary)")}
        widgets = {
            "held_on": DATE_INPUT,
            "youth_reached": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "students_talked": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        editable = selectors.editable_committees(user)
        self.fields["committee"].queryset = editable
        instance_committee = self.instance.committee if self.instance.committee_id else None
        committee = _chosen_committee(self, editable, instance_committee or selectors.home_committee(user))
        self.committee = committee
        if len(editable) <= 1:
            self.fields["committee"].widget = forms.HiddenInput()
        self.fields["kind"].queryset = selectors.activity_kinds(
            include=self.instance.kind if self.instance.pk else None
        )
        self.fields["kind"].empty_label = None
        self.fields["title"].widget.attrs["placeholder"] = _("e.g. 党史宣讲进班级")
        self.fields["place"].widget.attrs["placeholder"] = _("e.g. 针灸楼325")
        if committee is not None:
            self.fields["participants"].queryset = selectors.people_of(committee)
            year = self._year()
            points = selectors.work_points_for(user, committee, year)
            if self.instance.work_point_id:
                points = points | selectors.work_points_for(user, committee, self.instance.held_on.year)
            self.fields["work_point"].queryset = points
        if self.instance.work_point_id and not selectors.shown_work_point(user, self.instance):
            # Linked by someone who sees the whole plan: left as it is, not offered to be changed.
            del self.fields["work_point"]
        elif committee is None or not self.fields["work_point"].queryset.exists():
            del self.fields["work_point"]
        else:
            self.fields["work_point"].required = False
            self.fields["work_point"].empty_label = _("— none —")

    def _year(self) -> int:
        raw = self.data.get(self.add_prefix("held_on")) if self.is_bound else self.initial.get("held_on")
        if isinstance(raw, date):
            return raw.year
        year = parse_int(str(raw)[:4], min_value=1) if raw else None
        if year is not None:
            return year
        if self.instance.pk:
            return self.instance.held_on.year
        return timezone.localdate().year


class DonationForm(ModelForm):
    committee = CommitteeChoice(label=_("Committee"), queryset=Committee.objects.none(), empty_label=None)
    amount = forms.DecimalField(
        label=_("Amount (yuan)"),
        min_value=0.01,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "inputmode": "decimal"}),
    )

    class Meta:
        model = Donation
        fields = ["committee", "donor_kind", "donor_name", "donor_person", "amount", "donated_on", "purpose"]
        widgets = {"donated_on": DATE_INPUT, "donor_kind": forms.RadioSelect}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        editable = selectors.editable_committees(user)
        self.fields["committee"].queryset = editable
        if len(editable) <= 1:
            self.fields["committee"].widget = forms.HiddenInput()
        fallback = self.instance.committee if self.instance.committee_id else selectors.home_committee(user)
        committee = _chosen_committee(self, editable, fallback)
        people = selectors.people_of(committee) if committee else Person.objects.none()
        self.fields["donor_person"].queryset = people
        self.fields["donor_person"].required = False
        self.fields["donor_person"].help_text = _("Optional: pick the donor if they are in the committee's registry.")
        self.fields["purpose"].widget.attrs["placeholder"] = _("e.g. 助学基金")


class NewsReportForm(ModelForm):
    committee = CommitteeChoice(label=_("Committee"), queryset=Committee.objects.none(), empty_label=None)
    link = forms.URLField(label=_("Link"), max_length=500, required=False, assume_scheme="https")
    photos = MultipleFileField(
        label=_("Photos"), help_text=_("You can choose several photos at once (JPG or PNG, up to 10 MB each).")
    )

    class Meta:
        model = NewsReport
        fields = ["committee", "title", "published_on", "outlet", "outlet_level", "link"]
        widgets = {"published_on": DATE_INPUT}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        editable = selectors.editable_committees(user)
        self.fields["committee"].queryset = editable
        if len(editable) <= 1:
            self.fields["committee"].widget = forms.HiddenInput()
