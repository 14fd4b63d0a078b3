from django.urls import path

from activities.views import activities as views
from activities.views import lookups, records

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="index"),
    path("new/", views.activity_create, name="create"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/delete/", views.activity_delete, name="delete"),
    path("<int:pk>/delete/confirm/", views.activity_delete_confirm, name="delete_confirm"),
    path("<int:pk>/restore/", views.activity_restore, name="restore"),
    path("deleted/", views.deleted_list, name="deleted"),
    path("export/", views.activity_export, name="export"),
    path("import/", views.activity_import, name="import"),
    path("import/template/", views.import_template, name="import_template"),
    path("photos/<int:pk>/", views.photo_file, name="photo"),
    path("photos/<int:pk>/thumbnail/", views.photo_thumbnail, name="photo_thumbnail"),
    path("photos/<int:pk>/delete/", views.photo_delete, name="photo_delete"),
    path("photos/<int:pk>/delete/confirm/", views.photo_delete_confirm, name="photo_delete_confirm"),
    path("pending-photos/<str:token>/", views.pending_photo_thumbnail, name="pending_photo_thumbnail"),
    path("lookup/committees/", lookups.committee_lookup, name="lookup_committees"),
    path("lookup/people/", lookups.person_lookup, name="lookup_people"),
    path("donations/", records.donation_list, name="donation_list"),
    path("donations/new/", records.donation_create, name="donation_create"),
    path("donations/<int:pk>/edit/", records.donation_edit, name="donation_edit"),
    path("donations/<int:pk>/delete/", records.donation_delete, name="donation_delete"),
    path("donations/<int:pk>/delete/confirm/", records.donation_delete_confirm, name="donation_delete_confirm"),
    path("donations/export/", records.donation_export, name="donation_export"),
    path("news/", records.news_list, name="news_list"),
    path("news/new/", records.news_create, name="news_create"),
    path("news/<int:pk>/", records.news_detail, name="news_detail"),
    path("news/<int:pk>/edit/", records.news_edit, name="news_edit"),
    path("news/<int:pk>/delete/", records.news_delete, name="news_delete"),
    path("news/<int:pk>/delete/confirm/", records.news_delete_confirm, name="news_delete_confirm"),
    path("news/export/", records.news_export, name="news_export"),
    path("news/photos/<int:pk>/", records.news_photo_file, name="news_photo"),
    path("news/photos/<int:pk>/thumbnail/", records.news_photo_thumbnail, name="news_photo_thumbnail"),
    path("news/photos/<int:pk>/delete/", records.news_photo_delete, name="news_photo_delete"),
    path("news/photos/<int:pk>/delete/confirm/", records.news_photo_delete_confirm, name="news_photo_delete_confirm"),
]
