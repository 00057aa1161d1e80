"""Masking helpers: what a role without personal-data access is shown."""

from __future__ import annotations

from unitrace.parties.masking import mask_name, masked_value


def test_mask_name_keeps_only_the_first_character():
    assert mask_name("张三") == "张*"
    assert mask_name(" 欧阳修远 ") == "欧***"
    assert mask_name("End customer 139****1111") == "E***"
    assert (mask_name("王"), mask_name("")) == ("*", "")


def test_masked_value_masks_phone_and_address():
    assert masked_value("phone", "13812341234") == "138****1234"
    assert masked_value("address", "文三路 100 号") == "文三****"
    assert masked_value("address", "") == ""
