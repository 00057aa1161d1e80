"""Finding a customer: by phone, by the phone's last four digits, by a name's beginning."""

from __future__ import annotations

import pytest
from django.db import connection

from tests import factories as f
from unitrace.core.models import ChangeLog
from unitrace.parties.models import Party
from unitrace.parties.search import CustomerSearchRefused, find_customers, is_phone_like

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return {
        "zhang": f.CustomerFactory(code="C1", name="张三", phone="13812341234"),
        "zhangsf": f.CustomerFactory(code="C2", name="张三丰", phone="13955551234"),
        "li": f.CustomerFactory(code="C3", name="李四", phone="0571-88886666"),
        "wang": f.CustomerFactory(code="C4", name="王五", phone="13600007777"),
        "firm": f.CustomerFactory(
            code="C5", name="张江科技有限公司", is_company=True, phone="13700001111"
        ),
        # not a customer: never found, even with a matching phone
        "dealer": f.DistributorFactory(code="D9", name="张家港经销商", phone="13812341234"),
    }


def names(hits) -> list[str]:
    return [hit.name for hit in hits]


def test_the_stored_tail_follows_the_phone(people):
    zhang = people["zhang"]
    assert zhang.phone_tail == "1234"
    zhang.phone = "13800009999"
    zhang.save(update_fields=["phone"])
    assert Party.objects.get(pk=zhang.pk).phone_tail == "9999"
    assert Party.objects.get(pk=people["li"].pk).phone_tail == "6666"


@pytest.mark.parametrize(
    "query",
    ["13812341234", "138 1234 1234", "+86 138-1234-1234", "8613812341234", "(138)12341234"],
)
def test_a_whole_mobile_number_in_any_spelling(people, make_user, query):
    assert names(find_customers(query, make_user("agent"))) == ["张三"]


@pytest.mark.parametrize("query", ["0571-88886666", "057188886666", "0571 8888 6666"])
def test_a_landline(people, make_user, query):
    assert names(find_customers(query, make_user("agent"))) == ["李四"]


def test_the_last_four_digits_find_every_customer_with_them(people, make_user):
    hits = find_customers("1234", make_user("agent"))
    assert names(hits) == ["张三", "张三丰"]  # by name; the distributor is not a customer
    assert names(find_customers("51234", make_user("agent"))) == ["张三丰"]
    assert find_customers("0000", make_user("agent")) == []


def test_a_name_prefix_and_an_exact_code(people, make_user):
    agent = make_user("agent")
    assert names(find_customers("张", agent)) == ["张三", "张三丰", "张江科技有限公司"]
    assert names(find_customers("张三", agent)) == ["张三", "张三丰"]
    assert names(find_customers("三", agent)) == []  # a prefix, not anywhere in the name
    assert names(find_customers("C4", agent)) == ["王五"]
    assert names(find_customers("张", agent, limit=2)) == ["张三", "张三丰"]


def test_a_phone_search_without_pii_permission_is_refused(people, make_user):
    clerk = make_user("warehouse")  # sees customers, not their personal data
    for query in ("13812341234", "1234", "138 1234"):
        with pytest.raises(CustomerSearchRefused) as refused:
            find_customers(query, clerk)
        assert refused.value.code == "pii_required"
        assert "name" in str(refused.value.message)


def test_results_are_masked_without_pii_and_whole_with_it(people, make_user):
    (masked,) = find_customers("张三丰", make_user("warehouse"))
    assert (masked.name, masked.phone) == ("张**", "139****1234")
    (company,) = find_customers("张江", make_user("warehouse"))
    assert company.name == "张江科技有限公司"  # a company's name is not personal data
    (whole,) = find_customers("张三丰", make_user("agent"))
    assert (whole.name, whole.phone, whole.region) == (
        "张三丰",
        "13955551234",
        "浙江省/杭州市/西湖区",
    )


def test_scope_and_permissions(people, make_user, distributor):
    assert find_customers("张", f.distributor_login(distributor)) == []
    assert find_customers("张", f.UserFactory(username="nobody")) == []
    assert find_customers("   ", make_user("agent")) == []


def test_unmasked_reads_are_recorded_masked_ones_are_not(people, make_user):
    find_customers("张", make_user("warehouse"))
    assert not ChangeLog.objects.filter(action=ChangeLog.Action.READ).exists()
    find_customers("1234", make_user("agent"))
    entry = ChangeLog.objects.get(action=ChangeLog.Action.READ)
    assert entry.object_type == "parties.party"
    assert entry.after["rows"] == 2
    assert entry.after["what"] == "search:customers"
    find_customers("无此人", make_user("agent"))  # nothing shown, nothing recorded
    assert ChangeLog.objects.filter(action=ChangeLog.Action.READ).count() == 1


@pytest.mark.parametrize(
    ("query", "phone_like"),
    [("1234", True), ("138 1234", True), ("+86 13812341234", True), ("123", False),
     ("张三", False), ("C1234", False), ("", False)],
)  # fmt: skip
def test_what_counts_as_a_phone(query, phone_like):
    assert is_phone_like(query) is phone_like


@pytest.fixture
def many_customers(people, is_postgres):
    """20,000 more customers, analyzed, so PostgreSQL plans as it would in production
    (on a handful of rows any plan is as good as a scan)."""
    if not is_postgres:
        pytest.skip("query plans are PostgreSQL's")
    surnames, given = (
        "王李刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑",
        "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚",
    )
    Party.objects.bulk_create(
        Party(
            kind=Party.Kind.CUSTOMER,
            code=f"BULK{n:06d}",
            name=f"{surnames[n % 20]}{given[n // 20 % 20]}{n}",
            is_company=False,
            phone=f"15{n:09d}",
            phone_tail=f"{n:09d}"[-4:],
        )
        for n in range(20_000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE parties_party")


@pytest.mark.parametrize(
    ("query", "index"),
    [
        ("13812341234", "parties_party_phone"),
        ("1234", "party_kind_phone_tail"),
        ("51234", "party_kind_phone_tail"),
        ("张三", "party_name_prefix"),
    ],
)
def test_postgresql_answers_from_an_index(many_customers, make_user, query, index):
    from django.test.utils import CaptureQueriesContext

    agent = make_user("agent")
    with CaptureQueriesContext(connection) as queries:
        find_customers(query, agent)
    search = [q["sql"] for q in queries.captured_queries if 'FROM "parties_party"' in q["sql"]]
    assert search
    plans = []
    for sql in search:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {sql}")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    plan = "\n".join(plans)
    assert index in plan, plan
    assert "Seq Scan" not in plan, plan
