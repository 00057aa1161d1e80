from django.apps import AppConfig


class SerialsConfig(AppConfig):
    name = "unitrace.serials"
    label = "serials"

    def ready(self) -> None:
        # Registers the bulk job handlers with the job runner.
        from unitrace.serials import jobs  # noqa: F401
        from unitrace.serials.api import errors

        # The API renders ledger refusals through core's exception handler.
        errors.register()
