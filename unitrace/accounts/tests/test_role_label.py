"""The signed-in user's role is named beside their name on every page."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from unitrace.accounts.context_processors import role_label
from unitrace.accounts.services import create_user

pytestmark = pytest.mark.django_db


def test_a_signed_in_user_sees_the_label_of_their_role(client):
    create_user("clerk", "pw-123456", "warehouse")
    client.login(username="clerk", password="pw-123456")
    with translation.override("en"):
        response = client.get("/jobs/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["role_label"] == "Warehouse clerk"
    assert "Warehouse clerk" in response.content.decode()


def test_an_anonymous_visitor_gets_no_label():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert role_label(request) == {}
