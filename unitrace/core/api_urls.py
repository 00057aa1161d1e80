from django.urls import path

from unitrace.core.api_views import JobReportView, JobStatusView

urlpatterns = [
    path("jobs/<int:pk>/", JobStatusView.as_view(), name="api-job"),
    path("jobs/<int:pk>/report/", JobReportView.as_view(), name="api-job-report"),
]
