"""Distributors' sales to end customers (sell-through), recorded by them or for them."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unitrace.core.display import shown_date
from unitrace.parties.models import Party
from unitrace.parties.phones import normalize_phone
from unitrace.parties.regions import Region, authorized
from unitrace.sales.models import SellThrough
from unitrace.serials import ledger
from unitrace.serials.ledger import LedgerError
from unitrace.serials.models import Unit


def record_sell_through(
    distributor: Party,
    unit: Unit,
    customer: Party,
    *,
    region: Region | None = None,
    customer_name: str = "",
    customer_phone: str = "",
    when: datetime | None = None,
    user=None,
) -> SellThrough:
    """The distributor sold ``unit`` (which it must hold) to ``customer``.

    ``region`` is where this sale happened, as given with it (the sale form's
    province/city/district, the activation's region); it is recorded on the
    sell-through and its ledger event and decides ``in_region``. Only when no region
    is given (staff picking an existing customer by code) is the customer's stored
    region used. ``customer_name``/``customer_phone`` are what the recorder typed:
    they are what a distributor is shown of this customer (``sell_through_dict``).

    A sale outside the distributor's authorized regions is recorded (the goods are
    gone) and flagged ``in_region=False`` for the channel manager's diversion report.
    """
    if distributor.kind != Party.Kind.DISTRIBUTOR:
        raise LedgerError(
            _("%(party)s is not a distributor") % {"party": distributor.code},
            code="not_distributor",
        )
    if customer.kind != Party.Kind.CUSTOMER:
        raise LedgerError(
            _("%(party)s is not a customer") % {"party": customer.code}, code="not_customer"
        )
    when = when or timezone.now()
    if region is None:
        region = Region(customer.province, customer.city, customer.district)
    with transaction.atomic():
        locked = Unit.objects.select_for_update().get(pk=unit.pk)
        if locked.holder_id != distributor.pk:
            if locked.distributor_id == distributor.pk and locked.holder_id is not None:
                sold = shown_date(locked.sold_at)
                message = _("already sold to an end customer on %(date)s") % {"date": sold}
                code = "already_sold"
            else:
                message = _("not held by %(party)s") % {"party": distributor.name}
                code = "not_held"
            raise LedgerError(message, unit=locked, code=code)
        sale = SellThrough.objects.create(
            distributor=distributor,
            unit=locked,
            customer=customer,
            sold_at=when,
            customer_name=customer_name.strip(),
            customer_phone=normalize_phone(customer_phone),
            region=str(region),
            in_region=authorized(distributor, region) if region.province else True,
            created_by=user if user is not None and user.is_authenticated else None,
        )
        ledger.sell_through(
            locked,
            customer,
            when=when,
            region=str(region),
            ref_type="ST",
            ref_id=str(sale.pk),
            details={"distributor": distributor.code, "in_region": sale.in_region},
        )
    unit.refresh_from_db()
    return sale
