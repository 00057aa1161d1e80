"""A saved view of the work-order list: a name for a set of filters someone uses daily.

The filters are kept as the list's own query parameters, so applying a view is opening
the list with them; what the rows are is still decided by the viewer's data scope
(``service.access``), never by who saved the view. A shared view is offered to every
login that may open the list.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedView(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="work_order_views",
    )
    name = models.CharField(_("name"), max_length=60)
    params = models.JSONField(_("filters"), default=dict, blank=True)
    shared = models.BooleanField(
        _("shared"), default=False, help_text=_("Offered to everyone who may open the list.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved work-order view")
        verbose_name_plural = _("saved work-order views")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="wo_view_owner_name"),
        ]
        indexes = [models.Index(fields=["shared", "name"], name="wo_view_shared")]

    def __str__(self) -> str:
        return self.name
