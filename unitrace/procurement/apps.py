from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "unitrace.procurement"
    label = "procurement"

    def ready(self) -> None:
        # Registers the bulk job handlers (ASN import, receiving from a file).
        from unitrace.procurement import jobs  # noqa: F401
