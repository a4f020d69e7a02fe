"""The API's throttles (REST_FRAMEWORK's DEFAULT_THROTTLE_CLASSES), apart from core.api because
DRF imports them while its own views module loads.

Anonymous clients are counted by the address core.clientip trusts; logged-in ones (session or
token) by their account, as DRF does."""

from rest_framework import throttling
from rest_framework.request import Request

from unionhub.core.clientip import client_address


class _ClientAddressIdent:
    def get_ident(self, request: Request) -> str:
        return client_address(request)


class AnonRateThrottle(_ClientAddressIdent, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_ClientAddressIdent, throttling.UserRateThrottle):
    pass
