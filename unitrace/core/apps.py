from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig as DjangoStaticFilesConfig


class CoreConfig(AppConfig):
    name = "unitrace.core"
    label = "core"


class StaticFilesConfig(DjangoStaticFilesConfig):
    """collectstatic without ReDoc: the API docs use Swagger UI, and the ReDoc bundle
    of drf-spectacular-sidecar loads its logo from a CDN."""

    ignore_patterns = [*DjangoStaticFilesConfig.ignore_patterns, "redoc"]
