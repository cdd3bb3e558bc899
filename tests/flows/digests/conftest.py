"""Fixtures: the test warehouse of `digest_data` (built once) and settings that point the digests at tmp folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.settings import DigestSettings, Settings, SmtpSettings, WarehouseSettings
from tests.flows.digests.digest_data import BANKS, PIEDMONT, WEEKLY_ALL, build_warehouse


@pytest.fixture(scope="session")
def warehouse_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("warehouse")
    build_warehouse(folder)
    return folder


@pytest.fixture
def settings(tmp_path: Path, warehouse_folder: Path) -> Settings:
    return Settings(
        warehouse=WarehouseSettings(folder=warehouse_folder),
        digests=DigestSettings(
            subscriptions=[BANKS, PIEDMONT, WEEKLY_ALL],
            outbox=tmp_path / "outbox",
            send_log=tmp_path / "sent.jsonl",
            smtp=SmtpSettings(from_address="Rassegna <rassegna@example.it>"),
        ),
    )
