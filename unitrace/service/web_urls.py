"""Service pages under ``/service/``: the agent console (work-order pages join it)."""

from django.urls import path

from unitrace.service.views import search

app_name = "service"
urlpatterns = [
    path("search/", search.agent_search, name="search"),
]
