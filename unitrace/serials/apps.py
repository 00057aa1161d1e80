from django.apps import AppConfig


class SerialsConfig(AppConfig):
    name = "unitrace.serials"
    label = "serials"

    def ready(self) -> None:
        # Registers the bulk job handlers with the job runner.
        from unitrace.serials import jobs  # noqa: F401
