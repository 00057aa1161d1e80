"""Numbers with thousands separators and dates in each language's format, except where a
number is read back by a machine (form values, links): those stay plain digits.

zh-Hans: 150,000 and 2026-01-15 (Django's own zh_Hans groups nothing); English: 150,000
and 01/15/2026.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django import forms
from django.db import connection
from django.template import Context, Template
from django.utils import formats, translation

from tests import factories as f
from unitrace.serials.models import Unit

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.mark.parametrize(
    ("language", "number", "day", "moment"),
    [
        ("zh-hans", "150,000", "2026-01-15", "2026-01-15 14:30"),
        ("en", "150,000", "01/15/2026", "01/15/2026 14:30"),
    ],
)
def test_numbers_and_dates_in_each_language(language, number, day, moment):
    page = Template('{{ n }}|{{ d|date:"SHORT_DATE_FORMAT" }}|{{ t|date:"SHORT_DATETIME_FORMAT" }}')
    context = Context({"n": 150000, "d": date(2026, 1, 15), "t": datetime(2026, 1, 15, 14, 30)})
    with translation.override(language):
        assert page.render(context) == f"{number}|{day}|{moment}"


def test_date_inputs_take_iso_dates_first_in_chinese():
    """``<input type="date">`` shows and sends only 2026-01-15."""
    with translation.override("zh-hans"):
        assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%Y-%m-%d"
        assert formats.localize_input(date(2026, 1, 15)) == "2026-01-15"


def test_number_inputs_of_forms_stay_plain():
    class Quantity(forms.Form):
        quantity = forms.IntegerField(initial=150000)

    with translation.override("zh-hans"):
        assert 'value="150000"' in str(Quantity()["quantity"])


@pytest.fixture
def big_unit(sku, warehouse):
    """A unit whose id has four digits: 1,234 on a page would break a link or a form."""
    # ids are drawn from the sequence (PostgreSQL) or after the highest id (SQLite)
    Unit.objects.create(id=1233, sku=sku, serial="FILLER", status="registered")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = Unit._meta.db_table
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 1233)")
    unit = f.UnitFactory(sku=sku, serial="BIG1", history=[f.received(warehouse)])
    assert unit.pk == 1234
    return unit


def test_ids_in_links_and_form_values_have_no_separator(login, big_unit, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    client = login("warehouse")

    detail = client.get("/units/1234/", **ZH).content.decode()
    listing = client.get("/units/", {"q": "BIG1"}, **ZH).content.decode()

    assert "?ids=1234" in detail and "?ids=1,234" not in detail
    assert 'name="ids" value="1234"' in listing
    assert 'value="1,234"' not in listing
