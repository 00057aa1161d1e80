"""Suppliers, customers and distributors (with the regions they may sell in)."""

from __future__ import annotations

import factory

from unitrace.parties.models import AuthorizedRegion, Party


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    kind = Party.Kind.CUSTOMER
    code = factory.Sequence(lambda n: f"P{n}")
    name = factory.LazyAttribute(lambda o: f"Party {o.code}")


class SupplierFactory(PartyFactory):
    """The suite's supplier SUP1; give another ``code`` for a second one."""

    kind = Party.Kind.SUPPLIER
    code = "SUP1"
    name = "华东电子"


class CustomerFactory(PartyFactory):
    """A private customer with a Chinese mobile number and a 省/市/区 address."""

    kind = Party.Kind.CUSTOMER
    code = "C1"
    name = "张三"
    is_company = False
    phone = "13812341234"
    province = "浙江省"
    city = "杭州市"
    district = "西湖区"
    address = "文三路 100 号"


class DistributorFactory(PartyFactory):
    """``DistributorFactory(regions=[("浙江省",), ("上海市", "浦东新区")])``.

    Each region is (province[, city]); a distributor without regions may sell anywhere.
    """

    class Meta:
        skip_postgeneration_save = True  # the regions are rows of their own

    kind = Party.Kind.DISTRIBUTOR
    code = "D1"
    name = "华南经销商"

    @factory.post_generation
    def regions(party, create, extracted, **kwargs):
        authorize(party, *(extracted or ()))


def authorize(party: Party, *regions: tuple[str, ...]) -> Party:
    """Allow ``party`` to sell in each region, given as (province[, city])."""
    for region in regions:
        province, city = (*region, "")[:2]
        AuthorizedRegion.objects.create(party=party, province=province, city=city)
    return party
