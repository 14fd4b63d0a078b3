from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from activities.models import Activity, ActivityKind, ActivityPhoto, Donation, NewsPhoto, NewsReport


@admin.register(ActivityKind)
class ActivityKindAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "sort_order", "is_active", "counts_students_talked")
    list_editable = ("sort_order", "is_active")
    search_fields = ("name", "code")


class ActivityPhotoInline(admin.TabularInline):
    model = ActivityPhoto
    extra = 0
    fields = ("original_name", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ("held_on", "title", "kind", "committee", "youth_reached", "deleted_at")
    list_filter = ("kind", ("deleted_at", admin.EmptyFieldListFilter))
    search_fields = ("title", "place", "summary", "committee__name", "committee__code")
    date_hierarchy = "held_on"
    raw_id_fields = ("committee", "participants", "work_point", "created_by", "updated_by")
    readonly_fields = ("created_at", "updated_at", "deleted_at", "deleted_by")
    inlines = [ActivityPhotoInline]

    def get_queryset(self, request):
        # Soft-deleted rows too, so the system admin can find and restore them.
        return Activity.all_objects.select_related("kind", "committee")


@admin.register(Donation)
class DonationAdmin(SimpleHistoryAdmin):
    list_display = ("donated_on", "donor_name", "amount", "committee")
    search_fields = ("donor_name", "purpose", "committee__name")
    raw_id_fields = ("committee", "donor_person", "created_by")


class NewsPhotoInline(admin.TabularInline):
    model = NewsPhoto
    extra = 0
    fields = ("original_name", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    can_delete = False


@admin.register(NewsReport)
class NewsReportAdmin(SimpleHistoryAdmin):
    list_display = ("published_on", "title", "outlet", "outlet_level", "committee")
    list_filter = ("outlet_level",)
    search_fields = ("title", "outlet", "committee__name")
    raw_id_fields = ("committee", "created_by")
    inlines = [NewsPhotoInline]
