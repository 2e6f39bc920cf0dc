"""Accounts: creation, passwords (Argon2id), roles and deactivation."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
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

#: argon2-cffi's defaults are RFC 9106's low-memory Argon2id profile.
hasher = PasswordHasher()


def check_password_bounds(password: str) -> None:
    if not isinstance(password, str) or not (MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH):
        raise ValidationError(
            f"A password must be {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters long.",
            {"password": f"{MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters"},
        )


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
    if get_user_by_email(session, email) is not None:
        raise Duplicate(f"A user with the email {email} already exists.")
    user = User(
        email=email,
        name=clean_text(name, "name", max_length=200, required=False) or email.split("@")[0],
        role=role,
        password_hash=hash_password(password),
        active=True,
        session_nonce=0,
        created_at=utcnow(),
    )
    session.add(user)
    session.flush()
    audit.record(session, "user.create", actor=actor or Actor.system("cli"), subject_type="user",
                 subject_id=user.id, detail=f"{user.email} as {user.role.value}", address=address,
                 changes=audit.changes({}, {"email": user.email, "name": user.name, "role": user.role}))
    return user


def get_user(session: Session, user_id: int) -> User:
    return get_or_not_found(session, User, user_id, "user")


def set_password(session: Session, user: User, password: str, actor: Actor | None = None, address: str = "") -> None:
    """New password; every existing session of the user ends. ``actor`` is who set it: the
    user, or an admin resetting it (None: the user themselves)."""
    user.password_hash = hash_password(password)
    user.session_nonce += 1
    session.flush()
    by_self = actor is None or actor.user_id == user.id
    audit.record(session, "user.password", actor=actor or user, subject_type="user", subject_id=user.id,
                 detail="changed by the user" if by_self else "reset by an admin", address=address)


def set_role(session: Session, user: User, actor: Actor, role: Role | str, address: str = "") -> None:
    actor.require(Role.ADMIN, "change roles")
    before = user.role
    user.role = parse_enum(Role, role, "role")
    if user.role == before:
        return
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
    user.active = active
    user.session_nonce += 1
    session.flush()
    audit.record(session, "user.activate" if active else "user.deactivate", actor=actor, subject_type="user",
                 subject_id=user.id, address=address, changes=audit.changes({"active": not active}, {"active": active}))


def sign_out(session: Session, user: User, address: str = "") -> None:
    """End this session and every other one of the user."""
    user.session_nonce += 1
    session.flush()
    audit.record(session, "auth.logout", actor=user, address=address)
