"""The login limit in front of every password check (django-axes)."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class LoginLimitBackend(AxesStandaloneBackend):
    """Refuses a login while its account or client address is locked out.

    A check without a request (a management command, the test client's ``login``) has
    no client to count and is not a login from the network: it passes to the next
    backend instead of failing as django-axes' own backend would.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
