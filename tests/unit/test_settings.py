"""Settings: an argument (Dagster config, a CLI flag) beats its environment variable, which beats the default."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.settings import DEFAULT_SETTLE_SECONDS, ENV_VARS, Settings, settings_from_env


@pytest.fixture
def clean_env(monkeypatch):
    for name in ENV_VARS.values():
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_every_settings_field_has_one_environment_variable():
    assert set(ENV_VARS) == set(Settings.__dataclass_fields__)
    assert len(set(ENV_VARS.values())) == len(ENV_VARS)


def test_defaults_when_nothing_is_given(clean_env, tmp_path):
    clean_env.chdir(tmp_path)
    settings = settings_from_env()
    assert (settings.inbox, settings.home) == (tmp_path / "data" / "inbox", tmp_path / "var")
    assert settings.settle_seconds == DEFAULT_SETTLE_SECONDS and settings.workers >= 1


def test_environment_beats_default_and_argument_beats_environment(clean_env, tmp_path):
    clean_env.setenv("RW_HOME", str(tmp_path / "from_env"))
    clean_env.setenv("RW_SETTLE_SECONDS", "7")
    clean_env.setenv("RW_BATCH_SIZE", "40")
    settings = settings_from_env(home=tmp_path / "given", settle_seconds=0.0)
    assert settings.home == tmp_path / "given"
    assert settings.settle_seconds == 0.0  # a zero given is kept, not mistaken for "unset"
    assert settings.batch_size == 40
    assert settings_from_env().home == Path(tmp_path / "from_env")


def test_fewer_than_one_worker_is_refused(clean_env):
    clean_env.setenv("RW_WORKERS", "0")
    with pytest.raises(ValueError, match="RW_WORKERS must be at least 1"):
        settings_from_env()
