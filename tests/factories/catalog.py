"""SKUs with their serial and warranty rules, key components, production batches."""

from __future__ import annotations

import factory

from unitrace.catalog.models import SKU, Batch, ComponentSpec

AIRCON_GTIN = "06901234567892"


class SKUFactory(factory.django.DjangoModelFactory):
    """A SKU with the model's own defaults; ``aircon=True`` is the suite's AC-100.

    AC-100 carries a GTIN, a sequence serial rule with a check character and a
    12-month warranty from the sale; it is validated (``full_clean``) like the admin
    would before it is saved.
    """

    class Meta:
        model = SKU

    code = factory.Sequence(lambda n: f"SKU-{n}")
    name = factory.LazyAttribute(lambda o: f"Model {o.code}")
    validated = False  # run ``full_clean`` (GTIN and serial rule checks) before saving

    class Params:
        aircon = factory.Trait(
            code="AC-100",
            name="空调室内机",
            gtin=AIRCON_GTIN,
            serial_pattern="AC{YY}{MM}{SEQ:6}{CHECK}",
            warranty_months=12,
            warranty_start="sale",
            validated=True,
        )

    @classmethod
    def _create(cls, model_class, *args, validated: bool = False, **kwargs):
        if not validated:
            return super()._create(model_class, *args, **kwargs)
        item = model_class(*args, **kwargs)
        item.full_clean()
        item.save()
        return item


class ComponentSpecFactory(factory.django.DjangoModelFactory):
    """``parent`` lists ``component`` as a key component (what may be fitted inside)."""

    class Meta:
        model = ComponentSpec

    parent = factory.SubFactory(SKUFactory)
    component = factory.SubFactory(SKUFactory)
    quantity = 1


def board_and_chip(product: SKU) -> tuple[SKU, SKU]:
    """A main board fitted in ``product`` and a chip (two per board) fitted in the board."""
    board = SKUFactory(code="PCB-1", name="主板", serial_pattern="PB{SEQ:8}")
    chip = SKUFactory(code="CHIP-1", name="芯片", serial_pattern="CP{SEQ:8}")
    ComponentSpecFactory(parent=product, component=board, quantity=1, position="main")
    ComponentSpecFactory(parent=board, component=chip, quantity=2)
    return board, chip


class BatchFactory(factory.django.DjangoModelFactory):
    """A production batch; ``ningbo=True`` is the suite's B2601, 1000 made in 宁波 on L2."""

    class Meta:
        model = Batch

    sku = factory.SubFactory(SKUFactory)
    code = factory.Sequence(lambda n: f"B{n}")

    class Params:
        ningbo = factory.Trait(
            code="B2601", production_date="2026-01-15", factory="宁波工厂", line="L2", quantity=1000
        )
