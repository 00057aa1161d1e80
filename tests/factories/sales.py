"""Sales channels, orders and deliveries, made through the sales services."""

from __future__ import annotations

from datetime import datetime

import factory

from unitrace.sales.delivery import deliver_order
from unitrace.sales.models import Delivery, SalesChannel, SalesOrder
from unitrace.sales.orders import create_order
from unitrace.sales.scanning import rows_from_text

from .parties import CustomerFactory


class SalesChannelFactory(factory.django.DjangoModelFactory):
    """The 京东 flagship store."""

    class Meta:
        model = SalesChannel

    code = "JD"
    name = "京东旗舰店"
    kind = "ecommerce"


class SalesOrderFactory(factory.django.DjangoModelFactory):
    """``SalesOrderFactory(buyer=customer, lines=[(sku, 5)], channel=channel)``: an open order."""

    class Meta:
        model = SalesOrder

    buyer = factory.SubFactory(CustomerFactory, code=factory.Sequence(lambda n: f"C-{n}"))
    lines: tuple = ()
    channel = None

    @classmethod
    def _create(cls, model_class, *, buyer, lines, **kwargs) -> SalesOrder:
        return create_order(buyer, list(lines), **kwargs)


def delivery(
    order: SalesOrder, warehouse, scanned: str, *, when: datetime | None = None, **kw
) -> Delivery:
    """Deliver the units whose codes ``scanned`` lists (as typed or scanned) against ``order``."""
    return deliver_order(order, warehouse, rows_from_text(scanned), when=when, **kw)
