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
from plans.models import WorkPoint

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


# A work point's label in the select: plan, section and the start of the point, each whole or cut with "…".
SECTION_LABEL_CHARS = 16
POINT_LABEL_CHARS = 32


def _shortened(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ，,、；;：:") + "…"


def _numbered(number: str, text: str) -> str:
    """ "二、思想引领", "1. 开展…": the plan's own numbering in front of its words."""
    if not number:
        return text
    if number[-1] in "、）)":  # already punctuated, as "一、" or "（一）"
        return f"{number}{text}"
    if number[-1] in ".．":
        return f"{number} {text}"
    return f"{number}. {text}" if number.isdigit() else f"{number}、{text}"


def work_point_full_label(point: Any) -> str:
    """Everything that names a work point: the plan's title, the section and the point's whole words."""
    section = point.section
    words = point.title if not point.text else (f"{point.title}：{point.text}" if point.title else point.text)
    return " · ".join(
        [section.plan.title, _numbered(section.number, section.title), _numbered(point.number, " ".join(words.split()))]
    )


def work_point_label(point: Any, *, with_committee: bool = False) -> str:
    """ "2026年工作要点 · 二、夯实工作基础 · 一、会议制度": short enough for a phone's select."""
    plan = point.section.plan
    plan_label = _("%(year)s work plan") % {"year": plan.year}
    if with_committee:
        plan_label = f"{plan.committee.display_name} {plan_label}"
    section = point.section
    return " · ".join(
        [
            plan_label,
            _numbered(section.number, _shortened(section.title, SECTION_LABEL_CHARS)),
            _numbered(point.number, _shortened(point.title or point.text, POINT_LABEL_CHARS)),
        ]
    )


class TitledSelect(forms.Select):
    """A select of model choices whose options carry their whole text in `title` (labels may be shortened)."""

    def __init__(self, *args: Any, title_of: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.title_of = title_of

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None and self.title_of is not None:
            option["attrs"]["title"] = self.title_of(instance)
        return option


class WorkPointChoice(forms.ModelChoiceField):
    """The plan's work point an activity serves, named with its plan and section."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", TitledSelect(title_of=work_point_full_label))
        super().__init__(*args, **kwargs)
        self.several_committees = False

    def label_from_instance(self, obj: Any) -> str:
        return work_point_label(obj, with_committee=self.several_committees)


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
    work_point = WorkPointChoice(label=_("Work point of the plan"), queryset=WorkPoint.objects.none(), required=False)

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

    def __init__(self, *args: Any, user: Any, pending_photos: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Photos kept from an earlier try count against the limit of one save.
        self.pending_photos = pending_photos
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
        # No kind is chosen for the user: a silent default is how a 报告会 gets saved as something else.
        self.fields["kind"].empty_label = _("— choose the kind —")
        self.fields["title"].widget.attrs["placeholder"] = _("e.g. 党史宣讲进班级")
        self.fields["place"].widget.attrs["placeholder"] = _("e.g. 针灸楼325")
        if committee is not None:
            self.fields["participants"].queryset = selectors.people_of(committee)
            year = self._year()
            points = selectors.work_points_for(user, committee, year)
            if self.instance.work_point_id:
                points = points | selectors.work_points_for(user, committee, self.instance.held_on.year)
            points = points.select_related("section__plan__committee")
            self.fields["work_point"].queryset = points
            self.fields["work_point"].several_committees = (
                points.values("section__plan__committee").distinct().count() > 1
            )
        if self.instance.work_point_id and not selectors.shown_work_point(user, self.instance):
            # Linked by someone who sees the whole plan: left as it is, not offered to be changed.
            del self.fields["work_point"]
        elif committee is None or not self.fields["work_point"].queryset.exists():
            del self.fields["work_point"]
        else:
            self.fields["work_point"].required = False
            self.fields["work_point"].empty_label = _("— none —")

    def clean_photos(self) -> list[Any]:
        photos = self.cleaned_data.get("photos") or []
        total = len(photos) + self.pending_photos
        if total > MAX_PHOTOS_PER_UPLOAD:
            raise ValidationError(
                _("Please choose at most %(limit)s photos at a time.") % {"limit": MAX_PHOTOS_PER_UPLOAD},
                code="too_many",
            )
        return photos

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
