"""Warehouses of every level and their bins.

The one module that names where Warehouse and Bin live.
"""

from __future__ import annotations

import factory

from unitrace.places.models import Bin, Warehouse


class WarehouseFactory(factory.django.DjangoModelFactory):
    """The headquarters warehouse 总仓 unless told otherwise."""

    class Meta:
        model = Warehouse

    code = "HQ"
    name = "总仓"
    level = Warehouse.Level.HQ


class BinFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bin

    warehouse = factory.SubFactory(WarehouseFactory, code=factory.Sequence(lambda n: f"W{n}"))
    code = factory.Sequence(lambda n: f"A{n + 1}")
