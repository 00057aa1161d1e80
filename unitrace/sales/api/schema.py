"""OpenAPI naming for the sales viewsets, whose list/retrieve bodies are plain dicts."""

from unitrace.core.schema import AutoSchema


class SalesSchema(AutoSchema):
    """A ``list`` returning a dict is still a list: keep operation ids distinct."""

    def get_operation_id(self) -> str:
        operation_id = super().get_operation_id()
        if getattr(self.view, "action", None) == "list" and operation_id.endswith("_retrieve"):
            return operation_id.removesuffix("_retrieve") + "_list"
        return operation_id
