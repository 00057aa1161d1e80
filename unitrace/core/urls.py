from django.urls import path

from unitrace.core import views

app_name = "core"
urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("<int:pk>/", views.job_detail, name="job_detail"),
    path("<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("<int:pk>/cancel/", views.job_cancel, name="job_cancel"),
    path("<int:pk>/report.csv", views.job_report, name="job_report"),
    path("<int:pk>/download/", views.job_download, name="job_download"),
    path("exports/<slug:name>/", views.export_download, name="export"),
    path("templates/<slug:name>.xlsx", views.import_template_download, name="import_template"),
]
