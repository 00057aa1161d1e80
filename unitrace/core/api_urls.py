from django.urls import path

from unitrace.core.api_views import JobStatusView

urlpatterns = [path("jobs/<int:pk>/", JobStatusView.as_view(), name="api-job")]
