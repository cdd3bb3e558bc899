"""The deployments of `prefect.yaml`, read offline: their flows, and runner deployments for `rassegna serve`."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import yaml
from prefect import Flow
from prefect.client.schemas.schedules import CronSchedule
from prefect.deployments.runner import RunnerDeployment
from pydantic import BaseModel, Field

PREFECT_YAML = Path("prefect.yaml")  # in the project folder, where `prefect deploy` reads it too


class Schedule(BaseModel):
    cron: str
    timezone: str


class WorkPool(BaseModel):
    name: str


class Deployment(BaseModel):
    name: str
    entrypoint: str  # path/to/file.py:flow_function, relative to the project root
    description: str = ""
    parameters: dict[str, Any] = Field(default_factory=dict)
    schedules: list[Schedule]
    work_pool: WorkPool

    def cron_schedules(self) -> list[CronSchedule]:
        """Prefect's own schedule objects (they reject invalid crons and unknown time zones)."""
        return [CronSchedule(cron=s.cron, timezone=s.timezone) for s in self.schedules]


def read_deployments(path: Path = PREFECT_YAML) -> list[Deployment]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return [Deployment.model_validate(entry) for entry in data["deployments"]]


def import_flow(entrypoint: str) -> Flow:
    """Import the flow an entrypoint names, as a module of the installed packages (a real import, no fallback)."""
    file, _, function = entrypoint.partition(":")
    module = importlib.import_module(Path(file).with_suffix("").as_posix().replace("/", "."))
    found = getattr(module, function)
    if not isinstance(found, Flow):
        raise TypeError(f"{entrypoint} is not a Prefect flow")
    return found


def runner_deployments(deployments: list[Deployment]) -> list[RunnerDeployment]:
    """The same deployments, built for `prefect.serve` (schedules and parameters as in prefect.yaml)."""
    return [
        import_flow(d.entrypoint).to_deployment(
            name=d.name,
            description=d.description,
            schedules=d.cron_schedules(),
            parameters=d.parameters,
        )
        for d in deployments
    ]
