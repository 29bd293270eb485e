"""A pause after a shared store failed (Redis), so a request does not wait for it again.

When Redis is down, every request that asks it waits for the connect timeout
(half a second). The page cache and the request memory each keep one
:class:`Pause`: after a failure they leave Redis alone for
:data:`OUTAGE_PAUSE_SECONDS`, answer from the database meanwhile, and try
again after that.
"""

from __future__ import annotations

import logging
import time

#: After a store failure, how long to do without it.
OUTAGE_PAUSE_SECONDS = 10


class Pause:
    """Whether a store is resting after a failure; logs each failure once, with its cause."""

    def __init__(self, logger: logging.Logger, message: str) -> None:
        #: ``message`` has one ``%s`` for what the failure means and one ``%d`` for the seconds.
        self._log = logger
        self._message = message
        self._until = 0.0

    def resting(self) -> bool:
        return time.monotonic() < self._until

    def failed(self, consequence: str) -> None:
        self._until = time.monotonic() + OUTAGE_PAUSE_SECONDS
        self._log.warning(self._message, consequence, OUTAGE_PAUSE_SECONDS, exc_info=True)
