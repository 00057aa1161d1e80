"""The two phone forms the app keeps, from one module."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from unitrace.parties.phones import normalize_mobile, normalize_phone


def test_party_phones_lose_spaces_and_brackets_only() -> None:
    assert normalize_phone("138 1234 1234") == "13812341234"
    assert normalize_phone("(0571) 8888-6666") == "05718888-6666"
    assert normalize_phone("（0571）88886666") == "057188886666"
    assert normalize_phone("") == normalize_phone(None) == ""


def test_mobiles_are_checked() -> None:
    assert normalize_mobile("+86 138-1234-1234") == "13812341234"
    assert normalize_mobile("0086 13812341234") == "13812341234"
    with pytest.raises(ValidationError):
        normalize_mobile("0571-88886666")
