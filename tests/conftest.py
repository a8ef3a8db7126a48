"""Every test gets its own tui-dl home, Keras cache and system-data folder: no test reads
or writes the user's runs, and none depends on what this machine happens to have."""

from __future__ import annotations

import os

import pytest

SHARED_DATA = os.environ.get("TUI_DL_DATA")
"""The real datasets (CI points this at ../shared/datasets), saved before isolation."""


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    monkeypatch.setenv("TUI_DL_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setenv("TUI_DL_SYSTEM_DATA", str(tmp_path / "system"))
    monkeypatch.setenv("TUI_DL_OFFLINE", "1")
    monkeypatch.delenv("TUI_DL_DATA", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path
