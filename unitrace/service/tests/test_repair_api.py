"""``POST /api/v1/repair-requests/``: fields, photos, channels, idempotency, the answer."""

from __future__ import annotations

import base64
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from tests import factories as f
from unitrace.service.intake import max_photo_bytes
from unitrace.service.models import (
    FaultCategory,
    FaultCode,
    IdempotencyKey,
    WorkOrder,
    WorkOrderAttachment,
)
from unitrace.service.models.workorders import attachment_storage
from unitrace.service.tests.photos import heic, jpeg, png

pytestmark = pytest.mark.django_db
URL = "/api/v1/repair-requests/"
NOW = timezone.now()


@pytest.fixture
def sold_unit(sku, warehouse, customer):
    return f.UnitFactory(
        serial="API-R1",
        sku=sku,
        registered=NOW - timedelta(days=40),
        history=[
            f.received(warehouse, when=NOW - timedelta(days=39)),
            f.delivered(customer, when=NOW - timedelta(days=30)),
        ],
    )


@pytest.fixture
def agent(api):
    return api("agent", "crm-bot")


@pytest.fixture
def fault(db):
    category = FaultCategory.objects.create(code="COOL", name_zh="制冷", name_en="Cooling")
    return FaultCode.objects.create(
        category=category, code="E1", name_zh="不制冷", name_en="Not cooling"
    )


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def body(**kw) -> dict:
    base = {
        "serial": "API-R1",
        "contact_name": "王先生",
        "contact_phone": "13800138000",
        "address": "浙江省杭州市西湖区文三路 1 号",
        "description": "不制冷",
        "channel": "wechat",
    }
    return {**base, **kw}


def stored_files() -> list[str]:
    storage = attachment_storage()
    try:
        dirs, _files = storage.listdir("work-orders")
    except FileNotFoundError:
        return []
    found = []
    for d in dirs:
        found += storage.listdir(f"work-orders/{d}")[1]
    return found


def test_a_request_opens_a_work_order_and_answers_ticket_link_cover_and_flags(
    agent, sold_unit, fault
):
    answer = agent.post(
        URL, body(fault_code="E1", photos=[{"name": "a.jpg", "data": b64(jpeg())}]), format="json"
    )
    assert answer.status_code == 201, answer.json()
    data = answer.json()
    wo = WorkOrder.objects.get(number=data["number"])
    assert wo.channel == "wechat"
    assert wo.unit == sold_unit
    assert wo.fault_code == fault
    assert data["progress_url"].endswith(f"/r/{wo.public_token}/")
    assert data["entitlement"]["covered"] is True
    assert data["entitlement"]["state"] == "in_warranty"
    assert data["flags"] == []
    assert data["photos"] == 1
    assert wo.attachments.count() == 1


def test_every_channel_an_integration_names_is_recorded(agent, sold_unit):
    for n, channel in enumerate(["api", "call_centre", "crm"]):
        answer = agent.post(
            URL, body(serial="", channel=channel, contact_phone=f"1380013800{n}"), format="json"
        )
        assert answer.status_code == 201
        assert WorkOrder.objects.get(number=answer.json()["number"]).channel == channel
    refused = agent.post(URL, body(channel="agent"), format="json")
    assert refused.status_code == 400
    assert refused.json()["field"] == "channel"


def test_an_unknown_serial_is_kept_and_flagged_never_refused(agent, db):
    answer = agent.post(URL, body(serial="NOPE-999"), format="json")
    assert answer.status_code == 201
    data = answer.json()
    assert data["unit_identified"] is False
    assert data["serial"] == "NOPE-999"
    assert "unknown_serial" in data["flags"]
    assert data["entitlement"]["state"] == "unknown_unit"


def test_a_gs1_element_string_names_the_unit(agent, sold_unit):
    sold_unit.sku.gtin = "06901234567892"
    sold_unit.sku.save()
    answer = agent.post(URL, body(serial="(01)06901234567892(21)API-R1"), format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["unit_identified"] is True


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"contact_name": ""}, "contact_name", "name of the person"),
        ({"contact_phone": ""}, "contact_phone", "phone number"),
        ({"contact_phone": "12345"}, "contact_phone", ""),
        ({"address": ""}, "address", "address to go to"),
        (
            {
                "window_start": "2026-12-20T10:00:00+08:00",
                "window_end": "2026-12-20T09:00:00+08:00",
            },
            "window_end",
            "end after it starts",
        ),
        ({"fault_code": "ZZ"}, "fault_code", "not a fault code"),
        ({"latitude": "95", "longitude": "120"}, "latitude", ""),
        ({"adcode": "999999"}, "adcode", "not a division code"),
        ({"description": "x" * 4001}, "description", "4000"),
        ({"contact_name": "x" * 101}, "contact_name", "100"),
        ({"kind": "party"}, "kind", ""),
        ({"mode": "teleport"}, "mode", "not one of on_site, carry_in, mail_in"),
        ({"channel": "fax"}, "channel", ""),
        ({"photos": [{"name": "a.jpg", "data": "not base64!"}]}, "photos.0.data", "base64"),
    ],
)
def test_each_field_is_refused_with_its_own_message(agent, sold_unit, change, field, words):
    answer = agent.post(URL, body(**change), format="json")
    assert answer.status_code == 400, answer.json()
    rows = {r["field"]: r["message"] for r in answer.json()["rows"]}
    assert field in rows, rows
    assert words in rows[field]
    assert WorkOrder.objects.count() == 0


