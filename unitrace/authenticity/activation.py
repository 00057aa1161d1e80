"""Product activation (激活/登记) by the end customer who scanned the label.

The customer gives a mobile number and where the product is used; we record who they
are (the unit's customer with that number, else a customer found or created by phone
and placeholder name), make the channel data right (in the region given now), and
let the ledger start the warranty. The ledger decides whether activation may happen;
this module turns its refusals into sentences a customer understands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from unitrace.authenticity.diversion import Source, check_diversion
from unitrace.authenticity.inputs import clean_region
from unitrace.authenticity.models import DiversionAlert
from unitrace.core.display import shown_date
from unitrace.core.errors import DomainError
from unitrace.parties.masking import mask_phone
from unitrace.parties.models import Party
from unitrace.parties.phones import normalize_mobile
from unitrace.parties.regions import Region
from unitrace.parties.services import find_or_create_customer
from unitrace.sales.sellthrough import record_sell_through
from unitrace.serials import ledger
from unitrace.serials.ledger import LedgerError
from unitrace.serials.models import Unit, UnitEvent
from unitrace.serials.statuses import EventType, Status, refusal
from unitrace.warranty.services import Warranty, warranty_for

NOT_YET_SOLD = frozenset(
    {
        Status.REGISTERED,
        Status.IN_STOCK,
        Status.IN_TRANSIT,
        Status.QUARANTINED,
        Status.BLOCKED,
        Status.MISSING,
        Status.FITTED,
        Status.REMOVED,
    }
)


class ActivationRefused(DomainError):
    """Activation cannot happen; ``message`` is meant for the customer.

    409: the unit's state (or its earlier activation) does not allow it, as the public
    page has always answered.
    """

    code = "activation_refused"
    status = 409

    def __init__(self, message: str, code: str):
        super().__init__(message, code=code)


@dataclass(frozen=True)
class Activation:
    unit: Unit
    customer: Party
    event: UnitEvent
    warranty: Warranty
    alert: DiversionAlert | None


def placeholder_name(phone: str) -> str:
    """The name of a customer known only by an activation: the masked number.

    Said in the site's default language, so the same number activating from browsers
    in different languages names (and so matches) the same customer.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _("End customer %(phone)s") % {"phone": mask_phone(phone)}


def _same_mobile(party: Party, phone: str) -> bool:
    try:
        return bool(party.phone) and normalize_mobile(party.phone) == normalize_mobile(phone)
    except ValidationError:
        return False


def customer_for_phone(phone: str, region: Region, holder: Party | None = None) -> Party:
    """The customer activating with this mobile number.

    * The unit's holder, when it is a customer with this very number: the channel
      recorded the sale to this person, and the number confirms it.
    * Otherwise a customer known only by activations of this number (same phone and
      the same placeholder name), or a new one. The sales app's rule applies
      (``find_or_create_customer``: phone *and* name must match), so a customer a
      distributor recorded by name is never merged with, or revealed to, whoever types
      their number here. A new party is named by the masked number: names are shown to
      every role, phones only to those allowed to see personal data.

    ``region`` only fills a new customer's record; the region of this activation is
    recorded on its events and sell-through, never written over an existing record
    by an unauthenticated form.
    """
    if holder is not None and holder.kind == Party.Kind.CUSTOMER and _same_mobile(holder, phone):
        return holder
    return find_or_create_customer(
        placeholder_name(phone),
        phone,
        province=region.province,
        city=region.city,
        district=region.district,
    )


def refusal_message(unit: Unit, exc: LedgerError) -> ActivationRefused:
    """The ledger's refusal, said for a customer."""
    if exc.code == "already_activated" and unit.activated_at:
        date = shown_date(unit.activated_at)
        return ActivationRefused(
            _(
                "This product was already activated on %(date)s; it cannot be activated twice. "
                "If you did not activate it, please contact customer service."
            )
            % {"date": date},
            "already_activated",
        )
    if unit.status in NOT_YET_SOLD:
        return ActivationRefused(
            _(
                "This product has not been sold yet, so it cannot be activated. Please activate "
                "it after you have received it from the seller."
            ),
            "not_sold",
        )
    return ActivationRefused(
        _("This product cannot be activated: %(reason)s. Please contact customer service.")
        % {"reason": exc.message},
        exc.code,
    )


def activation_refusal(unit: Unit) -> ActivationRefused | None:
    """Why ``unit`` cannot be activated now (None if it can), asked before any write."""
    if unit.activated_at is not None:
        return refusal_message(unit, LedgerError("", code="already_activated"))
    reason = refusal(EventType.ACTIVATED, unit.status)
    if reason:
        return refusal_message(unit, LedgerError(reason, code="illegal_transition"))
    return None


def _record_end_customer(unit: Unit, customer: Party, region: Region, when: datetime) -> None:
    """Make the end customer the unit's holder where the channel has not recorded one.

    * Held by a distributor (delivered, not yet sold on): the activation is the proof
      of the distributor's sale, so the sell-through is recorded first, through the
      sales app (its sell-out report counts it; the ledger's ``sold_through`` event
      refers to it). The holder becomes the end customer, the distributor stays on the
      unit for channel statistics and diversion checks, and ``sold_at`` becomes the
      end customer's purchase, so a warranty that runs from the sale starts for the
      customer, not months earlier when the distributor took stock. The in-region
      check of that sale uses the region given with this activation.
    * Shipped with no recorded buyer: the customer's activation confirms the delivery,
      so it is recorded as one (otherwise a warranty from the sale would never start).
    * Already held by a customer: nothing to change; the activation event names who
      activated.
    """
    holder = unit.holder
    if holder is not None and holder.kind == Party.Kind.DISTRIBUTOR and unit.status == Status.SOLD:
        record_sell_through(
            holder, unit, customer, region=region, customer_name=customer.name, when=when
        )
    elif holder is None and unit.status == Status.SHIPPED:
        ledger.deliver(
            unit,
            customer,
            when=when,
            ref_type="activation",
            notes=_("delivery confirmed by the customer's activation"),
        )


def activate_unit(
    unit: Unit,
    *,
    phone: str,
    province: str,
    city: str,
    district: str = "",
    when: datetime | None = None,
) -> Activation:
    """Activate ``unit`` for the customer with ``phone`` in the given region.

    Raises ``django.core.exceptions.ValidationError`` for bad input (per field) and
    ``ActivationRefused`` when the unit may not be activated; nothing is written then.
    """
    phone = normalize_mobile(phone)
    region = clean_region(province, city, district, required=True)
    when = when or timezone.now()
    with transaction.atomic():
        locked = (
            Unit.objects.select_for_update(of=("self",))
            .select_related("sku", "holder")
            .get(pk=unit.pk)
        )
        refused = activation_refusal(locked)
        if refused:  # fail before creating the customer; the ledger re-checks anyway
            raise refused
        customer = customer_for_phone(phone, region, locked.holder)
        try:
            _record_end_customer(locked, customer, region, when)
            event = ledger.activate(
                locked, region=str(region), party=customer, ref_type="activation", when=when
            )
        except LedgerError as exc:
            raise refusal_message(locked, exc) from exc
        alert = check_diversion(locked, region, Source.ACTIVATION, reference=event, when=when)
    for name in ("status", "holder_id", "sold_at", "activated_at", "last_event_at", "event_count"):
        setattr(unit, name, getattr(locked, name))
    return Activation(locked, customer, event, warranty_for(locked), alert)
