"""The public check: genuine or unknown, no oracle, counts, cloned labels."""

import json
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from unitrace.authenticity import codes
from unitrace.authenticity.models import Verification
from unitrace.authenticity.verification import Client, Credentials, verify
from unitrace.parties.regions import Region
from unitrace.serials import ledger

pytestmark = pytest.mark.django_db


def by_code(unit, code=None, **kw):
    return verify(Credentials(serial=unit.serial, code=code or codes.verification_code(unit)), **kw)


def test_genuine_by_token_code_and_signed_link(distributor_unit):
    link = codes.signed_digital_link(distributor_unit)
    answers = [
        verify(Credentials(token=distributor_unit.public_token)),
        by_code(distributor_unit, codes.format_code(codes.verification_code(distributor_unit))),
        verify(Credentials(link=link)),
        verify(Credentials(link=f"https://x.example/u/{distributor_unit.public_token}")),
    ]
    assert [a.public()["result"] for a in answers] == ["genuine"] * 4
    assert [a.record.method for a in answers] == ["token", "code", "link", "token"]
    assert all(a.unit.pk == distributor_unit.pk for a in answers)


def test_wrong_code_and_unknown_serial_get_the_same_answer(distributor_unit):
    wrong = by_code(distributor_unit, "ABCDEFGH").public()
    unknown = verify(Credentials(serial="NO-SUCH-SERIAL", code="ABCDEFGH")).public()
    bad_token = verify(Credentials(token="x" * 16)).public()
    assert wrong == unknown == bad_token
    assert wrong["result"] == "unknown" and set(wrong) == {"result", "message"}
    rows = list(Verification.objects.order_by("id"))
    assert [r.outcome for r in rows] == ["unknown"] * 3
    assert [r.unit_id for r in rows] == [None] * 3


def test_serial_alone_proves_nothing(distributor_unit):
    assert verify(Credentials(serial=distributor_unit.serial)).public()["result"] == "unknown"
    # a Digital Link without (or with a forged) signature only names the serial
    plain = codes.signed_digital_link(distributor_unit).split("?")[0]
    assert verify(Credentials(link=plain)).public()["result"] == "unknown"
    forged = f"{plain}?s={'A' * codes.SIGNATURE_LENGTH}"
    assert verify(Credentials(link=forged)).public()["result"] == "unknown"
    assert verify(Credentials(link=distributor_unit.serial)).public()["result"] == "unknown"


def test_a_code_is_bound_to_its_own_unit(distributor_unit, customer_unit):
    other_code = codes.verification_code(customer_unit)
    assert by_code(distributor_unit, other_code).public()["result"] == "unknown"


def test_first_verification_and_check_number(distributor_unit):
    first_time = timezone.now() - timedelta(days=3)
    by_code(distributor_unit, when=first_time)
    by_code(distributor_unit, when=first_time + timedelta(days=1))
    answer = verify(Credentials(token=distributor_unit.public_token)).public()
    local_first = timezone.localtime(first_time)
    assert answer["check_number"] == 3
    assert answer["first_verified_at"] == local_first.isoformat()
    assert answer["history"] == (
        f"First verified on {local_first:%m/%d/%Y %H:%M}, this is check number 3."
    )


def test_failed_checks_do_not_count_for_the_unit(distributor_unit):
    by_code(distributor_unit, "WRONGWRO")
    assert by_code(distributor_unit).check_number == 1


def test_nothing_personal_in_the_answer(customer_unit, customer):
    ledger.activate(customer_unit, region="浙江省杭州市")
    answer = by_code(customer_unit).public()
    text = json.dumps(answer, ensure_ascii=False)
    # the phone neither whole nor masked (138****1234); timestamps may contain any digits
    masked = f"{customer.phone[:3]}****{customer.phone[-4:]}"
    for personal in (customer.name, customer.phone, masked, customer.code, customer.address):
        assert personal not in text
    assert customer.phone[-4:] not in text.replace(answer["first_verified_at"], "")
    assert set(answer) == {
        "result",
        "message",
        "product",
        "serial",
        "first_verified_at",
        "check_number",
        "history",
        "activated",
        "possible_clone",
        "warning",
        "standing",
        "notice",
    }
    assert answer["activated"] is True


