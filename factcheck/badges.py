"""The verification badge: one status, drawn as SVG and described as JSON.

Shared by the reader pages (SVG, embed card) and the JSON API, so that every surface says the
same thing. The badge never relies on colour alone: it spells out the status and carries a
symbol, and its colours keep white text above WCAG AA contrast (4.5:1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import escape

from .models import Claim, Status

#: Bumped whenever the drawing changes, so that caches keyed on the ETag refresh.
BADGE_FORMAT = 1


@dataclass(frozen=True)
class Look:
    colour: str
    symbol: str


LOOKS: dict[Status, Look] = {
    Status.UNVERIFIED: Look("#5b6470", "○"),
    Status.IN_REVIEW: Look("#7a5a00", "…"),
    Status.CONTESTED: Look("#b34700", "⇄"),
    Status.CONFIRMED: Look("#1f6f3a", "✓"),
    Status.FALSE: Look("#a4161a", "✗"),
    Status.MISLEADING: Look("#8a2f8a", "!"),
    Status.UNPROVEN: Look("#44505c", "?"),
}

BRAND = "factcheck"
_CHAR_WIDTH = 6.6  # average advance of an 11 px sans-serif, in px


def etag(claim: Claim) -> str:
    """A strong ETag: changes whenever the claim (status, text, publication) changes."""
    return f'"b{BADGE_FORMAT}-{claim.id}-{claim.version}"'


def shown(claim: Claim) -> Status:
    """The status a badge shows: what readers see (``Claim.public_status``)."""
    assert claim.public_status is not None, "only a published claim has a badge"
    return claim.public_status


def badge_data(claim: Claim, *, url: str) -> dict[str, Any]:
    status = shown(claim)
    look = LOOKS[status]
    return {
        "slug": claim.slug,
        "claim": claim.text,
        "status": status.value,
        "label": status.label,
        "resolved": status.resolved,
        "colour": look.colour,
        "symbol": look.symbol,
        "version": claim.version,
        "status_changed_at": claim.status_changed_at.isoformat(),
        "url": url,
    }


def _width(text: str) -> int:
    return int(len(text) * _CHAR_WIDTH + 14)


def badge_svg(claim: Claim) -> str:
    """A self-contained SVG (no scripts, no external references) for ``claim``'s status."""
    status = shown(claim)
    look = LOOKS[status]
    right = f"{look.symbol} {status.label}"
    lw, rw = _width(BRAND), _width(right)
    total = lw + rw
    title = f"{BRAND}: {status.label} — {claim.text}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" '
        f'viewBox="0 0 {total} 20" role="img" aria-label="{escape(f"{BRAND}: {status.label}")}">'
        f"<title>{escape(title)}</title>"
        f'<rect width="{lw}" height="20" fill="#24292f"/>'
        f'<rect x="{lw}" width="{rw}" height="20" fill="{look.colour}"/>'
        f'<g fill="#fff" font-family="Verdana,DejaVu Sans,Arial,sans-serif" font-size="11" '
        f'text-anchor="middle">'
        f'<text x="{lw / 2:.1f}" y="14">{BRAND}</text>'
        f'<text x="{lw + rw / 2:.1f}" y="14" font-weight="bold">{escape(right)}</text>'
        f"</g></svg>"
    )


#: The badge of an address with no published claim behind it (unknown, unpublished, withdrawn):
#: a neutral grey that says so, so that a partner's page shows words, not a broken image.
UNAVAILABLE_LABEL = "not available"


def unavailable_svg() -> str:
    """The badge of no published claim: neutral, no status, no claim text."""
    lw, rw = _width(BRAND), _width(UNAVAILABLE_LABEL)
    total = lw + rw
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" viewBox="0 0 {total} 20" '
        f'role="img" aria-label="{BRAND}: {UNAVAILABLE_LABEL}"><title>{BRAND}: {UNAVAILABLE_LABEL}</title>'
        f'<rect width="{lw}" height="20" fill="#24292f"/><rect x="{lw}" width="{rw}" height="20" fill="#6e7781"/>'
        f'<g fill="#fff" font-family="Verdana,DejaVu Sans,Arial,sans-serif" font-size="11" text-anchor="middle">'
        f'<text x="{lw / 2}" y="14">{BRAND}</text><text x="{lw + rw / 2}" y="14">{UNAVAILABLE_LABEL}</text></g></svg>'
    )
