"""Profile pictures."""

from __future__ import annotations

from typing import IO

from projektfabrik.accounts.models import User
from projektfabrik.accounts.services import AccountError
from projektfabrik.images import ImageError, delete_image, save_image, stored_image
from projektfabrik.storage import StoredFile
from projektfabrik.uploads import delete_upload

AREA = "avatars"
SIZE = (256, 256)


def save_avatar(user: User, stream: IO[bytes]) -> None:
    try:
        filename = save_image(stream, AREA, SIZE)
    except ImageError as error:
        raise AccountError(str(error), "avatar") from error
    remove_avatar(user)
    user.avatar_file = filename


def remove_avatar(user: User) -> None:
    delete_image(AREA, user.avatar_file)
    user.avatar_file = None


def stored_avatar(user: User) -> StoredFile | None:
    return stored_image(AREA, user.avatar_file)


def delete_picture(filename: str | None) -> None:
    """At once: a picture whose account's deletion is committed."""
    delete_upload(AREA, filename)
