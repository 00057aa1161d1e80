"""The supplier-quality page in Chinese: a date range reads 开始日期/结束日期 (not the
transfer pages' 调出/调入), suspects count by decision label, figures have separators."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories as f
from unitrace.inventory.transfers import create_transfer
from unitrace.procurement.models import Receipt
from unitrace.procurement.receiving import receive_scan
from unitrace.procurement.tests.conftest import FAKE1

pytestmark = pytest.mark.django_db
AC_GTIN = "06901234567892"
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def zh(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def test_date_filters_say_start_and_end_date(login, zh):
    page = login("procurement").get(reverse("procurement:quality"), **ZH).content.decode()

    assert '<label for="id_start">开始日期' in page or ">开始日期<" in page
    assert "结束日期" in page
    assert "调出" not in page and "调入" not in page


def test_transfers_keep_their_from_and_to(login, zh, warehouse):
    transfer = create_transfer(warehouse, f.WarehouseFactory(code="R-SH", name="上海仓"))

    url = reverse("inventory:transfer_detail", args=[transfer.pk])
    page = login("warehouse").get(url, **ZH).content.decode()

    assert "<dt>调出</dt>" in page and "<dt>调入</dt>" in page


def test_suspects_are_counted_by_their_decision_label(login, zh, receipt, listed):
    receive_scan(receipt, f"(01){AC_GTIN}(21){FAKE1}")  # not on the list: pending suspect

    page = login("procurement").get(reverse("procurement:quality"), **ZH).content.decode()

    assert 'data-decision="pending">待处理：1</span>' in page
    assert "pending:" not in page


def test_suspects_in_english(login, receipt, listed):
    receive_scan(receipt, f"(01){AC_GTIN}(21){FAKE1}")

    page = login("procurement").get(reverse("procurement:quality")).content.decode()

    assert 'data-decision="pending">pending: 1</span>' in page
    assert "From" in page and "To" in page


def test_figures_have_thousands_separators(login, zh, receipt, listed):
    receive_scan(receipt, "A0001")
    Receipt.objects.filter(pk=receipt.pk).update(scanned=150000, accepted=149000)

    page = login("procurement").get(reverse("procurement:quality"), **ZH).content.decode()

    assert '<td class="num">150,000</td>' in page
    assert '<td class="num">149,000</td>' in page
