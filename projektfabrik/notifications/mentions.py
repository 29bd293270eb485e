"""Mentions: ``@`` followed by a person's name as shown on the site.

``@Lena Lindner`` mentions Lena Lindner, in any letter case. Only people who
could be meant are candidates (the team, for a board post; the team and the
people in the discussion, for a comment), so a name with spaces needs no
quoting, and the longest name wins: ``@Lena Lindner`` does not also mention
a "Lena". ``name@example.org`` is not a mention.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from projektfabrik.accounts.models import User
from projektfabrik.notifications.services import notify


def _is_word(char: str) -> bool:
    return char.isalnum() or char in "_-."


def mentioned(text: str, candidates: Iterable[User]) -> list[User]:
    """The candidates the text mentions, each once, in the order of the text."""
    work = text.casefold()
    found: list[tuple[int, User]] = []
    people = {u.id: u for u in candidates if u.is_active and u.display_name.strip()}
    for user in sorted(people.values(), key=lambda u: -len(u.display_name)):
        needle = "@" + " ".join(user.display_name.split()).casefold()
        start = 0
        while (at := work.find(needle, start)) != -1:
            end = at + len(needle)
            before = work[at - 1] if at > 0 else " "
            after = work[end] if end < len(work) else " "
            if not _is_word(before) and before != "@" and not (after.isalnum() or after == "_"):
                found.append((at, user))
                # Blank it out so a shorter name inside it does not match too.
                work = work[:at] + " " * (end - at) + work[end:]
                break
            start = at + 1
    return [user for _at, user in sorted(found, key=lambda pair: pair[0])]


def notify_mentions(
    text: str,
    candidates: Iterable[User],
    author: User,
    message: Callable[[], str],
    link: str,
) -> list[User]:
    """Notify everyone the text mentions (not the author); return them."""
    people = [u for u in mentioned(text, candidates) if u.id != author.id]
    notify(people, "mention", message, link, details=lambda: text[:2000])
    return people
