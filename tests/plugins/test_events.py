"""Events: typed, delivered after commit, only to the event's town's enabled plugins."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from flask import Flask

from projektfabrik.api import Event, PluginSwitched, emit
from projektfabrik.extensions import db
from projektfabrik.plugins import state
from projektfabrik.tenancy.context import NoTenantError
from projektfabrik.testing import Town, use_plugin

RECORDER = """
from dataclasses import dataclass
from projektfabrik.api import Event, current_tenant, emit, hookimpl

seen = []

@dataclass(frozen=True)
class Ping(Event):
    n: int

@hookimpl
def pf_on_event(event):
    seen.append((current_tenant().slug, event))
    if isinstance(event, Ping) and event.n == 1:
        emit(Ping(n=2))
"""


@pytest.fixture
def app_config(app_config: dict[str, Any], extra_plugins: Any) -> dict[str, Any]:
    extra_plugins({"recorder": RECORDER})
    return app_config


@pytest.fixture
def recorder(app: Flask) -> Any:
    module = importlib.import_module("pf_test_recorder")
    module.seen.clear()
    return module


def test_events_arrive_after_commit_and_not_before(app: Flask, town_a: Town, recorder: Any) -> None:
    use_plugin(town_a, "recorder")
    with app.app_context():
        with town_a.context():
            emit(recorder.Ping(n=0))
            assert recorder.seen == []
            db.session.commit()
        assert recorder.seen == []  # delivered when the unit of work ends
    assert recorder.seen == [("stadt-a", recorder.Ping(n=0))]


def test_a_rolled_back_event_is_never_delivered(app: Flask, town_a: Town, recorder: Any) -> None:
    use_plugin(town_a, "recorder")
    with app.app_context(), town_a.context():
        emit(recorder.Ping(n=0))
        db.session.rollback()
        db.session.commit()
    assert recorder.seen == []


def test_events_emitted_by_handlers_are_delivered_too(
    app: Flask, town_a: Town, recorder: Any
) -> None:
    use_plugin(town_a, "recorder")
    with app.app_context(), town_a.context():
        emit(recorder.Ping(n=1))
        db.session.commit()
    assert [e.n for _slug, e in recorder.seen] == [1, 2]


def test_only_the_events_town_and_its_enabled_plugins_hear_it(
    app: Flask, town_a: Town, town_b: Town, recorder: Any
) -> None:
    use_plugin(town_a, "recorder")
    use_plugin(town_b, "recorder", enabled=False)
    with app.app_context():
        with town_b.context():
            emit(recorder.Ping(n=0))
            db.session.commit()
        with town_a.context():
            emit(recorder.Ping(n=5))
            db.session.commit()
    assert recorder.seen == [("stadt-a", recorder.Ping(n=5))]


def test_switching_a_plugin_is_an_event(app: Flask, town_a: Town, recorder: Any) -> None:
    use_plugin(town_a, "recorder")
    use_plugin(town_a, "pinnwand", enabled=False)
    with app.app_context(), town_a.context():
        state.set_enabled("pinnwand", True)
        db.session.commit()
    assert recorder.seen == [("stadt-a", PluginSwitched(plugin="pinnwand", enabled=True))]


def test_an_event_needs_a_town_and_an_event_class(app: Flask, recorder: Any) -> None:
    with pytest.raises(NoTenantError):
        emit(recorder.Ping(n=0))
    with pytest.raises(TypeError):
        emit("something happened")  # type: ignore[arg-type]
    assert issubclass(recorder.Ping, Event)
