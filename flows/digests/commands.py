"""CLI commands `rassegna digest` and `rassegna report` (registered by flows/cli.py).

Prefect is imported inside the commands, after `flows.prefect_env.configure` has set its environment.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from flows.prefect_env import configure
from flows.settings import load

ConfigOption = Annotated[
    Path | None, typer.Option("--config", "-c", help="rassegna.toml to use (default: $RASSEGNA_CONFIG)")
]
console = Console(markup=False)


class Frequency(StrEnum):
    daily = "daily"
    weekly = "weekly"


def digest(
    frequency: Annotated[Frequency, typer.Option(help="which subscriptions to serve")] = Frequency.daily,
    config: ConfigOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="write to <outbox>/dry-run/ only: no e-mail, no send-log entry")
    ] = False,
    as_of: Annotated[str | None, typer.Option(help="end of the window, ISO 8601 (default: now)")] = None,
) -> None:
    """Send the editors' topic digests (runs the `digest` Prefect flow)."""
    configure(load(config).prefect.home)
    from flows.digests.flow import digest as digest_flow

    result = digest_flow(frequency=str(frequency), config=str(config) if config else None, dry_run=dry_run, as_of=as_of)
    table = Table("abbonamento", "esito", "articoli", "dettaglio", title=f"Rassegna {frequency}")
    for outcome in result["digests"]:
        detail = outcome["files"][-1] if outcome["files"] and dry_run else outcome["reason"]
        table.add_row(outcome["subscription"], outcome["status"], str(outcome["items"]), detail)
    console.print(table if result["digests"] else f"no {frequency} subscription configured")


def report(
    config: ConfigOption = None,
    output: Annotated[Path | None, typer.Option(help="HTML file to write (default: settings report.path)")] = None,
) -> None:
    """Write the analysts' overview page (charts over the whole warehouse)."""
    from flows.report import write_report

    console.print(f"report written to {write_report(load(config), output)}")
