"""prefect.yaml checked offline: it parses, entrypoints import, parameters fit the flows, crons are valid."""

from __future__ import annotations

import inspect
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import yaml
from cronsim import CronSim
from prefect.cli.deploy._models import PrefectYamlModel

from flows.deployments import PREFECT_YAML, import_flow, read_deployments, runner_deployments

DEPLOYMENTS = read_deployments()
ROME = ZoneInfo("Europe/Rome")


def test_prefect_accepts_the_file():
    model = PrefectYamlModel.model_validate(yaml.safe_load(PREFECT_YAML.read_text(encoding="utf-8")))
    assert [d.name for d in model.deployments] == ["ingest", "digest-daily", "digest-weekly"]
    assert {d.work_pool.name for d in model.deployments} == {"rassegna-process"}


@pytest.mark.parametrize("deployment", DEPLOYMENTS, ids=lambda d: d.name)
def test_parameters_match_the_flow_signature(deployment):
    flow = import_flow(deployment.entrypoint)
    signature = inspect.signature(flow.fn)
    assert set(deployment.parameters) <= set(signature.parameters)
    required = {n for n, p in signature.parameters.items() if p.default is inspect.Parameter.empty}
    assert required <= set(deployment.parameters)
    flow.validate_parameters(deployment.parameters)  # the types Prefect enforces at run time


@pytest.mark.parametrize("deployment", DEPLOYMENTS, ids=lambda d: d.name)
def test_crons_are_valid_in_rome_time(deployment):
    for schedule in deployment.schedules:
        assert schedule.timezone == "Europe/Rome"
        CronSim(schedule.cron, datetime(2025, 1, 1, tzinfo=ROME))  # raises on an invalid expression
    assert deployment.cron_schedules()  # Prefect's own validation of cron and time zone


def _next_runs(cron: str, start: datetime, count: int) -> list[datetime]:
    it = CronSim(cron, start)
    return [next(it) for _ in range(count)]


def test_schedules_fire_when_editors_expect():
    crons = {d.name: d.schedules[0].cron for d in DEPLOYMENTS}
    start = datetime(2025, 3, 29, 12, 30, tzinfo=ROME)  # Saturday before the switch to summer time
    assert [r.hour for r in _next_runs(crons["ingest"], start, 3)] == [13, 14, 15]
    daily = _next_runs(crons["digest-daily"], start, 3)
    assert [(r.day, r.hour, r.minute) for r in daily] == [(30, 7, 0), (31, 7, 0), (1, 7, 0)]
    assert [r.utcoffset().total_seconds() / 3600 for r in daily] == [2, 2, 2]  # 07:00 local, in summer time too
    weekly = _next_runs(crons["digest-weekly"], start, 2)
    assert [(r.strftime("%A"), r.hour) for r in weekly] == [("Monday", 7), ("Monday", 7)]
    daily_parameters = {d.name: d.parameters.get("frequency") for d in DEPLOYMENTS}
    assert daily_parameters == {"ingest": None, "digest-daily": "daily", "digest-weekly": "weekly"}


def test_serve_builds_the_same_deployments():
    built = runner_deployments(DEPLOYMENTS)
    assert [d.name for d in built] == ["ingest", "digest-daily", "digest-weekly"]
    for runner, spec in zip(built, DEPLOYMENTS, strict=True):
        assert runner.parameters == spec.parameters
        (schedule,) = runner.schedules
        assert (schedule.schedule.cron, schedule.schedule.timezone) == (spec.schedules[0].cron, "Europe/Rome")
