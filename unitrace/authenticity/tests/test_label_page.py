"""The label's QR code is the authenticity check: recorded, counted, clone-flagged,
honest about scrapped and recalled units, rate-limited; plus the optional region a
customer adds under any result."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.urls import reverse

from unitrace.authenticity import codes, verification
from unitrace.authenticity.models import DiversionAlert, Verification
from unitrace.core.display import shown_moment
from unitrace.serials import ledger

pytestmark = pytest.mark.django_db
IP = "203.0.113.9"


def label(unit, **params):
    return reverse("serials:public_unit", args=[unit.public_token]), params


def scan(client, unit, ip=IP, **params):
    url, query = label(unit, **params)
    return client.get(url, query, REMOTE_ADDR=ip)


def html_of(response) -> str:
    return response.content.decode()


def proof_in(html: str) -> str:
    return re.search(r'name="check" value="([^"]+)"', html).group(1)


# --- gap 1: /u/<token> records the check ---------------------------------------------------


def test_scanning_the_label_records_a_check_with_network_and_region(client, distributor_unit):
    response = scan(client, distributor_unit, province="浙江省", city="杭州市")
    html = html_of(response)
    assert response.status_code == 200
    record = Verification.objects.get()
    assert (record.unit_id, record.method, record.outcome) == (
        distributor_unit.pk,
        "token",
        "genuine",
    )
    assert record.network_hash == codes.network_hash(IP)
    assert (record.province, record.city) == ("浙江省", "杭州市")
    assert "Registered genuine unit" in html and 'data-result="genuine"' in html
    assert "First verified on" in html and "this is check number 1" in html
    assert response["Cache-Control"] == "no-store" and response["X-Robots-Tag"] == "noindex"


def test_every_scan_counts_and_shows_the_first_check(client, distributor_unit):
    scan(client, distributor_unit)
    html = html_of(scan(client, distributor_unit))
    first = Verification.objects.order_by("id").first().checked_at
    assert "this is check number 2" in html
    assert re.search(r'id="check-number">2<', html)

    assert shown_moment(first) in html


def test_a_label_scanned_too_often_is_flagged_as_cloned(client, distributor_unit, settings):
    settings.AUTHENTICITY_CLONE_MAX_CHECKS = 2
    pages = [html_of(scan(client, distributor_unit)) for _ in range(3)]
    assert ['id="clone-warning"' in p for p in pages] == [False, False, True]
    assert Verification.objects.order_by("-id").first().outcome == "suspect"


def test_outside_the_region_the_scan_raises_a_diversion_alert(client, distributor_unit):
    scan(client, distributor_unit, province="广东省", city="深圳市")
    alert = DiversionAlert.objects.get()
    assert (alert.source, alert.region) == ("verification", "广东省深圳市")
    assert alert.source_ref == f"verification:{Verification.objects.get().pk}"


def test_a_scrapped_unit_is_not_called_genuine(client, customer_unit):
    ledger.scrap(customer_unit)
    html = html_of(scan(client, customer_unit))
    assert 'data-result="scrapped"' in html and "Scrapped unit" in html
    assert "has been scrapped" in html
    assert "Registered genuine unit" not in html and "genuine-mark" not in html
    assert Verification.objects.get().outcome == "suspect"


def test_a_recalled_unit_is_genuine_and_under_recall(client, customer_unit):
    ledger.recall(customer_unit)
    html = html_of(scan(client, customer_unit))
    assert 'data-standing="recalled"' in html and 'id="recall-notice"' in html
    assert "covered by a recall" in html


def test_scrapped_and_recalled_in_the_public_answer(customer_unit, distributor_unit):
    ledger.recall(distributor_unit)
    ledger.scrap(customer_unit)
    recalled = verification.verify(verification.Credentials(token=distributor_unit.public_token))
    scrapped = verification.verify(verification.Credentials(token=customer_unit.public_token))
    assert (recalled.public()["result"], recalled.public()["standing"]) == ("genuine", "recalled")
    assert recalled.public()["notice"]
    assert (scrapped.public()["result"], scrapped.public()["standing"]) == ("scrapped", "scrapped")
    assert "Genuine" not in scrapped.public()["message"]


def test_an_unknown_handle_is_a_recorded_friendly_404(client, db):
    response = client.get("/u/NoSuchToken123/", REMOTE_ADDR=IP)
    assert response.status_code == 404
    assert 'id="unknown-code"' in html_of(response)
    assert Verification.objects.get().outcome == "unknown"


def test_the_label_page_is_rate_limited_before_the_database(
    client, distributor_unit, settings, django_assert_max_num_queries
):
    settings.AUTHENTICITY_RATE_LIMIT = 2
    assert [scan(client, distributor_unit).status_code for _ in range(3)] == [200, 200, 429]
    with django_assert_max_num_queries(1):  # the budget only, no lookup of the handle
        limited = client.get("/u/NoSuchToken123/", REMOTE_ADDR=IP)
    assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1
    assert Verification.objects.count() == 2
    assert scan(client, distributor_unit, ip="198.51.100.7").status_code == 200


def test_the_signed_digital_link_is_one_check_and_one_request_of_the_budget(
    client, distributor_unit, settings
):
    settings.AUTHENTICITY_RATE_LIMIT = 2
    settings.DIGITAL_LINK_BASE_URL = "https://id.example.cn/p"
    parts = urlsplit(codes.signed_digital_link(distributor_unit))
    path = f"{parts.path}?{parts.query}"
    statuses = [client.get(path, REMOTE_ADDR=IP).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert list(Verification.objects.values_list("method", flat=True)) == ["link", "link"]


def test_a_forged_link_signature_records_an_unknown_check(client, distributor_unit, settings):
    settings.DIGITAL_LINK_BASE_URL = "https://id.example.cn/p"
    path = urlsplit(codes.signed_digital_link(distributor_unit)).path
    response = client.get(f"{path}?s={'A' * codes.SIGNATURE_LENGTH}", REMOTE_ADDR=IP)
    assert "Enter the verification code" in html_of(response)
    assert Verification.objects.get().outcome == "unknown"
    client.get(path, REMOTE_ADDR=IP)  # unsigned: a landing, not a check
    assert Verification.objects.count() == 1


def test_staff_who_can_open_the_file_are_not_counted(client, make_user, distributor_unit):
    scan(client, distributor_unit)  # a customer's check
    client.force_login(make_user("warehouse"))
    html = html_of(scan(client, distributor_unit))
    assert Verification.objects.count() == 1
    assert 'id="staff-preview"' in html and "Checked by customers 1 time" in html
    assert reverse("serials:unit_detail", args=[distributor_unit.pk]) in html


# --- gap 3: the optional region under the result -----------------------------------------


def test_the_verify_result_offers_an_optional_region_and_records_it(client, distributor_unit):
    page = client.get(reverse("authenticity:verify"), {"t": distributor_unit.public_token})
    html = html_of(page)
    assert 'id="region-form"' in html and "Where are you? (optional)" in html
    response = client.post(
        reverse("authenticity:verify_region"),
        {"check": proof_in(html), "province": "广东省", "city": "深圳市"},
    )
    assert response.status_code == 200
    assert 'id="region-added"' in html_of(response) and 'id="region-form"' not in html_of(response)
    record = Verification.objects.get()  # the same check, not a second one
    assert (record.province, record.city, record.region_key) == ("广东省", "深圳市", "广东/深圳")
    alert = DiversionAlert.objects.get()
    assert (alert.source, alert.source_ref) == ("verification", f"verification:{record.pk}")
    assert "this is check number 1" in html_of(response)


def test_the_label_page_offers_the_region_too(client, distributor_unit):
    html = html_of(scan(client, distributor_unit))
    client.post(
        reverse("authenticity:verify_region"),
        {"check": proof_in(html), "province": "浙江省", "city": "宁波市"},
        REMOTE_ADDR=IP,
    )
    assert Verification.objects.get().region == "浙江省宁波市"
    assert not DiversionAlert.objects.exists()  # inside the distributor's regions


def test_no_region_form_when_the_region_came_with_the_check(client, distributor_unit):
    html = html_of(scan(client, distributor_unit, province="浙江省", city="杭州市"))
    assert 'id="region-form"' not in html


def test_the_region_is_optional_and_said_once(client, distributor_unit):
    html = html_of(client.get(reverse("authenticity:verify"), {"t": distributor_unit.public_token}))
    url, proof = reverse("authenticity:verify_region"), proof_in(html)
    skipped = client.post(url, {"check": proof})
    assert skipped.status_code == 200 and 'id="region-form"' in html_of(skipped)
    bad = client.post(url, {"check": proof, "province": "Atlantis", "city": "X"})
    assert bad.status_code == 400 and "Select a valid choice." in html_of(bad)
    assert 'id="region-form"' in html_of(bad) and 'data-result="genuine"' in html_of(bad)
    assert Verification.objects.get().region_key == ""
    client.post(url, {"check": proof, "province": "浙江省", "city": "杭州市"})
    client.post(url, {"check": proof, "province": "广东省", "city": "深圳市"})  # ignored
    assert Verification.objects.get().region == "浙江省杭州市"
    assert Verification.objects.count() == 1 and not DiversionAlert.objects.exists()


def test_a_forged_or_expired_proof_changes_nothing(client, distributor_unit, monkeypatch):
    html = html_of(client.get(reverse("authenticity:verify"), {"t": distributor_unit.public_token}))
    url = reverse("authenticity:verify_region")
    other = Verification.objects.create(
        unit=distributor_unit, checked_at=Verification.objects.get().checked_at, method="code",
        outcome="genuine",
    )  # fmt: skip
    forged = signing.dumps(other.pk, salt="another purpose")
    response = client.post(url, {"check": forged, "province": "广东省", "city": "深圳市"})
    assert response.status_code == 400 and 'id="region-expired"' in html_of(response)
    monkeypatch.setattr(verification, "REGION_PROOF_MAX_AGE", -1)
    client.post(url, {"check": proof_in(html), "province": "广东省", "city": "深圳市"})
    assert not Verification.objects.exclude(region_key="").exists()
    assert not DiversionAlert.objects.exists()


def test_adding_a_region_is_rate_limited(client, distributor_unit, settings):
    html = html_of(client.get(reverse("authenticity:verify"), {"t": distributor_unit.public_token}))
    settings.AUTHENTICITY_RATE_LIMIT = 1  # the check above used the budget
    response = client.post(
        reverse("authenticity:verify_region"),
        {"check": proof_in(html), "province": "广东省", "city": "深圳市"},
    )
    assert response.status_code == 429
    assert Verification.objects.get().region_key == ""


def test_a_region_that_makes_too_many_places_flags_the_label(distributor_unit, settings):
    from unitrace.parties.regions import Region

    settings.AUTHENTICITY_CLONE_MAX_REGIONS = 1
    token = verification.Credentials(token=distributor_unit.public_token)
    verification.verify(token, region=Region("浙江省", "杭州市"))
    answer = verification.verify(token)
    assert not answer.possible_clone
    again = verification.add_region(answer.record.pk, Region("浙江省", "温州市"))
    assert again.clone_reasons == ["regions"] and again.check_number == 2
    assert Verification.objects.get(pk=answer.record.pk).outcome == "suspect"
