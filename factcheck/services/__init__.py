"""Business rules as plain functions.

Every function takes the SQLAlchemy session first and an ``Actor`` saying who acts; it checks
the rules, writes, and *flushes* — it never commits. The caller (a web request, an API call,
a CLI command) owns the transaction and commits once at its boundary, so a refusal or a
failure in the middle leaves nothing half-written.
"""

from .actor import Actor

__all__ = ["Actor"]
