"""Accounts and roles of a review served to a team (``project.accounts``)."""

from metasummary.accounts.roles import GRANTS, Permission, Role, allows, parse_role
from metasummary.accounts.service import Accounts
from metasummary.store.accounts import AccountRow

__all__ = ["GRANTS", "AccountRow", "Accounts", "Permission", "Role", "allows", "parse_role"]
