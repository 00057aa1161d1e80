"""Saved views of the work-order list: save the current filters under a name, apply,
share with everyone who may open the list, delete one's own.

A view holds filters only; the rows it shows are the viewer's (``service.access``), so
sharing a view never shares a supervisor's scope with an engineer.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from unitrace.service.access import may_list
from unitrace.service.filters import active_filters
from unitrace.service.models import SavedView

MAX_VIEWS = 50  # per owner: a list of saved views, not a second database


def views_for(user) -> QuerySet[SavedView]:
    """The user's own views and the shared ones (for those who may open the list)."""
    if not may_list(user):
        return SavedView.objects.none()
    return SavedView.objects.filter(Q(owner=user) | Q(shared=True)).select_related("owner")


def save_view(user, name: str, params: Mapping[str, str], *, shared: bool = False) -> SavedView:
    """Save (or overwrite the user's own view of the same name with) these filters."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the view a name.")})
    if len(name) > 60:
        raise ValidationError({"name": _("The name is longer than 60 characters.")})
    if "\x00" in name:
        raise ValidationError({"name": _("The name contains a null character.")})
    filters = active_filters(params)
    with transaction.atomic():
        existing = SavedView.objects.select_for_update().filter(owner=user, name=name).first()
        if existing is not None:
            existing.params, existing.shared = filters, shared
            existing.save(update_fields=["params", "shared"])
            return existing
        if SavedView.objects.filter(owner=user).count() >= MAX_VIEWS:
            raise ValidationError(
                {"name": _("You have %(n)d saved views; delete one first.") % {"n": MAX_VIEWS}}
            )
        try:
            with transaction.atomic():
                return SavedView.objects.create(
                    owner=user, name=name, params=filters, shared=shared
                )
        except IntegrityError:  # saved meanwhile under the same name
            raise ValidationError({"name": _("You already have a view of this name.")})


def delete_view(user, pk: int) -> bool:
    """Delete the user's own view ``pk``; False when there is none (another's included)."""
    deleted, _rows = SavedView.objects.filter(owner=user, pk=pk).delete()
    return bool(deleted)
