"""A viewer's access: the role and the scope it resolves to, as bound query parameters."""

from __future__ import annotations

from dataclasses import dataclass

from cmdash.access.roles import K_ANONYMITY_DEFAULT, ROLES, Role

DEMO_USER = "demo"  # the demo role picker's viewer (no login configured)
LOCAL_USER = "local"  # no login and no role picked: the embedded default


@dataclass(frozen=True)
class Access:
    """Hashable, so it keys every cache: two viewers with different scopes never share."""

    user: str
    role: str  # a key of ROLES
    regions: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    managers: tuple[str, ...] = ()  # a manager's own id (or explicit lists)
    supervisor: str | None = None  # a coach's own manager_id: sees whom they supervise
    # the fewest managers a comparison may cover (access.toml's [options] k_anonymity):
    # fewer peers in scope and the viewer sees a company benchmark over at least this many
    k_anonymity: int = K_ANONYMITY_DEFAULT

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

    @property
    def who(self) -> str:
        """The name audit records carry: the login (or CLI user), `demo:<role>` when no
        login is configured (the embedded demo's role picker)."""
        return f"demo:{self.role}" if self.user in (DEMO_USER, LOCAL_USER) else self.user

    def may_open(self, page: str) -> bool:
        return page in self.spec.pages


#: The embedded default: one person who sees everything (no login configured, no demo role).
EVERYONE = Access(user=LOCAL_USER, role="analyst")
