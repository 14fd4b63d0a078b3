from django.contrib import admin
from mptt.admin import MPTTModelAdmin

from orgs.models import AuditEvent, Committee, Grant, Grouping, Membership, MemberUnit, Person


@admin.register(Committee)
class CommitteeAdmin(MPTTModelAdmin):
    list_display = ("name", "code", "kind", "students", "retirees")
    search_fields = ("name", "short_name", "code")
    list_filter = ("kind",)
    raw_id_fields = ("parent",)


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
