"""/api/v1/: each app contributes its own routes (``Plugin.api`` on its AppConfig)."""

from unitrace.core.plugins import api_urlpatterns

urlpatterns = api_urlpatterns()
