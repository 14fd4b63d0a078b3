from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from orgs import services
from orgs.models import AuditEvent, Committee, Grant, Grouping, Membership, MemberUnit, Person


class CommitteeAdminForm(forms.ModelForm):
    class Meta:
        model = Committee
        fields = ("parent", *services.COMMITTEE_FIELDS)

    def clean_parent(self):  # noqa: ANN201
        parent = self.cleaned_data.get("parent")
        if self.instance.pk:
            try:
                services.check_move(committee=self.instance, new_parent=parent)
            except ValidationError as error:
                raise ValidationError(error.message_dict["parent"]) from error
        return parent


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    """Committees in tree order; creating and moving go through `orgs.services` (tree lock, audit)."""

    list_display = ("name", "code", "kind", "students", "retirees")
    search_fields = ("name", "short_name", "code")
    list_filter = ("kind",)
    raw_id_fields = ("parent",)
    form = CommitteeAdminForm
    ordering = ("path",)

    def save_model(self, request, obj, form, change):  # noqa: ANN001, ANN201
        fields = {name: form.cleaned_data[name] for name in services.COMMITTEE_FIELDS if name in form.cleaned_data}
        if not change:
            saved = services.committee_create(parent=obj.parent, by=request.user, request=request, **fields)
        else:
            saved = services.committee_update(committee=obj, by=request.user, request=request, **fields)
            if "parent" in form.changed_data:
                saved = services.committee_move(
                    committee=saved, new_parent=obj.parent, by=request.user, request=request
                )
        obj.pk, obj.path, obj.depth, obj.numchild = saved.pk, saved.path, saved.depth, saved.numchild


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("committee",)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "committee", "wulao_category", "real_name_registered")
    search_fields = ("name", "phone")
    list_filter = ("wulao_category", "real_name_registered")
    raw_id_fields = ("committee",)
    inlines = [MembershipInline]


@admin.register(MemberUnit)
class MemberUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "committee")
    raw_id_fields = ("committee",)


@admin.register(Grouping)
class GroupingAdmin(admin.ModelAdmin):
    list_display = ("name", "lead")
    raw_id_fields = ("lead",)
    filter_horizontal = ("members",)


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    list_display = ("user", "committee", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "committee__name", "committee__code")
    raw_id_fields = ("user", "committee")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "action", "object_type", "object_id", "summary", "ip")
    list_filter = ("action",)
    search_fields = ("username", "summary", "path")

    def has_add_permission(self, request):  # noqa: ANN001, ANN201
        return False

    def has_change_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False
