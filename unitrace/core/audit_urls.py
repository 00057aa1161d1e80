from django.urls import path

from unitrace.core import audit_views

app_name = "audit"
urlpatterns = [
    path("", audit_views.changelog, name="changelog"),
    path("export/", audit_views.changelog_export, name="changelog_export"),
]