def test_photos_are_reencoded_as_jpeg_without_exif_and_heic_is_accepted(agent, sold_unit):
    photos = [
        {"name": "gps.jpg", "data": b64(jpeg(gps=True, size=(3000, 2000)))},
        {"name": "IMG_0001.HEIC", "data": b64(heic())},
        {"name": "shot.png", "data": b64(png())},
    ]
    answer = agent.post(URL, body(photos=photos), format="json")
    assert answer.status_code == 201, answer.json()
    attachments = list(WorkOrder.objects.get().attachments.order_by("id"))
    assert [a.original_name for a in attachments] == ["gps.jpg", "IMG_0001.HEIC", "shot.png"]
    for a in attachments:
        with a.file.open("rb") as stored:
            image = Image.open(io.BytesIO(stored.read()))
        assert image.format == "JPEG"
        assert a.content_type == "image/jpeg"
        assert not image.getexif()
        assert max(image.size) <= 2048
    assert (attachments[0].width, attachments[0].height) == (2048, 1365)


def test_one_bad_photo_among_good_ones_stores_nothing(agent, sold_unit):
    before = stored_files()
    photos = [
        {"name": "ok1.jpg", "data": b64(jpeg())},
        {"name": "ok2.jpg", "data": b64(jpeg())},
        {"name": "virus.exe", "data": b64(b"MZ\x90\x00 not a picture at all")},
    ]
    answer = agent.post(URL, body(photos=photos), format="json")
    assert answer.status_code == 400
    assert answer.json()["field"] == "photos"
    assert "Photo 3 (virus.exe) is not a picture" in answer.json()["detail"]
    assert WorkOrder.objects.count() == 0
    assert WorkOrderAttachment.objects.count() == 0
    assert stored_files() == before


def test_an_oversized_photo_is_refused_by_name(agent, sold_unit, settings):
    settings.UNITRACE_PHOTO_MAX_BYTES = 2000
    photos = [{"name": "big.jpg", "data": b64(jpeg(size=(800, 800)))}]
    answer = agent.post(URL, body(photos=photos), format="json")
    assert answer.status_code == 400
    assert "Photo 1 (big.jpg) is too large" in answer.json()["detail"]
    assert WorkOrder.objects.count() == 0


def test_more_than_six_photos_are_refused(agent, sold_unit):
    photos = [{"name": f"{n}.jpg", "data": b64(jpeg(size=(20, 20)))} for n in range(7)]
    answer = agent.post(URL, body(photos=photos), format="json")
    assert answer.status_code == 400
    assert answer.json()["rows"][0]["field"] == "photos"


def test_a_failure_after_photos_were_written_removes_them(agent, sold_unit, monkeypatch):
    from unitrace.service import intake

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(intake, "receipt_body", broken)
    before = stored_files()
    with pytest.raises(RuntimeError):
        agent.post(URL, body(photos=[{"name": "a.jpg", "data": b64(jpeg())}]), format="json")
    assert WorkOrder.objects.count() == 0
    assert stored_files() == before


def test_a_retry_with_the_same_key_answers_the_first_response(agent, sold_unit):
    first = agent.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    again = agent.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert WorkOrder.objects.count() == 1
    assert IdempotencyKey.objects.get().work_order.number == first.json()["number"]


def test_the_same_key_with_another_body_is_refused(agent, sold_unit):
    agent.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="abc-2")
    other = agent.post(URL, body(description="漏水"), format="json", HTTP_IDEMPOTENCY_KEY="abc-2")
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert other.json()["field"] == "Idempotency-Key"
    assert WorkOrder.objects.count() == 1


def test_keys_belong_to_their_caller(api, sold_unit):
    one, two = api("agent", "crm-a"), api("agent", "crm-b")
    first = one.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="same")
    second = two.post(URL, body(allow_duplicate=True), format="json", HTTP_IDEMPOTENCY_KEY="same")
    assert first.status_code == second.status_code == 201
    assert first.json()["number"] != second.json()["number"]


def test_a_bad_key_is_refused(agent, sold_unit):
    answer = agent.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="has space")
    assert answer.status_code == 400
    assert answer.json()["field"] == "Idempotency-Key"


def test_a_second_request_on_an_open_unit_is_a_duplicate_unless_meant(agent, sold_unit):
    first = agent.post(URL, body(), format="json")
    second = agent.post(URL, body(), format="json")
    assert second.status_code == 409
    assert second.json()["code"] == "duplicate_open_work_order"
    assert second.json()["meta"]["open_work_orders"] == [first.json()["number"]]
    third = agent.post(URL, body(allow_duplicate=True), format="json")
    assert third.status_code == 201
    assert "repeated_claim" in third.json()["flags"]


def test_without_the_permission_nothing_is_opened(api, no_role_api, sold_unit):
    assert api(None).post(URL, body(), format="json").status_code == 401
    assert no_role_api.post(URL, body(), format="json").status_code == 403
    assert api("auditor").post(URL, body(), format="json").status_code == 403
    assert WorkOrder.objects.count() == 0


def test_one_submission_costs_a_bounded_number_of_queries(agent, sold_unit):
    agent.post(URL, body(serial="", contact_phone="13900000000"), format="json")  # warm up
    with CaptureQueriesContext(connection) as queries:
        answer = agent.post(
            URL,
            body(photos=[{"name": "a.jpg", "data": b64(jpeg(size=(64, 64)))}]),
            format="json",
            HTTP_IDEMPOTENCY_KEY="count-me",
        )
    assert answer.status_code == 201
    print(f"\nqueries per submission: {len(queries)}")
    for q in queries.captured_queries:
        print("  ", q["sql"][:140])
    assert len(queries) <= 40


def test_max_photo_bytes_default_is_twelve_megabytes():
    assert max_photo_bytes() == 12 * 1024 * 1024
