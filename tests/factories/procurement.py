"""Purchase orders, made through the procurement services (draft, then opened)."""

from __future__ import annotations

from decimal import Decimal

import factory

from unitrace.procurement import orders
from unitrace.procurement.models import PurchaseOrder

from .parties import SupplierFactory


class PurchaseOrderFactory(factory.django.DjangoModelFactory):
    """``PurchaseOrderFactory(lines=[(sku, 3, "1999.00")], number="PO-T1", warehouse=wh)``.

    Lines are (SKU, quantity[, unit price]); the order is opened unless ``opened=False``
    (then it stays a draft).
    """

    class Meta:
        model = PurchaseOrder

    supplier = factory.SubFactory(SupplierFactory, code=factory.Sequence(lambda n: f"SUP-{n}"))
    number = ""
    warehouse = None
    lines: tuple = ()
    opened = True

    @classmethod
    def _create(cls, model_class, *, supplier, lines, opened=True, **kwargs) -> PurchaseOrder:
        order = orders.create_order(
            supplier,
            [orders.LineInput(sku, qty, *map(Decimal, price)) for sku, qty, *price in lines],
            **kwargs,
        )
        return orders.open_order(order) if opened else order
