"""How much one request may ask of the extractor: the one size limit and the time budget.

Every interface that extracts on someone's behalf (the API, the desk's paste-an-article page)
refuses a text over ``MAX_ARTICLE`` characters with ``ArticleTooLong``'s words, and reads the
rest within ``TIME_BUDGET`` seconds (``extract``): past the budget the extractor stops
between two sentences, or between two statements of one, and answers with what it found and
where it stopped. Real news text runs at about 0.3 MB/s on one core, so a whole article at
the size limit is read well within the budget; text built to be expensive (half a megabyte
of "according to officials," is 20,000 attributions, each in a run of others: ten seconds)
is cut, and the worker is free again.
"""

from __future__ import annotations

import time
from collections.abc import Callable

#: Longest text read for one request, in characters (about 80,000 words: a long report).
MAX_ARTICLE = 500_000
#: Seconds of work one request may cost the extractor before it answers with what it found.
TIME_BUDGET = 3.0


class ArticleTooLong(ValueError):
    """A text over ``MAX_ARTICLE`` characters, refused with what to do instead."""

    def __init__(self, length: int, limit: int = MAX_ARTICLE) -> None:
        self.length = length
        self.limit = limit
        super().__init__(
            f"The text is {length:,} characters long; the extractor reads at most {limit:,} characters "
            f"at a time. Send it in parts."
        )


def check_size(text: str, limit: int = MAX_ARTICLE) -> None:
    """Refuse (``ArticleTooLong``) a text longer than ``limit`` characters."""
    if len(text) > limit:
        raise ArticleTooLong(len(text), limit)


class Deadline:
    """A moment after which the work stops (``passed``); ``None`` seconds: never."""

    def __init__(self, seconds: float | None, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._at = None if seconds is None else clock() + seconds

    def passed(self) -> bool:
        return self._at is not None and self._clock() >= self._at


#: A deadline that never passes (the library's own, complete reading).
NEVER = Deadline(None)
