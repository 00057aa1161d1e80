"""The project's URLs plus a page that fails, for the 500 page's tests."""

from django.urls import path

from unitrace.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401


def boom(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("boom/", boom), *urlpatterns]
