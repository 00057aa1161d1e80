from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny
from rest_framework.throttling import ScopedRateThrottle

from unitrace.core.parsers import FormParser, JSONParser, MultiPartParser


class TokenView(ObtainAuthToken):
    """POST username + password, get ``{"token": ...}``; rate-limited against guessing."""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"
    # ObtainAuthToken names DRF's own parsers; ours bound nesting and refuse NUL
    parser_classes = [FormParser, MultiPartParser, JSONParser]
