"""core's API exception handler renders the domain errors that apps register with it."""

import pytest

from unitrace.core import api


class Refused(Exception):
    pass


class RefusedHard(Refused):
    pass


@pytest.fixture
def renderers(monkeypatch):
    monkeypatch.setattr(api, "_error_renderers", {})


def test_the_nearest_registered_class_renders_the_error(renderers):
    api.register_error_renderer(RefusedHard, lambda exc: "hard")
    api.register_error_renderer(Refused, lambda exc: "refused")
    assert api.exception_handler(RefusedHard(), {}) == "hard"
    assert api.exception_handler(Refused(), {}) == "refused"


def test_unregistered_errors_fall_through_to_drf(renderers):
    assert api.exception_handler(Refused(), {}) is None
