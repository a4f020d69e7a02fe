from typing import Any

from django.contrib.auth import get_user_model


def make_user(username: str, **extra: Any) -> Any:
    """A user whose password is "pw-" + username."""
    return get_user_model().objects.create_user(
        username=username, password="pw-" + username, **extra
    )
