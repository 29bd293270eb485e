"""The workflow helper: steps from states, for roles, with guards and labels."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from flask_babel import force_locale

from projektfabrik.workflow import Step, StepRefused, Workflow


@dataclass
class Paper:
    needs_jury: bool


FLOW = Workflow(
    states=["draft", "submitted", "rated", "approved", "rejected"],
    steps=[
        Step("submit", ["draft"], "submitted", roles={"team"}, label="Submit"),
        Step("rate", ["submitted"], "rated", roles={"juror"}, label="Rate",
             guard=lambda p: p.needs_jury),
        Step("approve", ["submitted", "rated"], "approved", roles={"admin"}, label="Approve",
             guard=lambda p: not p.needs_jury, refusal="The jury first.", order=1),
        Step("reject", ["submitted", "rated"], "rejected", roles={"admin"}, label="Reject",
             order=2),
    ],
)  # fmt: skip


def test_a_step_is_allowed_from_its_state_for_its_role(app: Flask) -> None:
    with app.test_request_context():
        assert FLOW.check("draft", "submitted", {"team"}).name == "submit"
        assert FLOW.may("draft", "submit", {"team", "admin"})


def test_a_step_not_allowed_from_the_state_is_refused(app: Flask) -> None:
    with app.test_request_context(), force_locale("de"):
        with pytest.raises(StepRefused) as refused:
            FLOW.check("approved", "submitted", {"team"})
        assert refused.value.reason == "state"
        assert refused.value.message == "Dieser Schritt ist jetzt nicht möglich."
        assert not FLOW.may("submitted", "submit", {"team"})
        assert not FLOW.may("draft", "no-such-step", {"team"})


def test_a_role_not_allowed_is_refused(app: Flask) -> None:
    with app.test_request_context():
        with pytest.raises(StepRefused) as refused:
            FLOW.check("draft", "submitted", {"admin"})
        assert refused.value.reason == "role" and refused.value.step is FLOW.step("submit")
        assert not FLOW.may("draft", "submit", set())


def test_a_guard_refuses_with_its_message(app: Flask) -> None:
    with app.test_request_context():
        with pytest.raises(StepRefused) as refused:
            FLOW.check("submitted", "approved", {"admin"}, subject=Paper(needs_jury=True))
        assert refused.value.reason == "guard" and refused.value.message == "The jury first."
        assert FLOW.may("submitted", "approve", {"admin"}, Paper(needs_jury=False))


def test_the_next_steps_per_role_with_labels(app: Flask) -> None:
    paper = Paper(needs_jury=True)
    with app.test_request_context():
        assert [s.name for s in FLOW.next_steps("draft", {"team"}, paper)] == ["submit"]
        assert FLOW.next_steps("draft", {"admin"}, paper) == []
        admin = FLOW.next_steps("submitted", {"admin"}, paper)
        assert [(s.name, s.label) for s in admin] == [("reject", "Reject")]
        juror = FLOW.next_steps("submitted", {"juror"}, paper)
        assert [s.name for s in juror] == ["rate"]
        both = FLOW.next_steps("rated", {"admin", "juror"}, Paper(needs_jury=False))
        assert [s.name for s in both] == ["approve", "reject"]  # by order


def test_a_wrong_declaration_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="unknown states"):
        Workflow(["a"], [Step("go", ["a"], "b", roles={"x"})])
    with pytest.raises(ValueError, match="no role"):
        Workflow(["a", "b"], [Step("go", ["a"], "b", roles=set())])
    with pytest.raises(ValueError, match="two steps lead"):
        Workflow(
            ["a", "b"],
            [Step("go", ["a"], "b", roles={"x"}), Step("again", ["a"], "b", roles={"x"})],
        )
