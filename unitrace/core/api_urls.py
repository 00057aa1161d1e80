from django.urls import path

from unitrace.core.api_views import JobCancelView, JobDownloadView, JobReportView, JobStatusView
from unitrace.core.audit_api import ChangeLogExportView, ChangeLogListView

urlpatterns = [
    path("jobs/<int:pk>/", JobStatusView.as_view(), name="api-job"),
    path("jobs/<int:pk>/cancel/", JobCancelView.as_view(), name="api-job-cancel"),
    path("jobs/<int:pk>/report/", JobReportView.as_view(), name="api-job-report"),
    path("jobs/<int:pk>/download/", JobDownloadView.as_view(), name="api-job-download"),
    path("changelog/", ChangeLogListView.as_view(), name="api-changelog"),
    path("changelog/export/", ChangeLogExportView.as_view(), name="api-changelog-export"),
]
