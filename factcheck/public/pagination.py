"""Page numbers and log positions from the query string, checked before they reach SQL.

Anyone can type ``?page=-1``, ``?page=abc`` or ``?page=99999999999999999999``: the first two
are a clear 400, a page past the end a clear 404, and none of them becomes an OFFSET the
database cannot take.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..errors import DomainError, NotFound

T = TypeVar("T")

#: More digits than any real page number; longer input is refused before int() sees it.
MAX_PAGE_DIGITS = 7


def page_number(args: Mapping[str, str]) -> int:
    """The ``page`` argument as a positive int (1 when absent)."""
    raw = args.get("page", "1").strip() or "1"
    if not raw.isascii() or not raw.isdigit() or len(raw) > MAX_PAGE_DIGITS or int(raw) < 1:
        raise DomainError(f"Page must be a whole number from 1 upwards, not {raw[:20]!r}.")
    return int(raw)


#: Positions in a log are row ids: ``integer`` columns.
MAX_POSITION = 2**31 - 1


def position(args: Mapping[str, str], name: str = "before") -> int | None:
    """A log position (``?before=123``) as a positive int, None when absent."""
    raw = args.get(name, "").strip()
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 10 or not 1 <= int(raw) <= MAX_POSITION:
        raise DomainError(f"{name.capitalize()} must be the number of an entry in the log, not {raw[:20]!r}.")
    return int(raw)


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None


def offset_for(number: int, *, total: int, per_page: int) -> int:
    """The OFFSET of page ``number``; NotFound past the last page (page 1 always exists)."""
    pages = max(1, -(-total // per_page))
    if number > pages:
        raise NotFound(f"There is no page {number}: there {'is' if pages == 1 else 'are'} {pages} "
                       f"page{'' if pages == 1 else 's'}.")
    return (number - 1) * per_page
