"""Forms for rubrics, rounds, reviews and results. Scoring grids are built in views from the criteria."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from assessments import metric_source
from assessments.models import (
    BandTone,
    Criterion,
    Dimension,
    Evaluation,
    GradeBand,
    Objection,
    ReviewPanel,
    Round,
    Rubric,
)
from guanwei.forms import ModelForm, ModelMultipleChoiceField
from orgs.models import CommitteeKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RubricForm(ModelForm):
    class Meta:
        model = Rubric
        fields = ["name", "description", "score_step", "bonus_cap", "gate_label", "gate_min_total", "gate_key_full"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"] = forms.ModelChoiceField(queryset=owners, label=_("Owning committee"))
            self.order_fields(["owner", *self.Meta.fields])

    def clean(self) -> dict:
        data = super().clean()
        if data.get("gate_label") and data.get("gate_min_total") is None and not data.get("gate_key_full"):
            self.add_error("gate_min_total", _("A gate needs a minimum total, key indicators at full marks, or both."))
        return data


class RubricImportForm(forms.Form):
    owner = forms.ModelChoiceField(queryset=None, label=_("Owning committee"))
    name = forms.CharField(label=_("Rubric name"), max_length=200)
    score_step = forms.ChoiceField(label=_("Rounding"), choices=Rubric._meta.get_field("score_step").choices)
    file = forms.FileField(label=_("Excel file (.xlsx)"), help_text=_("Use the columns of an exported rubric."))

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class DimensionForm(ModelForm):
    class Meta:
        model = Dimension
        fields = ["title", "order"]


class CriterionForm(ModelForm):
    metric_code = forms.ChoiceField(label=_("Metric"), required=False)

    class Meta:
        model = Criterion
        fields = [
            "code",
            "title",
            "kind",
            "max_points",
            "is_key",
            "guide",
            "evidence_required",
            "metric_code",
            "metric_params",
            "metric_subtree",
            "full_at",
            "step_points",
            "step_unit",
            "order",
        ]
        widgets = {"guide": forms.Textarea(attrs={"rows": 3}), "evidence_required": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = metric_source.metric_choices()
        current = self.initial.get("metric_code") or ""
        if current and current not in dict(choices):
            choices.append((current, current))
        self.fields["metric_code"].choices = [("", "—"), *choices]
        self.fields["metric_params"].required = False
        self.fields["metric_params"].help_text = _('Optional, e.g. {"kinds": ["lecture"]}')
        self.fields["order"].required = False

    def clean(self) -> dict:
        data = super().clean()
        if data.get("metric_params") is None:
            data["metric_params"] = {}
        if data.get("kind") == "metric":
            if not data.get("metric_code"):
                self.add_error("metric_code", _("Choose the metric this criterion is scored from."))
            if data.get("full_at") is None:
                self.add_error("full_at", _("Give the value that earns full marks."))
        return data


class BandForm(ModelForm):
    class Meta:
        model = GradeBand
        fields = ["label", "min_total", "tone"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tone"].choices = BandTone.choices


class RoundForm(ModelForm):
    ALL_CHILDREN = "children"
    BY_KIND = "kind"

    organiser = forms.ModelChoiceField(queryset=None, label=_("Organising committee"))
    who = forms.ChoiceField(
        label=_("Which committees are assessed"),
        choices=[(ALL_CHILDREN, _("Its direct sub-committees")), (BY_KIND, _("Every committee of one kind below it"))],
        initial=ALL_CHILDREN,
        widget=forms.RadioSelect,
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *CommitteeKind.choices], required=False)

    class Meta:
        model = Round
        fields = ["name", "rubric", "year", "self_deadline", "review_deadline", "balanced_target"]
        widgets = {"self_deadline": DATE, "review_deadline": DATE}

    def __init__(self, *args: Any, organisers: Any, rubrics: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers
        self.fields["rubric"].queryset = rubrics
        self.order_fields(["name", "organiser", "who", "kind", "rubric", "year", "self_deadline", "review_deadline"])

    def clean(self) -> dict:
        data = super().clean()
        if data.get("who") == self.BY_KIND and not data.get("kind"):
            self.add_error("kind", _("Choose the kind of committee to assess."))
        s, r = data.get("self_deadline"), data.get("review_deadline")
        if s and r and r < s:
            self.add_error("review_deadline", _("The review deadline cannot be before the self-assessment deadline."))
        return data


class RoundEditForm(ModelForm):
    class Meta:
        model = Round
        fields = ["name", "self_deadline", "review_deadline", "balanced_target"]
        widgets = {"self_deadline": DATE, "review_deadline": DATE}

    def clean(self) -> dict:
        data = super().clean()
        s, r = data.get("self_deadline"), data.get("review_deadline")
        if s and r and r < s:
            self.add_error("review_deadline", _("The review deadline cannot be before the self-assessment deadline."))
        return data


class AssignForm(forms.Form):
    evaluations = ModelMultipleChoiceField(
        queryset=None, label=_("Evaluations"), widget=forms.CheckboxSelectMultiple
    )
    reviewer = forms.ModelChoiceField(queryset=None, label=_("Reviewer"), required=False)
    panel = forms.ModelChoiceField(queryset=None, label=_("or a review panel"), required=False)

    def __init__(self, *args: Any, round_: Round, reviewers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evaluations"].queryset = Evaluation.objects.filter(round=round_).select_related("committee")
        self.fields["evaluations"].label_from_instance = lambda e: e.committee.name
        self.fields["reviewer"].queryset = reviewers
        self.fields["reviewer"].label_from_instance = lambda u: f"{u.get_full_name() or u.username}（{u.username}）"
        self.fields["panel"].queryset = ReviewPanel.objects.filter(round=round_)

    def clean(self) -> dict:
        data = super().clean()
        if bool(data.get("reviewer")) == bool(data.get("panel")):
            raise forms.ValidationError(_("Choose either a reviewer or a panel."))
        return data


class PanelForm(ModelForm):
    members = ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(), label=_("Members"), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ReviewPanel
        fields = ["name"]

    def __init__(self, *args: Any, reviewers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = reviewers
        self.fields["members"].label_from_instance = lambda u: f"{u.get_full_name() or u.username}（{u.username}）"


class GroupingAssignForm(forms.Form):
    grouping = forms.ModelChoiceField(queryset=None, label=_("片 (grouping)"))

    def __init__(self, *args: Any, groupings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grouping"].queryset = groupings


class NoticeForm(forms.Form):
    start = forms.DateField(label=_("Public notice from"), widget=DATE)
    end = forms.DateField(label=_("Public notice until"), widget=DATE)
    text = forms.CharField(label=_("Notice text"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The notice period must end on or after its first day."))
        return data


class ObjectionForm(ModelForm):
    class Meta:
        model = Objection
        fields = ["evaluation", "raised_by", "received_on", "content"]
        widgets = {"received_on": DATE, "content": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, round_: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evaluation"].queryset = Evaluation.objects.filter(round=round_).select_related("committee")
        self.fields["evaluation"].label_from_instance = lambda e: e.committee.name
        self.fields["evaluation"].required = False


class ObjectionResolveForm(forms.Form):
    response = forms.CharField(label=_("Response"), widget=forms.Textarea(attrs={"rows": 3}))


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"), help_text=_("A photo, PDF, Word or Excel file."))
