"""Roles, scopes and the access file: who may see which managers' numbers."""

from cmdash.access.file import ACCESS_FILE, AccessFile, current, load, parse
from cmdash.access.model import EVERYONE, Access
from cmdash.access.roles import K_ANONYMITY_DEFAULT, ROLES, Role

__all__ = ["ACCESS_FILE", "EVERYONE", "K_ANONYMITY_DEFAULT", "ROLES", "Access",
           "AccessFile", "Role", "current", "load", "parse"]
