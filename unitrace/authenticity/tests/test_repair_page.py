"""The customer's repair page from the label, and the progress page it links to."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from unitrace.authenticity.codes import format_code, verification_code
from unitrace.core import notify
from unitrace.service.models import PhoneCode, WorkOrder, WorkOrderAttachment, WorkOrderFlag
from unitrace.service.models.workorders import attachment_storage
from unitrace.service.tests.photos import heic, jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def budgets(settings):
    settings.REPAIR_RATE_LIMIT = 50
    settings.REPAIR_UNIT_RATE_LIMIT = 50
    settings.REPAIR_RATE_WINDOW = 3600
    notify.outbox.clear()


@pytest.fixture
def unit(make_unit, customer):
    return make_unit("REP-1", to=customer)


def url(unit) -> str:
    return f"/p/repair/{unit.public_token}/"


def form(unit, **kw) -> dict:
    base = {
        "contact_name": "赵女士",
        "contact_phone": "13912345678",
        "address": "浙江省杭州市西湖区文三路 1 号",
        "description": "不制冷",
        "label_code": format_code(verification_code(unit)),
    }
    return {**base, **kw}


def photo(name: str, data: bytes, kind: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=kind)


def errors(response) -> dict[str, list[str]]:
    return {k: [str(m) for m in v] for k, v in response.context["form"].errors.items()}


def test_the_label_page_has_a_repair_button_to_this_units_page(client, unit):
    page = client.get(f"/u/{unit.public_token}/")
    assert page.status_code == 200
    assert f'href="{url(unit)}"' in page.content.decode()


def test_the_check_by_serial_and_code_offers_the_repair_too_but_not_for_a_scrapped_unit(
    client, unit
):
    from unitrace.serials import ledger

    checked = client.post(
        "/p/verify/", {"serial": unit.serial, "code": format_code(verification_code(unit))}
    )
    assert f'href="{url(unit)}"' in checked.content.decode()
    ledger.scrap(unit)
    scrapped = client.get(f"/u/{unit.public_token}/").content.decode()
    assert "has been scrapped" in scrapped
    assert url(unit) not in scrapped


def test_the_page_shows_the_serial_and_nothing_of_the_owner(client, unit, customer):
    page = client.get(url(unit))
    text = page.content.decode()
    assert page.status_code == 200
    assert "geolocation=(self)" in page["Permissions-Policy"]  # "use my location"
    assert "camera=()" in page["Permissions-Policy"]
    assert unit.serial in text
    assert customer.name not in text
    if customer.phone:
        assert customer.phone not in text
    assert 'name="contact_name"' in text and 'value="' + customer.name not in text


def test_a_request_with_the_label_code_opens_a_work_order_and_links_progress(client, unit):
    answer = client.post(
        url(unit), {**form(unit), "photos": [photo("a.jpg", jpeg()), photo("b.heic", heic())]}
    )
    assert answer.status_code == 302, errors(answer) if answer.status_code == 400 else ""
    wo = WorkOrder.objects.get()
    assert answer["Location"] == f"/r/{wo.public_token}/?new=1"
    assert wo.channel == "public_page"
    assert wo.unit == unit
    assert wo.contact_phone == "13912345678"
    assert wo.attachments.count() == 2
    assert not WorkOrderFlag.objects.filter(work_order=wo, code="label_unverified").exists()
    done = client.get(answer["Location"])
    text = done.content.decode()
    assert wo.number in text
    assert "Thank you" in text
    assert "flag" not in text.lower()


def test_the_progress_page_shows_nothing_personal(client, unit):
    client.post(url(unit), form(unit, contact_name="赵小红"))
    wo = WorkOrder.objects.get()
    text = Client().get(f"/r/{wo.public_token}/").content.decode()
    assert "赵**" in text
    assert "139****5678" in text
    assert "13912345678" not in text
    assert "赵小红" not in text
    assert "文三路" not in text
    assert "Received" in text
    assert Client().get("/r/not-a-real-token-at-all/").status_code == 404


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"contact_name": ""}, "contact_name", "name of the person"),
        ({"contact_phone": ""}, "contact_phone", "phone number"),
        ({"contact_phone": "12345"}, "contact_phone", "Chinese mobile"),
        ({"address": ""}, "address", "address to go to"),
        ({"description": ""}, "description", "what is wrong"),
        ({"description": "x" * 2001}, "description", "2000"),
        ({"contact_name": "x" * 101}, "contact_name", "100"),
        ({"window_slot": "morning"}, "window_date", "day as well"),
        ({"window_date": "2001-01-01"}, "window_date", "between today"),
        ({"fault_code": "999999"}, "fault_code", "valid choice"),
        ({"label_code": ""}, "label_code", "code printed on the label"),
        ({"label_code": "AAAA-BBBB"}, "label_code", "not the code on this product"),
        ({"latitude": "95", "longitude": "120"}, "address", ""),
    ],
)
def test_each_field_is_refused_with_its_own_message(client, unit, change, field, words):
    answer = client.post(url(unit), form(unit, **change))
    assert answer.status_code == 400
    found = errors(answer)
    assert field in found, found
    assert any(words in m for m in found[field]), found
    assert WorkOrder.objects.count() == 0


def test_one_bad_photo_refuses_everything_and_names_it(client, unit):
    storage = attachment_storage()
    before = storage.listdir("")[0] if storage.exists("work-orders") else []
    answer = client.post(
        url(unit),
        {
            **form(unit),
            "photos": [photo("ok.jpg", jpeg()), photo("notes.txt", b"hello", "text/plain")],
        },
    )
    assert answer.status_code == 400
    assert any("Photo 2 (notes.txt)" in m for m in errors(answer)["photos"])
    assert WorkOrder.objects.count() == 0
    assert WorkOrderAttachment.objects.count() == 0
    after = storage.listdir("")[0] if storage.exists("work-orders") else []
    assert after == before


def test_an_oversized_photo_is_refused_clearly(client, unit, settings):
    settings.UNITRACE_PHOTO_MAX_BYTES = 1000
    answer = client.post(url(unit), {**form(unit), "photos": [photo("big.jpg", jpeg())]})
    assert answer.status_code == 400
    assert any("Photo 1 (big.jpg) is too large" in m for m in errors(answer)["photos"])


def test_the_sms_code_is_a_second_factor(client, unit):
    sent = client.post(f"{url(unit)}code/", form(unit, label_code=""))
    assert sent.status_code == 200
    assert "139****5678" in sent.content.decode()
    # the form shown again sends the request itself, not another code
    assert f'action="{url(unit)}"' in sent.content.decode()
    phone, message = notify.outbox[-1]
    assert phone == "13912345678"
    code = re.search(r"\b(\d{6})\b", message).group(1)
    row = PhoneCode.objects.get()
    assert code not in row.code_hash  # stored hashed
    answer = client.post(url(unit), form(unit, label_code="", phone_code=code))
    assert answer.status_code == 302
    wo = WorkOrder.objects.get()
    # the phone is proven, the label is not: flagged for a person, not refused
    assert WorkOrderFlag.objects.filter(work_order=wo, code="label_unverified").exists()
    again = client.post(url(unit), form(unit, label_code="", phone_code=code))
    assert "Ask for a code" in " ".join(errors(again)["phone_code"])


def test_a_wrong_sms_code_counts_and_locks_after_the_attempts(client, unit, settings):
    settings.UNITRACE_PHONE_CODE_ATTEMPTS = 3
    client.post(f"{url(unit)}code/", form(unit, label_code=""))
    code = re.search(r"\b(\d{6})\b", notify.outbox[-1][1]).group(1)
    wrong = "000000" if code != "000000" else "111111"
    first = client.post(url(unit), form(unit, label_code="", phone_code=wrong))
    assert "2 tries left" in " ".join(errors(first)["phone_code"])
    client.post(url(unit), form(unit, label_code="", phone_code=wrong))
    client.post(url(unit), form(unit, label_code="", phone_code=wrong))
    locked = client.post(url(unit), form(unit, label_code="", phone_code=code))
    assert "Too many wrong codes" in " ".join(errors(locked)["phone_code"])
    assert PhoneCode.objects.get().attempts == 3
    assert WorkOrder.objects.count() == 0


def test_an_expired_sms_code_is_refused(client, unit):
    client.post(f"{url(unit)}code/", form(unit, label_code=""))
    code = re.search(r"\b(\d{6})\b", notify.outbox[-1][1]).group(1)
    from datetime import timedelta

    from django.utils import timezone

    PhoneCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    answer = client.post(url(unit), form(unit, label_code="", phone_code=code))
    assert "expired" in " ".join(errors(answer)["phone_code"])
    assert WorkOrder.objects.count() == 0


def test_a_code_is_sent_only_to_a_mobile_number(client, unit):
    answer = client.post(
        f"{url(unit)}code/", form(unit, label_code="", contact_phone="0571-8888888")
    )
    assert answer.status_code == 400
    assert "contact_phone" in errors(answer)
    assert notify.outbox == []


def test_requests_are_limited_per_client_and_per_unit(client, unit, make_unit, settings):
    settings.REPAIR_RATE_LIMIT = 4
    settings.REPAIR_UNIT_RATE_LIMIT = 2
    assert client.post(url(unit), form(unit, contact_name="")).status_code == 400
    assert client.post(url(unit), form(unit, contact_name="")).status_code == 400
    limited = client.post(url(unit), form(unit, contact_name=""))  # the unit's budget
    assert limited.status_code == 429
    assert "Retry-After" in limited
    second, third = make_unit("REP-2"), make_unit("REP-3")
    assert client.post(url(second), form(second, contact_name="")).status_code == 400
    # the client's fifth request, on a unit nobody else asked about: its own budget
    assert client.post(url(third), form(third, contact_name="")).status_code == 429
    other_client = Client(REMOTE_ADDR="10.9.9.9")
    assert other_client.post(url(third), form(third, contact_name="")).status_code == 400
    assert client.get(url(unit)).status_code == 200  # reading the form costs nothing
    assert WorkOrder.objects.count() == 0


def test_a_second_request_while_one_is_open_is_told_so_without_details(client, unit):
    client.post(url(unit), form(unit))
    again = client.post(url(unit), form(unit, contact_name="别人"))
    assert again.status_code == 400
    text = again.content.decode()
    assert "already open" in text
    assert WorkOrder.objects.get().number not in text
    assert WorkOrder.objects.count() == 1


def test_an_unknown_label_is_a_404(client, db):
    assert client.get("/p/repair/AAAAAAAAAAAAAAAA/").status_code == 404


def test_one_page_submission_costs_a_bounded_number_of_queries(client, unit):
    with CaptureQueriesContext(connection) as queries:
        answer = client.post(url(unit), {**form(unit), "photos": [photo("a.jpg", jpeg())]})
    assert answer.status_code == 302
    print(f"\nqueries per page submission: {len(queries)}")
    assert len(queries) <= 45
