"""A viewer's access: the role and the scope it resolves to, as bound query parameters."""

from __future__ import annotations

from dataclasses import dataclass

from cmdash.access.roles import ROLES, Role


@dataclass(frozen=True)
class Access:
    """Hashable, so it keys every cache: two viewers with different scopes never share."""

    user: str
    role: str  # a key of ROLES
    regions: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    managers: tuple[str, ...] = ()  # a manager's own id (or explicit lists)
    supervisor: str | None = None  # a coach's own manager_id: sees whom they supervise

    @property
    def spec(self) -> Role:
        return ROLES[self.role]

    @property
    def everything(self) -> bool:
        return self.spec.scope == "all"

    def params(self) -> dict[str, object]:
        def listed(values: tuple[str, ...]) -> list[str]:
            return list(values or ("",))

        return {
            "acc_all": self.everything,
            "acc_regions": listed(self.regions),
            "acc_districts": listed(self.districts),
            "acc_managers": listed(self.managers),
            "acc_supervisor": self.supervisor or "",
        }

    def may_open(self, page: str) -> bool:
        return page in self.spec.pages


#: The embedded default: one person who sees everything (no login configured, no demo role).
EVERYONE = Access(user="local", role="analyst")
