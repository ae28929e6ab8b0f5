"""Integer arguments and options held to the store's range: 2^64 as a record id is one usage
line naming the argument, not a crash in the database driver.

Applied to each command as its module loads (:func:`metasummary.cli.commands.load_module`).
"""

from __future__ import annotations

from typing import Any

import click

from metasummary.store.limits import INT_MAX, INT_MIN


class StoreIntRange(click.IntRange):
    """An integer range no wider than the store's integers; beyond them, a plain message."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = click.INT.convert(value, param, ctx)
        if not INT_MIN <= number <= INT_MAX:
            self.fail(
                f"{number} is beyond the numbers the database holds "
                f"(from {INT_MIN:,} to {INT_MAX:,})",
                param,
                ctx,
            )
        return super().convert(number, param, ctx)

    def _describe_range(self) -> str:
        # Help shows the bounds a command chose ("x>=1"), not the store's.
        low = None if self.min == INT_MIN else self.min
        high = None if self.max == INT_MAX else self.max
        if low is None and high is None:
            return ""
        if low is None:
            return f"x{'<' if self.max_open else '<='}{high}"
        if high is None:
            return f"x{'>' if self.min_open else '>='}{low}"
        return super()._describe_range()


def bound_integers(cmd: click.Command) -> click.Command:
    """Every integer argument and option held to the store's range, so 2^64 as a record id
    is one usage line naming the argument, not a crash in the database driver."""
    for param in cmd.params:
        kind = param.type
        if isinstance(kind, click.IntRange):
            low = INT_MIN if kind.min is None else max(int(kind.min), INT_MIN)
            high = INT_MAX if kind.max is None else min(int(kind.max), INT_MAX)
            param.type = StoreIntRange(low, high, min_open=kind.min_open, max_open=kind.max_open)
        elif isinstance(kind, click.types.IntParamType):
            param.type = StoreIntRange(INT_MIN, INT_MAX)
            param.type.name = "integer"  # help says INTEGER, as it did
    if isinstance(cmd, click.Group):
        for sub in cmd.commands.values():
            bound_integers(sub)
    return cmd
