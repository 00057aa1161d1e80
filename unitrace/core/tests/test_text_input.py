"""The one rule for text: which characters no input may contain, and where they are."""

from __future__ import annotations

from django.http import QueryDict

from unitrace.core.fields import INTEGER, FormIntegerField, IntegerField
from unitrace.core.text import forbidden_paths, has_forbidden


def test_forbidden_and_allowed_characters() -> None:
    for bad in ["\x00", "a\x01", "\x07", "\x0b", "\x1b", "\x7f", "\ud800"]:
        assert has_forbidden(bad), repr(bad)
    for good in ["张三", "line\nbreak\r\n", "tab\there", "0106901234567892\x1d21SN1", ""]:
        assert not has_forbidden(good), repr(good)


def test_paths_name_the_input_at_fault() -> None:
    data = {"lines": [{"sku": "ok"}, {"sku": "A\x00"}], "name\x00": "x", "n": 1}
    assert sorted(forbidden_paths(data)) == ["lines.1.sku", "name\x00"]
    assert list(forbidden_paths(QueryDict("q=a&q=%00"))) == ["q"]
    deep: list = []
    for _ in range(5000):  # no recursion, whatever the depth
        deep = [deep]
    assert list(forbidden_paths(deep)) == []


def test_integer_fields_are_bounded_by_their_column() -> None:
    field = IntegerField(min_value=1)
    assert (field.min_value, field.max_value) == (1, INTEGER[1])
    assert IntegerField(big=True).max_value == 2**63 - 1
    assert IntegerField(max_value=10).max_value == 10
    assert IntegerField(max_value=10**20).max_value == INTEGER[1]
    assert FormIntegerField(min_value=1).max_value == INTEGER[1]
