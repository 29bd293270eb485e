"""What the core refuses when the app starts, so a bad plugin never serves a request."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from projektfabrik.app import create_app
from projektfabrik.plugins import PluginError

MODEL = """
from sqlalchemy.orm import Mapped, mapped_column
from projektfabrik.api import db, hookimpl

class Thing(db.Model):
    __tablename__ = "pf_test_thing_{suffix}"
    {declaration}
    id: Mapped[int] = mapped_column(primary_key=True)
"""

START = (
    "from projektfabrik.app import create_app\n"
    "create_app({'DATABASE_URL': 'sqlite://', 'SECRET_KEY': 'x', 'TESTING': True})\n"
    "print('started')\n"
)


def _start_with(tmp_path: Path, source: str, write_plugin: Any) -> subprocess.CompletedProcess[str]:
    """Start an app in a fresh interpreter (a mapped class cannot be taken back)."""
    write_plugin(tmp_path, "model_owner", source)
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-c", START], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow
def test_a_plugin_model_without_tenant_scoping_is_refused(
    tmp_path: Path, plugin_writer: Any
) -> None:
    result = _start_with(tmp_path, MODEL.format(suffix="a", declaration=""), plugin_writer)
    assert result.returncode != 0
    assert "models without tenant scoping" in result.stderr
    assert "pf_test_model_owner.Thing" in result.stderr


@pytest.mark.slow
def test_a_plugin_model_that_declares_itself_global_is_accepted(
    tmp_path: Path, plugin_writer: Any
) -> None:
    result = _start_with(
        tmp_path, MODEL.format(suffix="b", declaration="__tenant_global__ = True"), plugin_writer
    )
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


REFUSED = {
    "typo": (
        "from projektfabrik.api import hookimpl\n"
        "@hookimpl\ndef pf_nav_item(user):\n    return []\n",
        "unknown hook 'pf_nav_item'",
    ),
    "db": ("x = 1\n", "reserved for the core"),
    "no_prefix": (
        "from flask import Blueprint\nfrom projektfabrik.api import hookimpl\n"
        "bp = Blueprint('no_prefix', __name__)\n"
        "@hookimpl\ndef pf_blueprints():\n    return [bp]\n",
        "needs a url_prefix",
    ),
    "taken_prefix": (
        "from flask import Blueprint\nfrom projektfabrik.api import hookimpl\n"
        "bp = Blueprint('taken_prefix', __name__, url_prefix='/anmelden')\n"
        "@hookimpl\ndef pf_blueprints():\n    return [bp]\n",
        "URL prefix /anmelden is taken",
    ),
    "wrapper": (
        "from projektfabrik.api import hookimpl\n"
        "@hookimpl(wrapper=True)\ndef pf_nav_items(user):\n    return (yield)\n",
        "may not be a wrapper",
    ),
    "perm": (
        "from projektfabrik.api import Permission, hookimpl\n"
        "@hookimpl\ndef pf_permissions():\n    return [Permission('post', 'Post')]\n",
        "must start with 'perm.'",
    ),
    "form_extra": (
        "from flask_wtf import FlaskForm\nfrom wtforms import StringField\n"
        "from projektfabrik.api import PluginSettings, hookimpl\n"
        "class F(FlaskForm):\n    colour = StringField('Colour')\n"
        "@hookimpl\ndef pf_tenant_settings():\n"
        "    return PluginSettings(defaults={'size': 1}, form=F)\n",
        "form fields without default",
    ),
    "no_folder": (
        "from projektfabrik.api import hookimpl\n"
        "@hookimpl\ndef pf_migrations():\n    return '/nonexistent/versions'\n",
        "names no folder",
    ),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_faulty_plugin_stops_the_start(
    name: str, app_config: dict[str, Any], extra_plugins: Any
) -> None:
    source, message = REFUSED[name]
    extra_plugins({name: source})
    with pytest.raises(PluginError, match=message):
        create_app(app_config)
