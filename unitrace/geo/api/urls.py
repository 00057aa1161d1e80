from django.urls import path

from unitrace.geo.api.views import DivisionListView, ResolveView

urlpatterns = [
    path("divisions/", DivisionListView.as_view(), name="api-divisions"),
    path("divisions/resolve/", ResolveView.as_view(), name="api-divisions-resolve"),
]
