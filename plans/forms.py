"""Forms of the plans app. Labels in English, shown in Chinese through the catalogue."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanwei.forms import IntegerField, ModelForm, ModelMultipleChoiceField
from guanwei.uploads import FileKind, check_upload
from metrics.catalogue import METRICS, metric_choices
from plans.extraction import ExtractedPlan, ExtractionError, docx_text, extract_text
from plans.models import (
    Comparator,
    DeliverableStatus,
    MilestoneKind,
    OwnerKind,
    ParticipantStatus,
    PeriodKind,
    Plan,
    Target,
    TargetScope,
)
from plans.services import DELIVERABLE_KINDS

MAX_PASTED_CHARS = 200_000


class PlanUploadForm(forms.Form):
    committee = forms.ModelChoiceField(queryset=None, label=_("Committee"), empty_label=None)
    year = IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    document = forms.FileField(
        label=_("Word file (.docx)"),
        required=False,
        help_text=_("Choose the Word file of the plan, or paste its text below."),
    )
    text = forms.CharField(
        label=_("Or paste the text of the plan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=MAX_PASTED_CHARS,
    )

    def __init__(self, *args: Any, committees: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("year", timezone.localdate().year)
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees
        self.extracted: ExtractedPlan | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        document, text = data.get("document"), (data.get("text") or "").strip()
        if not document and not text:
            raise ValidationError(_("Choose a Word file or paste the text of the plan."), code="nothing")
        try:
            if document:
                check_upload(document, kinds=(FileKind.DOCX,))
                text = docx_text(document)
            self.extracted = extract_text(text)
        except ExtractionError as exc:
            raise ValidationError(exc.messages, code=exc.code) from None
        except ValidationError as exc:
            self.add_error("document", exc)
        return data


class PlanForm(ModelForm):
    class Meta:
        model = Plan
        fields = ["title", "year", "doc_number", "issuer", "issued_on", "preamble", "closing"]
        widgets = {
            "issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "preamble": forms.Textarea(attrs={"rows": 5}),
            "closing": forms.Textarea(attrs={"rows": 3}),
        }


def plain_decimal(value: Any) -> str:
    """A number as people write it: 12 not 12.0000, 0.5 not 0.5000, 1200 not 1.2E+3."""
    if value is None or value == "":
        return ""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():
        return str(value)
    return format(number.normalize(), "f")


SHARE_METRIC = "subcommittee_share"


def _takes_kinds(metric: str) -> bool:
    definition = METRICS.get(metric)
    return definition is not None and any(p.name == "kinds" for p in definition.params)


class TargetForm(ModelForm):
    """A target's words, what measures it and the goal. Every metric parameter is a plain field, never JSON."""

    kinds = forms.MultipleChoiceField(
        label=_("Activity kinds counted"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For activity metrics: leave all unticked to count every kind."),
    )
    share_metric = forms.ChoiceField(
        label=_("Each sub-committee is measured by"),
        required=False,
        help_text=_(
            "Only for “Share of sub-committees meeting a condition”, e.g. “90 percent of the colleges reach 均衡发展”: "
            "what is measured in each sub-committee. The activity kinds ticked above count for it."
        ),
    )
    share_comparator = forms.ChoiceField(label=_("Each sub-committee must be"), required=False)
    share_value = forms.DecimalField(
        label=_("Value each sub-committee must reach"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=4,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    share_subtree = forms.BooleanField(
        label=_("Count each sub-committee together with the committees below it"), required=False, initial=True
    )

    field_order = [
        "text",
        "metric",
        "kinds",
        "share_metric",
        "share_comparator",
        "share_value",
        "share_subtree",
        "comparator",
        "value",
        "unit",
        "period_kind",
        "period_start",
        "period_end",
        "scope",
        "subtree",
    ]

    class Meta:
        model = Target
        fields = [
            "text",
            "metric",
            "comparator",
            "value",
            "unit",
            "period_kind",
            "period_start",
            "period_end",
            "scope",
            "subtree",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "value": forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            "period_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "period_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"unit": _("Use ％ for percentages and 比 for “1比200” (then the value is 200).")}

    def __init__(self, *args: Any, kind_choices: list[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metric"] = forms.ChoiceField(
            label=_("Metric"), choices=metric_choices(), required=False, help_text=_("Leave empty if not measured.")
        )
        self.order_fields(self.field_order)
        self.fields["comparator"].choices = Comparator.choices
        self.fields["share_comparator"].choices = Comparator.choices
        self.fields["share_metric"].choices = [("", _("— only for a share of sub-committees —"))] + [
            (code, label) for code, label in metric_choices() if code and code != SHARE_METRIC
        ]
        self.fields["period_kind"].choices = PeriodKind.choices
        self.fields["scope"].choices = TargetScope.choices
        self.fields["scope"].widget = forms.RadioSelect(choices=TargetScope.choices)
        self.fields["kinds"].choices = list(kind_choices)
        if not self.is_bound:
            self._initial_from(dict(self.instance.params or {}) if self.instance.pk else {})

    def _initial_from(self, params: dict[str, Any]) -> None:
        """The stored parameters spread over the fields; numbers as people write them."""
        if self.instance.pk:
            self.initial["value"] = plain_decimal(self.instance.value)
        if self.instance.metric == SHARE_METRIC:
            inner = params.get("params") if isinstance(params.get("params"), dict) else {}
            self.initial["kinds"] = list(inner.get("kinds") or [])
            self.initial["share_metric"] = params.get("metric", "")
            self.initial["share_comparator"] = params.get("comparator", Comparator.GTE)
            try:
                self.initial["share_value"] = plain_decimal(params.get("value"))
            except ArithmeticError:
                self.initial["share_value"] = ""
            self.initial["share_subtree"] = bool(params.get("subtree", True))
        else:
            self.initial["kinds"] = list(params.get("kinds") or [])

    def clean_unit(self) -> str:
        return (self.cleaned_data.get("unit") or "").strip().replace("％", "%")

    def _share_params(self, data: dict[str, Any], kinds: list[str]) -> dict[str, Any]:
        inner = data.get("share_metric") or ""
        value = data.get("share_value")
        if not inner:
            self.add_error("share_metric", _("Choose what each sub-committee is measured by."))
        if value is None and "share_value" not in self.errors:
            self.add_error("share_value", _("Give the value each sub-committee must reach."))
        return {
            "metric": inner,
            "params": {"kinds": kinds} if kinds and _takes_kinds(inner) else {},
            "comparator": data.get("share_comparator") or Comparator.GTE,
            "value": plain_decimal(value) if value is not None else "",
            "subtree": bool(data.get("share_subtree")),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        metric = data.get("metric") or ""
        kinds = list(data.get("kinds") or [])
        params: dict[str, Any] = {}
        if metric == SHARE_METRIC:
            params = self._share_params(data, kinds)
        elif kinds and _takes_kinds(metric):
            params["kinds"] = kinds
        if metric and not self.errors:
            try:
                METRICS[metric].check_params(params)
            except ValidationError as exc:
                self.add_error(None, exc.messages)
        if data.get("period_kind") == PeriodKind.CUSTOM and not (data.get("period_start") and data.get("period_end")):
            self.add_error("period_start", _("A custom period needs a start and an end date."))
        data["params"] = params
        return data

    def target_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {name: data[name] for name in self.Meta.fields}
        fields["params"] = data["params"] if data.get("metric") else {}
        return fields


class PointForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=20, required=False)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    owner_kind = forms.ChoiceField(label=_("Who owns this point"), choices=OwnerKind.choices, widget=forms.RadioSelect)
    member_unit = forms.ModelChoiceField(queryset=None, label=_("Member unit"), required=False)
    committees = ModelMultipleChoiceField(
        queryset=None,
        label=_("Sub-committees"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the sub-committees that own this point."),
    )

    def __init__(self, *args: Any, member_units: Any, committees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member_unit"].queryset = member_units
        self.fields["committees"].queryset = committees

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("owner_kind")
        if kind == OwnerKind.MEMBER_UNIT and not data.get("member_unit"):
            self.add_error("member_unit", _("Choose the member unit that owns this point."))
        if kind == OwnerKind.ASSIGNED and not data.get("committees"):
            self.add_error("committees", _("Tick at least one sub-committee."))
        return data


class DeliverableForm(forms.Form):
    committee = forms.ModelChoiceField(queryset=None, label=_("For committee"), empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File"), help_text=_("PDF, Word, Excel or a picture."))

    def __init__(self, *args: Any, committees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        check_upload(f, kinds=DELIVERABLE_KINDS)
        return f


class DeliverableReviewForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[(DeliverableStatus.ACCEPTED, _("Accept")), (DeliverableStatus.RETURNED, _("Return"))],
        widget=forms.RadioSelect,
    )
    reviewer_note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ParticipantStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ParticipantStatus.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


# ---------------------------------------------------------------------------
# Programmes made and changed by hand

MAX_DESCRIPTION_CHARS = 20_000
# Programmes run over years, not centuries: dates outside these years are typing mistakes.
FIRST_DAY = date(1990, 1, 1)
LAST_DAY = date(2100, 12, 31)


def _date_field(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)],
        **kwargs,
    )


class ProgrammeEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=MAX_DESCRIPTION_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the programme is for and how it is run."),
    )


class ProgrammeCreateForm(ProgrammeEditForm):
    committee = forms.ModelChoiceField(queryset=None, label=_("Committee"), empty_label=None)
    plan = forms.ModelChoiceField(
        queryset=None,
        label=_("Plan it belongs to"),
        required=False,
        help_text=_("Optional: a plan of the same committee."),
    )
    field_order = ["committee", "title", "description", "plan"]

    def __init__(self, *args: Any, committees: Any, plans: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees
        self.fields["plan"].queryset = plans
        self.fields["plan"].label_from_instance = lambda plan: f"{plan.year} · {plan.committee.display_name} · {plan}"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        committee, plan = data.get("committee"), data.get("plan")
        if committee is not None and plan is not None and plan.committee_id != committee.pk:
            self.add_error("plan", _("Choose a plan of the same committee."))
        return data


class PhaseForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the phase"), max_length=200, help_text=_("For example 创建阶段 or 巩固提高.")
    )
    starts_on = _date_field(_("Starts on"))
    ends_on = _date_field(_("Ends on"))
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=MAX_DESCRIPTION_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end date is before the start date."))
        return data


class MilestoneForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of milestone"), choices=MilestoneKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    due_on = _date_field(_("Due date"))
    phase = forms.ModelChoiceField(queryset=None, label=_("Phase"), required=False, empty_label=_("(no phase)"))
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=MAX_DESCRIPTION_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, phases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = phases
        self.fields["phase"].label_from_instance = lambda phase: (
            f"{phase.name} ({phase.starts_on:%Y-%m-%d} – {phase.ends_on:%Y-%m-%d})"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        phase, due_on = data.get("phase"), data.get("due_on")
        if phase is not None and due_on is not None and not phase.starts_on <= due_on <= phase.ends_on:
            self.add_error(
                "due_on",
                _("The due date must fall within the phase “%(name)s” (%(start)s – %(end)s).")
                % {"name": phase.name, "start": phase.starts_on.isoformat(), "end": phase.ends_on.isoformat()},
            )
        return data


class ParticipantAddForm(forms.Form):
    committees = ModelMultipleChoiceField(
        queryset=None,
        label=_("Committees taking part"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the committees that take part in the programme."),
        error_messages={"required": _("Choose at least one committee.")},
    )

    def __init__(self, *args: Any, committees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committees"].queryset = committees
        self.fields["committees"].label_from_instance = lambda committee: committee.name
