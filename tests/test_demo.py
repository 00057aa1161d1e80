"""The demo data: a small run must load real, consistent histories."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from stdnum import ean

from unitrace.accounts.roles import ROLES
from unitrace.catalog.models import SKU
from unitrace.demo.seed import demo_password, demo_present, seed_demo
from unitrace.parties.models import Party
from unitrace.serials.genealogy import component_tree, where_used
from unitrace.serials.models import ComponentLink, Unit, UnitEvent
from unitrace.serials.rebuild import check_units
from unitrace.serials.statuses import Status
from unitrace.warranty.services import warranty_for


@pytest.mark.django_db
def test_small_demo_has_consistent_histories():
    result = seed_demo(units=200)

    assert demo_present()
    users = get_user_model().objects.prefetch_related("groups")
    for role in ROLES:
        user = users.get(username=role)
        assert [g.name for g in user.groups.all()] == [role]
        assert user.check_password(demo_password(role))
    scoped = users.get(username="distributor").profile.party
    assert scoped.kind == Party.Kind.DISTRIBUTOR
    assert scoped.regions.exists()
    assert Unit.objects.filter(distributor=scoped).exists()

    assert 150 <= result.units == Unit.objects.count() <= 260
    assert result.events == UnitEvent.objects.count()
    # Multi-event histories, in time order, matching the unit's own event count.
    rich = Unit.objects.filter(event_count__gte=5)
    assert rich.count() >= 30
    for unit in rich[:20]:
        times = list(unit.events.order_by("id").values_list("occurred_at", flat=True))
        assert len(times) == unit.event_count
        assert times == sorted(times)
    # Units are in many states, with different warranty outcomes.
    statuses = set(Unit.objects.values_list("status", flat=True))
    assert {Status.REGISTERED, Status.IN_STOCK, Status.FITTED} <= statuses
    assert statuses & {Status.SOLD, Status.ACTIVATED, Status.INSTALLED}
    finished = Unit.objects.filter(sku__warranty_months__gt=0, parent__isnull=True)
    states = {warranty_for(u).state for u in finished.select_related("sku")[:200]}
    assert len(states) >= 2

    # Replaying the ledger gives the stored state back.
    assert list(check_units()) == []

    # Component trees both ways.
    link = ComponentLink.objects.filter(removed_at__isnull=True).select_related("parent").first()
    assert link is not None
    tree = component_tree(link.parent)
    assert link.component_id in {child.unit.pk for child in tree.children}
    assert where_used(link.component)[0]["id"] == link.parent_id

    # Master data is valid: GTINs, Chinese mobile numbers, addresses.
    for gtin in SKU.objects.exclude(gtin=None).values_list("gtin", flat=True):
        assert ean.is_valid(gtin), gtin
    for party in Party.objects.all():
        assert re.fullmatch(r"1[3-9]\d{9}", party.phone), party.phone
        assert party.province and party.city and party.district


@pytest.mark.django_db
def test_seed_demo_command_is_idempotent():
    out = StringIO()
    call_command("seed_demo", "--units", "60", stdout=out)
    first = out.getvalue()
    units = Unit.objects.count()
    assert "admin-demo-2026" in first
    assert units > 0

    out = StringIO()
    call_command("seed_demo", "--units", "60", stdout=out)
    assert "already present" in out.getvalue()
    assert "agent-demo-2026" in out.getvalue()
    assert Unit.objects.count() == units


# Every list a newcomer opens from the menu, with a word each row of it shows.
DEMO_LISTS = (
    ("procurement:order_list", ("partially received", "draft", "cancelled", "closed")),
    ("procurement:supplier_list", ()),
    ("sales:order_list", ("partially delivered", "cancelled")),
    ("sales:delivery_list", ()),
    ("sales:rma_list", ()),
    ("service:workorder_list", ("new",)),
    ("sales:customers", ()),
    ("sales:channel_list", ()),
    ("authenticity:alert_list", ()),
    ("inventory:transfer_list", ("in transit", "draft")),
    ("inventory:stocktake_list", ()),
    ("inventory:part_stock", ()),
    ("inventory:part_moves", ()),
    ("inventory:low_stock", ()),
    ("inventory:warehouse_list", ()),
)


def _table_rows(html: str) -> list[str]:
    bodies = re.findall(r"<tbody[^>]*>(.*?)</tbody>", html, flags=re.S)
    return [row for body in bodies for row in re.findall(r"<tr[\s>].*?</tr>", body, flags=re.S)]


@pytest.mark.django_db
def test_demo_fills_every_list_for_the_manager(client):
    from django.urls import reverse
    from django.utils import translation

    from unitrace.authenticity.models import DiversionAlert
    from unitrace.procurement.models import PurchaseOrder
    from unitrace.sales.models import Delivery, SalesOrder
    from unitrace.service.models import RMA, Exchange

    result = seed_demo(units=200)
    # documents are real rows, made by the services, in several states
    assert set(PurchaseOrder.objects.values_list("status", flat=True)) >= {
        "draft", "open", "partial", "received", "closed", "cancelled"
    }  # fmt: skip
    assert set(SalesOrder.objects.values_list("status", flat=True)) >= {
        "open", "partial", "delivered", "cancelled"
    }  # fmt: skip
    assert Delivery.objects.count() == result.stats["deliveries"] >= 3
    assert RMA.objects.count() == result.stats["returns"] + result.stats["exchanges"]
    assert Exchange.objects.exists()
    assert DiversionAlert.objects.count() == result.stats["diversion_alerts"] >= 2
    assert list(check_units()) == []  # the documents went through the ledger

    client.force_login(get_user_model().objects.get(username="manager"))
    with translation.override("en"):
        for name, words in DEMO_LISTS:
            response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="en")
            assert response.status_code == 200, name
            html = response.content.decode()
            assert _table_rows(html), f"{name} shows no rows"
            for word in words:
                assert word in html, f"{name} lacks {word!r}"

    # the public pages speak for the demo manufacturer, not for the software
    from unitrace.demo.seed import DEMO_COMPANY

    client.logout()
    unit = Unit.objects.exclude(public_token="").first()
    public = client.get(reverse("serials:public_unit", args=[unit.public_token])).content.decode()
    assert DEMO_COMPANY["name"] in public and DEMO_COMPANY["hotline"] in public


@pytest.mark.django_db
def test_demo_has_a_service_queue_made_through_the_service():
    from unitrace.service.models import FaultCode, WorkOrder, WorkOrderTransition

    result = seed_demo(units=300)

    assert result.stats["fault_codes"] == FaultCode.objects.count() >= 10
    orders = WorkOrder.objects.all()
    # the queue, plus the depot repairs that returns inspected for repair opened
    assert orders.count() >= result.stats["work_orders"] >= 10
    assert orders.filter(channel="rma").exists()
    states = set(orders.values_list("state", flat=True))
    assert len(states) >= 4 and "new" in states
    assert len(set(orders.values_list("channel", flat=True))) >= 2
    # every order has its opening step and one step per later state change
    for order in orders:
        steps = list(order.transitions.values_list("to_state", flat=True))
        assert steps[0] == "new" and steps[-1] == order.state
    assert WorkOrderTransition.objects.filter(action="assign").exists()
    # repairs that reached the bench went through the ledger, which still replays cleanly
    assert UnitEvent.objects.filter(ref_type="WO").exists()
    assert list(check_units()) == []
