"""What the home page shows each role: the work that role does first.

A warehouse clerk scans, a customer-service agent looks a unit or a customer up, a
manager reads the figures. The home is composed at the read side because the figures
come from the documents (purchase orders, sales orders, returns) and from the diversion
alerts; every figure is counted through its app's own visibility selector and shown
only to a user holding the permission of the page it links to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from unitrace.authenticity.models import DiversionAlert
from unitrace.authenticity.selectors import alerts_visible_to
from unitrace.procurement.models import PurchaseOrder, SuspectUnit
from unitrace.procurement.selectors import orders_visible_to, suspects_visible_to
from unitrace.sales.models import SalesOrder
from unitrace.sales.selectors import orders_for
from unitrace.serials.selectors import units_visible_to
from unitrace.serials.statuses import Status
from unitrace.service.models import RMA
from unitrace.service.selectors import rmas_for

SCAN = "scan"
SEARCH = "search"
FIGURES = "figures"

# the home of each role; a login with several roles gets the first listed here
HOME_OF_ROLE: dict[str, str] = {
    "admin": FIGURES,
    "manager": FIGURES,
    "quality": FIGURES,
    "auditor": FIGURES,
    "agent": SEARCH,
    "dispatcher": SEARCH,
    "supervisor": SEARCH,
    "sales": SEARCH,
    "distributor": SEARCH,
    "warehouse": SCAN,
    "procurement": SCAN,
    "engineer": SCAN,
}


def home_kind(user) -> str:
    """Which home ``user`` gets: by role (see ``HOME_OF_ROLE``), the scan page otherwise."""
    roles = set(user.groups.values_list("name", flat=True))
    for role, kind in HOME_OF_ROLE.items():
        if role in roles:
            return kind
    return FIGURES if user.is_superuser else SCAN


@dataclass(frozen=True)
class Figure:
    """One number on the manager's home, with the page that lists what it counts."""

    key: str
    label: Any
    count: int
    url: str
    tone: str  # "", "warn" or "bad": how much the number asks for attention


@dataclass(frozen=True)
class FigureSpec:
    key: str
    label: Any
    perm: str
    url_name: str
    query: str
    tone: str
    rows: Callable[[Any], QuerySet]


FIGURES_SHOWN: list[FigureSpec] = [
    FigureSpec(
        "units_in_stock",
        _("Units in stock"),
        "serials.view_unit",
        "serials:unit_list",
        f"?status={Status.IN_STOCK}",
        "",
        lambda user: units_visible_to(user).filter(status=Status.IN_STOCK),
    ),
    FigureSpec(
        "units_quarantined",
        _("Units quarantined or blocked"),
        "serials.view_unit",
        "serials:unit_list",
        f"?status={Status.QUARANTINED}&status={Status.BLOCKED}",
        "warn",
        lambda user: units_visible_to(user).filter(status__in=[Status.QUARANTINED, Status.BLOCKED]),
    ),
    FigureSpec(
        "purchase_orders_open",
        _("Purchase orders to receive"),
        "procurement.view_purchaseorder",
        "procurement:order_list",
        "",
        "",
        lambda user: orders_visible_to(user).filter(
            status__in=[PurchaseOrder.Status.OPEN, PurchaseOrder.Status.PARTIAL]
        ),
    ),
    FigureSpec(
        "suspects_pending",
        _("Suspect units to decide"),
        "procurement.view_suspectunit",
        "procurement:suspect_list",
        "",
        "bad",
        lambda user: suspects_visible_to(user).filter(decision=SuspectUnit.Decision.PENDING),
    ),
    FigureSpec(
        "sales_orders_open",
        _("Sales orders to deliver"),
        "sales.view_salesorder",
        "sales:order_list",
        "",
        "",
        lambda user: orders_for(user).filter(
            status__in=[SalesOrder.Status.OPEN, SalesOrder.Status.PARTIAL]
        ),
    ),
    FigureSpec(
        "returns_open",
        _("Returns waiting for inspection"),
        "service.view_rma",
        "sales:rma_list",
        "",
        "warn",
        lambda user: rmas_for(user).filter(status=RMA.Status.OPEN),
    ),
    FigureSpec(
        "alerts_open",
        _("Open diversion alerts"),
        "authenticity.view_diversionalert",
        "authenticity:alert_list",
        f"?status={DiversionAlert.Status.OPEN}",
        "bad",
        lambda user: alerts_visible_to(user).filter(status=DiversionAlert.Status.OPEN),
    ),
]


def figures_for(user) -> list[Figure]:
    """The figures ``user`` may see (one per page they may open), counted as they see them."""
    return [
        Figure(
            spec.key,
            spec.label,
            spec.rows(user).count(),
            reverse(spec.url_name) + spec.query,
            spec.tone,
        )
        for spec in FIGURES_SHOWN
        if user.has_perm(spec.perm)
    ]