def test_the_record_keeps_no_raw_address_or_code(distributor_unit):
    code = codes.verification_code(distributor_unit)
    client = Client("203.0.113.77", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) " + "x" * 300)
    by_code(distributor_unit, code, client=client, region=Region("浙江省", "宁波市"))
    record = Verification.objects.get()
    values = json.dumps(list(Verification.objects.values()), default=str)
    assert "203.0.113" not in values and code not in values
    assert record.code_hash == codes.secret_digest(code)
    assert record.network_hash == codes.network_hash("203.0.113.1")
    assert len(record.user_agent) == 120
    assert (record.region, record.region_key) == ("浙江省宁波市", "浙江/宁波")


def test_too_many_checks_flag_a_cloned_label(distributor_unit):
    client = Client("198.51.100.10")
    answers = [by_code(distributor_unit, client=client) for _ in range(11)]
    assert [a.possible_clone for a in answers] == [False] * 10 + [True]
    assert answers[-1].clone_reasons == ["checks"]
    assert answers[-1].record.outcome == "suspect"
    public = answers[-1].public()
    assert public["result"] == "genuine" and public["possible_clone"] is True
    assert "copied" in public["warning"]


def test_old_checks_fall_out_of_the_window(distributor_unit):
    long_ago = timezone.now() - timedelta(days=40)
    for minute in range(10):
        by_code(distributor_unit, when=long_ago + timedelta(minutes=minute))
    answer = by_code(distributor_unit)
    assert answer.possible_clone is False
    assert answer.check_number == 11


def test_many_networks_flag_a_cloned_label(distributor_unit):
    answers = [by_code(distributor_unit, client=Client(f"203.0.{n}.5")) for n in range(4)]
    assert [a.possible_clone for a in answers] == [False, False, False, True]
    assert answers[-1].clone_reasons == ["networks"]


def test_same_network_counts_once(distributor_unit):
    answers = [by_code(distributor_unit, client=Client(f"203.0.113.{n}")) for n in range(6)]
    assert not any(a.possible_clone for a in answers)


def test_many_regions_flag_a_cloned_label(distributor_unit):
    places = [
        ("浙江省", "杭州市"),
        ("浙江", "杭州"),
        ("浙江省", "宁波市"),
        ("上海市", "浦东新区"),
        ("浙江省", "温州市"),
    ]
    answers = [by_code(distributor_unit, region=Region(*p)) for p in places]
    assert [a.possible_clone for a in answers] == [False, False, False, False, True]
    assert answers[-1].clone_reasons == ["regions"]


def test_thresholds_are_settings(distributor_unit, settings):
    settings.AUTHENTICITY_CLONE_MAX_CHECKS = 2
    answers = [by_code(distributor_unit) for _ in range(3)]
    assert [a.possible_clone for a in answers] == [False, False, True]


def test_a_scrapped_units_label_is_suspect(customer_unit):
    ledger.scrap(customer_unit)
    assert by_code(customer_unit).clone_reasons == ["scrapped"]


def test_wrong_code_costs_what_an_unknown_serial_costs(distributor_unit):
    """No timing oracle: both paths do one lookup, one HMAC and one insert."""

    def median(credentials) -> float:
        times = []
        for _ in range(15):
            start = time.perf_counter()
            verify(credentials)
            times.append(time.perf_counter() - start)
        return sorted(times)[7]

    verify(Credentials(serial="WARM-UP", code="ABCDEFGH"))
    wrong = median(Credentials(serial=distributor_unit.serial, code="ABCDEFGH"))
    unknown = median(Credentials(serial="NO-SUCH-SERIAL", code="ABCDEFGH"))
    assert 0.2 < wrong / unknown < 5
