"""Every page speaks Chinese: no raw code of a model choice or document type in its text.

The catalogue tests (``core/tests/test_i18n.py``) prove each msgid has a msgstr; they
cannot see a template that prints ``{{ event.ref_type }}`` instead of its label. This
walks every page route with a logged-in admin on the demo company, in zh-Hans, and
reads the text a user sees (not attributes, scripts or form values) for codes: the
values of every model field's choices, the documents and sources of the ledger, and
enum reprs such as ``Status.ACTIVATED``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client

from tests.test_route_guard import all_paths
from unitrace.core.labels import DOCUMENT_TYPES, SOURCES

pytestmark = pytest.mark.django_db

ENUM_REPR = re.compile(r"\b[A-Z][A-Za-z]+\.[A-Z][A-Z0-9_]+\b")
SNAKE = re.compile(r"(?<![\w./-])[a-z]+(?:_[a-z0-9]+)+(?![\w./-])")
# pages that are not the site's own HTML (the admin has its own catalogue, the API and
# its documents answer JSON, files download) or that need parameters to mean anything
SKIP_PREFIXES = ("/admin/", "/api/", "/jsi18n/", "/i18n/", "/static/", "/media/")


class _Text(HTMLParser):
    """Collects the text nodes a reader sees: not in <script>, <style>, <template>,
    <datalist> (suggestion lists hold codes that are typed) or <option> values."""

    HIDDEN = {"script", "style", "template", "datalist", "code", "textarea"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self.HIDDEN:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.parts


def choice_codes() -> set[str]:
    """Every stored value of a choice field that a label would have to replace."""
    codes: set[str] = set(DOCUMENT_TYPES) | set(SOURCES)
    for model in apps.get_models():
        if not model.__module__.startswith("unitrace."):
            continue
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "flatchoices", None) or ():
                if isinstance(value, str) and re.fullmatch(r"[a-z][a-z0-9_]*", value):
                    codes.add(value)
    return codes


# "退换货与服务 (service)": a label may show its code beside it, for those who type it
LABEL_WITH_CODE = re.compile(r"(?<=\S) ?\([a-z][a-z0-9_]*\)")


def raw_codes(texts: list[str], codes: set[str]) -> set[str]:
    """The codes, snake_case words and enum reprs among the text nodes."""
    found: set[str] = set()
    for text in texts:
        text = LABEL_WITH_CODE.sub("", text)
        found.update(ENUM_REPR.findall(text))
        found.update(SNAKE.findall(text))
        # a label renders alone in its element (a tag, a badge, a cell) or before a colon
        for token in re.split(r"[\s:：,，·()（）]+", text):
            if token in codes:
                found.add(token)
    return found


def test_the_reader_sees_codes_in_text_but_not_in_attributes():
    texts = visible_text(
        '<p data-status="in_stock">在库 <span class="tag">command</span></p>'
        "<script>var s = 'work_order';</script><p>Status.ACTIVATED</p>"
        "<label>退换货与服务 (service)</label><td>sell_through 3</td>"
    )
    found = raw_codes(texts, {"command", "in_stock", "service"})
    assert found == {"command", "Status.ACTIVATED", "sell_through"}


def documents() -> None:
    """One of each document the demo does not make, so their pages have rows: a purchase
    order received with a suspect on it (supplier quality), a draft transfer, a sales
    order and a return."""
    from tests import factories as f
    from unitrace.catalog.models import SKU
    from unitrace.inventory.transfers import create_transfer
    from unitrace.parties.models import Party
    from unitrace.places.models import Warehouse
    from unitrace.procurement import asn
    from unitrace.procurement.receipts import open_receipt
    from unitrace.procurement.receiving import receive_scan
    from unitrace.serials.models import Unit
    from unitrace.serials.statuses import IN_FIELD_GROUP, Status
    from unitrace.service.returns import create_return

    sku = SKU.objects.filter(enforce_pattern=False).order_by("pk").first()
    warehouse, other = Warehouse.objects.order_by("pk")[:2]
    supplier = Party.objects.filter(kind="supplier").order_by("pk").first()
    order = f.PurchaseOrderFactory(supplier=supplier, lines=[(sku, 5)], warehouse=warehouse)
    asn.import_asn_rows(order, [(2, {"sku": sku.code, "serial": "I18N-LISTED"})])
    receipt = open_receipt(order, warehouse)
    receive_scan(receipt, "I18N-LISTED", sku=sku)
    receive_scan(receipt, "I18N-NOT-LISTED", sku=sku)  # a suspect, pending
    in_stock = Unit.objects.filter(status=Status.IN_STOCK, warehouse=warehouse)
    create_transfer(warehouse, other, units=list(in_stock[:2]))
    buyer = Party.objects.filter(kind="customer").order_by("pk").first()
    f.SalesOrderFactory(buyer=buyer, lines=[(sku, 2)])
    sold = Unit.objects.filter(status__in=IN_FIELD_GROUP, parent=None).order_by("pk")[:1]
    create_return(list(sold), warehouse, reason="故障")


@pytest.fixture
def admin_client(db, settings):
    from unitrace.core.context import Actor, acting_as
    from unitrace.demo.seed import DEMO_ADMIN, seed_demo

    settings.LANGUAGE_CODE = "zh-hans"
    seed_demo(units=200)
    admin = get_user_model().objects.get(username=DEMO_ADMIN)
    with acting_as(Actor(user_id=admin.pk, username=admin.username, source="web")):
        documents()
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(admin)
    return client


def page_paths() -> list[str]:
    return [p for p in all_paths() if not p.startswith(SKIP_PREFIXES)]


def test_every_page_shows_labels_not_codes_in_chinese(admin_client):
    from unitrace.serials.models import Unit

    # a login's name is data, even where it reads like a code (the demo's "distributor")
    codes = choice_codes() - set(get_user_model().objects.values_list("username", flat=True))
    # units with the richest histories: every document type and source of the demo
    unit_ids = list(Unit.objects.order_by("-event_count").values_list("pk", flat=True)[:15]) + list(
        Unit.objects.filter(parent__isnull=False).values_list("pk", flat=True)[:3]
    )
    paths = page_paths() + [f"/units/{pk}/" for pk in unit_ids]
    assert len(paths) > 40
    problems: dict[str, set[str]] = {}
    rendered = 0
    for path in paths:
        response = admin_client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        rendered += 1
        html = response.content.decode()
        if "<html" in html:  # a full page (htmx fragments have no <html>)
            assert 'lang="zh-hans"' in html, path
        found = raw_codes(visible_text(html), codes)
        if found:
            problems[path] = found
    assert rendered > 40
    assert problems == {}, "\n".join(f"{p}: {sorted(c)}" for p, c in problems.items())
