"""Who is acting: a signed-in user, a token's user, or the system itself."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Forbidden
from ..models import Role, User


@dataclass(frozen=True)
class Actor:
    user: User | None
    role: Role
    #: Where the act comes from: ``web``, ``api``, ``cli``, ``demo``, ``import``.
    via: str = "web"

    @classmethod
    def of(cls, user: User, via: str = "web") -> Actor:
        if not user.active:
            raise Forbidden("This account is deactivated.")
        return cls(user=user, role=user.role, via=via)

    @classmethod
    def system(cls, via: str) -> Actor:
        """The tracker itself (demo loader, importer): acts with an editor's rights."""
        return cls(user=None, role=Role.EDITOR, via=via)

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.user is not None else None

    @property
    def is_editor(self) -> bool:
        return self.role.at_least(Role.EDITOR)

    def require(self, role: Role, what: str) -> None:
        """Raise Forbidden unless the actor holds ``role`` or higher."""
        if not self.role.at_least(role):
            raise Forbidden(f"Only {role.value}s can {what}.")
