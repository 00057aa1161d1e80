"""Passwords have at least 12 characters; the demo logins' passwords still pass."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from unitrace.accounts.roles import ROLES
from unitrace.demo.seed import demo_password


def test_eleven_characters_are_refused():
    with pytest.raises(ValidationError) as refused:
        validate_password("kq7-zu2-mw4")
    assert "at least 12 characters" in str(refused.value)


def test_twelve_characters_pass():
    validate_password("kq7-zu2-mw4x")


@pytest.mark.django_db
def test_every_demo_password_is_valid():
    for role in [*ROLES, "admin"]:
        validate_password(demo_password(role))
