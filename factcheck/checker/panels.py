"""Panels of a claim's desk page contributed by other parts of the desk (notes, ClaimReview
details…): each registers a function giving its template's values, loaded in a fixed number of
queries, and its partial template is included by ``templates/checker/claim.html``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from ..models import Claim, User

Panel = Callable[[Session, Claim, User], dict[str, Any]]
PANELS: list[Panel] = []


def panel(fn: Panel) -> Panel:
    """Register ``fn`` as a panel of the claim page."""
    PANELS.append(fn)
    return fn


def values(session: Session, claim: Claim, user: User) -> dict[str, Any]:
    """Every panel's values, for the claim page's template."""
    out: dict[str, Any] = {}
    for fn in PANELS:
        out.update(fn(session, claim, user))
    return out
