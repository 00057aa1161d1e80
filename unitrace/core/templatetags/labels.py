"""``{% load labels %}``: codes in templates become labels (see ``unitrace.core.labels``).

``{{ event.reference.type|document_type }}``, ``{{ event.source|event_source }}`` and
``{{ value|choice_label:Model.Choices }}`` render the translated name of a stored code.
"""

from __future__ import annotations

from django import template

from unitrace.core import labels

register = template.Library()


@register.filter
def document_type(code: str | None) -> str:
    return labels.document_type_label(code)


@register.filter
def event_source(code: str | None) -> str:
    return labels.source_label(code)


@register.filter
def choice_label(value: object, choices) -> str:
    return labels.choice_label(choices, value)
