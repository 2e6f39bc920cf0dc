"""Accounts: creation, passwords (Argon2id), roles and deactivation."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import Duplicate, ValidationError
from ..models import Role, User, utcnow
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
    session: Session, *, email: str, password: str, role: Role | str, name: str = ""
) -> User:
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
    return user


def get_user(session: Session, user_id: int) -> User:
    return get_or_not_found(session, User, user_id, "user")


def set_password(session: Session, user: User, password: str) -> None:
    """New password; every existing session of the user ends."""
    user.password_hash = hash_password(password)
    user.session_nonce += 1
    session.flush()


def set_role(session: Session, user: User, actor: Actor, role: Role | str) -> None:
    actor.require(Role.ADMIN, "change roles")
    user.role = parse_enum(Role, role, "role")
    user.session_nonce += 1
    session.flush()


def set_active(session: Session, user: User, actor: Actor, active: bool) -> None:
    actor.require(Role.ADMIN, "activate or deactivate users")
    if actor.user is not None and actor.user.id == user.id and not active:
        raise ValidationError("You cannot deactivate your own account.")
    user.active = active
    user.session_nonce += 1
    session.flush()
