"""Profile pictures."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from projektfabrik.accounts.models import User
from projektfabrik.accounts.services import AccountError
from projektfabrik.images import ImageError, delete_image, image_path, save_image

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


def avatar_path(user: User) -> Path | None:
    return image_path(AREA, user.avatar_file)
