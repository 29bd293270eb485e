"""A small, declared state machine: which steps lead from which state, and who may take them.

A plugin (or an area of the core) declares its workflow once::

    REVIEW = Workflow(
        states=["draft", "submitted", "approved"],
        steps=[
            Step("submit", ["draft"], "submitted", roles={"team"}, label=lazy_gettext("Submit")),
            Step("approve", ["submitted"], "approved", roles={"admin"}, label=lazy_gettext("Approve")),
        ],
    )

and then asks it, never a copy of it in a view or a template:

- ``REVIEW.may(state, "approve", roles)``: may someone with ``roles`` take that step now?
- ``REVIEW.next_steps(state, roles)``: the steps (with labels for buttons) they may take now;
- ``REVIEW.check(state, "approved", roles)``: the step that leads there, or
  :class:`StepRefused` with a message for the person.

Roles are plain strings that the caller works out for the person and the
object (``{"team"}``, ``{"admin"}``, ``{"team", "admin"}``); the workflow does
not know how. A step may have a ``guard``: a function of the object that must
be true as well (with ``refusal``, the message when it is not).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _


@dataclass(frozen=True)
class Step:
    """One step: from any of ``sources`` to ``target``, for people with one of ``roles``."""

    name: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    label: Any = ""  # text for the button; a lazy_gettext string
    guard: Callable[[Any], bool] | None = None
    refusal: Any = ""  # message when the guard says no
    order: int = 0

    def __init__(
        self,
        name: str,
        sources: Iterable[str],
        target: str,
        *,
        roles: Iterable[str],
        label: Any = "",
        guard: Callable[[Any], bool] | None = None,
        refusal: Any = "",
        order: int = 0,
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "sources", tuple(str(s) for s in sources))
        object.__setattr__(self, "target", str(target))
        object.__setattr__(self, "roles", frozenset(roles))
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "guard", guard)
        object.__setattr__(self, "refusal", refusal)
        object.__setattr__(self, "order", order)


class StepRefused(Exception):
    """The step is not possible; ``message`` is for the person, ``reason`` for code.

    ``reason`` is ``"state"`` (no such step from this state), ``"role"`` (the
    person lacks the role) or ``"guard"`` (the object's own rule says no).
    """

    field = None

    def __init__(self, message: str, reason: str, step: Step | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason
        self.step = step


@dataclass(frozen=True)
class Workflow:
    states: tuple[str, ...]
    steps: tuple[Step, ...] = field(default=())

    def __init__(self, states: Iterable[str], steps: Iterable[Step]) -> None:
        object.__setattr__(self, "states", tuple(str(s) for s in states))
        object.__setattr__(self, "steps", tuple(steps))
        known = set(self.states)
        names: dict[str, Step] = {}
        edges: set[tuple[str, str]] = set()
        for step in self.steps:
            unknown = {*step.sources, step.target} - known
            if unknown:
                raise ValueError(f"step {step.name!r} names unknown states {sorted(unknown)}")
            if not step.roles:
                raise ValueError(f"step {step.name!r} names no role")
            if step.name in names:
                raise ValueError(f"two steps are called {step.name!r}")
            names[step.name] = step
            for source in step.sources:
                if (source, step.target) in edges:
                    raise ValueError(f"two steps lead from {source!r} to {step.target!r}")
                edges.add((source, step.target))

    # --- looking up --------------------------------------------------------------------

    def step(self, name: str) -> Step:
        for step in self.steps:
            if step.name == name:
                return step
        raise KeyError(name)

    def leading(self, state: str, target: str) -> Step | None:
        """The step from ``state`` to ``target``, if the workflow has one."""
        for step in self.steps:
            if str(state) in step.sources and step.target == str(target):
                return step
        return None

    # --- asking ------------------------------------------------------------------------

    def check(self, state: str, target: str, roles: Iterable[str], subject: Any = None) -> Step:
        """The step from ``state`` to ``target`` if someone with ``roles`` may take it
        now for ``subject``; otherwise :class:`StepRefused`."""
        step = self.leading(state, target)
        if step is None:
            raise StepRefused(_("This step is not possible now."), "state")
        return self._allowed(step, roles, subject)

    def check_step(self, state: str, name: str, roles: Iterable[str], subject: Any = None) -> Step:
        """Like :meth:`check`, with the step's name instead of its target state."""
        try:
            step = self.step(name)
        except KeyError:
            raise StepRefused(_("This step is not possible now."), "state") from None
        if str(state) not in step.sources:
            raise StepRefused(_("This step is not possible now."), "state", step)
        return self._allowed(step, roles, subject)

    def _allowed(self, step: Step, roles: Iterable[str], subject: Any) -> Step:
        if not step.roles & set(roles):
            raise StepRefused(_("You may not take this step."), "role", step)
        if step.guard is not None and not step.guard(subject):
            raise StepRefused(
                str(step.refusal) or _("This step is not possible now."), "guard", step
            )
        return step

    def may(self, state: str, name: str, roles: Iterable[str], subject: Any = None) -> bool:
        """Whether someone with ``roles`` may take the step ``name`` from ``state`` now."""
        try:
            self.check_step(state, name, roles, subject)
        except StepRefused:
            return False
        return True

    def next_steps(self, state: str, roles: Iterable[str], subject: Any = None) -> list[Step]:
        """The steps someone with ``roles`` may take from ``state`` now, in ``order``
        (then in the order they were declared): one button each."""
        held = set(roles)
        found = [
            step
            for step in self.steps
            if str(state) in step.sources
            and step.roles & held
            and (step.guard is None or step.guard(subject))
        ]
        return sorted(found, key=lambda s: s.order)


__all__ = ["Step", "StepRefused", "Workflow"]
