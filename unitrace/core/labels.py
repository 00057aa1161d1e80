"""Codes stored in rows, shown to people: the one place that turns a code into its label.

A unit event keeps the kind of document that caused it (``ref_type``: ``work_order``,
``DN``…) and the channel it came through (``source``: ``web``, ``command``…) as short
codes, because they are matched and filtered on; the pages must show their translated
names instead. Choices of model fields have their own labels (``get_FOO_display``);
``choice_label`` reaches them for code that holds only a value.

Core imports no app, so the document types are listed here as plain codes; an app that
writes a new ``ref_type`` adds it here. An unknown code is shown as it is (an event
recorded over the API may carry a client's own document type) rather than hidden.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

# ref_type of unit events → the document's name. Context "document type": several of
# these words are also statuses or event names with a different translation.
DOCUMENT_TYPES: dict[str, Promise] = {
    "PO": pgettext_lazy("document type", "purchase order"),
    "DN": pgettext_lazy("document type", "delivery note"),
    "ST": pgettext_lazy("document type", "sell-through report"),
    "RMA": pgettext_lazy("document type", "return (RMA)"),
    "activation": pgettext_lazy("document type", "activation"),
    "asn": pgettext_lazy("document type", "advance shipping notice"),
    "assembly": pgettext_lazy("document type", "assembly order"),
    "delivery": pgettext_lazy("document type", "delivery"),
    "generate": pgettext_lazy("document type", "serial generation"),
    "installation": pgettext_lazy("document type", "installation"),
    "list": pgettext_lazy("document type", "registration list"),
    "maintenance": pgettext_lazy("document type", "maintenance"),
    "production": pgettext_lazy("document type", "production order"),
    "qc": pgettext_lazy("document type", "quality inspection"),
    "recall": pgettext_lazy("document type", "recall"),
    "receipt": pgettext_lazy("document type", "goods receipt"),
    "return": pgettext_lazy("document type", "return"),
    "sell_through": pgettext_lazy("document type", "sell-through report"),
    "shipment": pgettext_lazy("document type", "shipment"),
    "stocktake": pgettext_lazy("document type", "stocktake"),
    "transfer": pgettext_lazy("document type", "transfer order"),
    "work_order": pgettext_lazy("document type", "work order"),
}

# Actor.source (core.context) → where an action came from.
SOURCES: dict[str, Promise] = {
    "web": pgettext_lazy("event source", "web"),
    "api": pgettext_lazy("event source", "API"),
    "job": pgettext_lazy("event source", "background job"),
    "command": pgettext_lazy("event source", "command line"),
    "public": pgettext_lazy("event source", "public page"),
    "system": pgettext_lazy("event source", "system"),
}


def document_type_label(code: str | None) -> str:
    """The translated name of a document type; an unknown code as it is, ``""`` for none."""
    if not code:
        return ""
    label = DOCUMENT_TYPES.get(code)
    return str(label) if label is not None else code


def source_label(code: str | None) -> str:
    """The translated name of an event's source; an unknown code as it is."""
    if not code:
        return ""
    label = SOURCES.get(code)
    return str(label) if label is not None else code


def choice_label(choices: Iterable[tuple[object, object]], value: object) -> str:
    """The label of ``value`` among ``choices`` (a ``TextChoices`` class or pairs).

    An enum member and its plain value find the same label, so a value read with
    ``.values()`` and one built in code render alike; an unknown value as text.
    """
    pairs = choices.choices if hasattr(choices, "choices") else choices
    key = getattr(value, "value", value)
    for code, label in pairs:
        if code == key:
            return str(label)
    return "" if key is None else str(key)
