"""Installed from a wheel (not a checkout), the towns' folder and the secret key
have no default: the app refuses to start and names what is missing. A checkout
(the demo, the tests) keeps its defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from projektfabrik.config import REPO_ROOT, MissingSetting, from_environment, require_settings


def test_installed_without_the_settings_is_refused_by_name(tmp_path: Path) -> None:
    config = from_environment(str(tmp_path), {}, from_checkout=False)
    assert config["TENANTS_DIR"] is None and config["SECRET_KEY"] is None
    assert not (tmp_path / "secret_key").exists()  # no random key slips into service
    with pytest.raises(MissingSetting) as refused:
        require_settings(config)
    assert "PROJEKTFABRIK_TENANTS_DIR" in str(refused.value)
    assert "PROJEKTFABRIK_SECRET_KEY" in str(refused.value)


def test_installed_with_one_missing_names_only_that_one(tmp_path: Path) -> None:
    environ = {"PROJEKTFABRIK_TENANTS_DIR": str(tmp_path / "towns")}
    config = from_environment(str(tmp_path), environ, from_checkout=False)
    with pytest.raises(MissingSetting) as refused:
        require_settings(config)
    assert "PROJEKTFABRIK_SECRET_KEY" in str(refused.value)
    assert "PROJEKTFABRIK_TENANTS_DIR" not in str(refused.value)


def test_installed_with_both_settings_starts(tmp_path: Path) -> None:
    environ = {
        "PROJEKTFABRIK_TENANTS_DIR": str(tmp_path / "towns"),
        "PROJEKTFABRIK_SECRET_KEY": "s" * 48,
    }
    config = from_environment(str(tmp_path), environ, from_checkout=False)
    require_settings(config)
    assert config["TENANTS_DIR"] == str(tmp_path / "towns")


def test_a_checkout_keeps_the_demo_defaults(tmp_path: Path) -> None:
    config = from_environment(str(tmp_path), {}, from_checkout=True)
    require_settings(config)
    assert config["TENANTS_DIR"] == str(REPO_ROOT / "tenants")
    assert config["SECRET_KEY"] == (tmp_path / "secret_key").read_text().strip()
