from django.urls import path

from unitrace.core import company_views

app_name = "company"
urlpatterns = [
    path("", company_views.company_settings, name="settings"),
    path("logo/", company_views.company_logo, name="logo"),
]
