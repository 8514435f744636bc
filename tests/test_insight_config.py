"""The insight and health settings: defaults, values, and every mistake with its position."""

from __future__ import annotations

import pytest

from relboard.config import HealthBands, HealthConfig, HealthWeights, InsightConfig
from relboard.config_check import load_config
from relboard.services.context import Context
from tests.config_files import errors_of, write


def test_defaults(tmp_path):
    config = load_config(write(tmp_path, "user: pat\n"), env={})
    assert config.insight == InsightConfig(90)
    assert config.health == HealthConfig(HealthWeights(20, 25, 20, 15, 10, 10),
                                         HealthBands(50, 75), 30, 90, 7)
    ctx = Context.from_config(config)
    assert (ctx.insight, ctx.health) == (config.insight, config.health)


def test_values_and_partial_sections(tmp_path):
    config = load_config(write(tmp_path, """\
        insight:
          satisfaction_days: 30
        health:
          weights: {contact: 0, risks: 2.5}
          bands: {amber: 40}
          sentiment_days: 14
          missed_days: 60
          drop_days: 3
        """), env={})
    assert config.insight.satisfaction_days == 30
    assert config.health == HealthConfig(HealthWeights(contact=0, risks=2.5),
                                         HealthBands(40, 75), 14, 60, 3)
    assert config.health.bands.band(39) == "red" and config.health.bands.band(40) == "amber"


@pytest.mark.parametrize("text, problem", [
    ("insight:\n  satisfaction_days: 0\n",
     "FILE:2:22: insight.satisfaction_days: must be between 1 and 3650, got 0"),
    ("insight:\n  days: 9\n", "FILE:2:3: insight.days: unknown key 'days'"),
    ("health:\n  weights: {contact: -1}\n",
     "FILE:2:22: health.weights.contact: must be between 0 and 100, got -1"),
    ("health:\n  weights: {contakt: 3}\n",
     "FILE:2:13: health.weights.contakt: unknown key 'contakt'; did you mean 'contact'?"),
    ("health:\n  weights: {contact: 0, issues: 0, expectations: 0, satisfaction: 0, "
     "sentiment: 0, risks: 0}\n",
     "FILE:2:12: health.weights: at least one weight must be more than 0"),
    ("health:\n  bands: {amber: 80}\n",
     "FILE:2:18: health.bands.amber: amber (80) must be below green (75)"),
    ("health:\n  bands:\n    amber: 60\n    green: 60\n",
     "FILE:4:12: health.bands.green: amber (60) must be below green (60)"),
    ("health:\n  drop_days: yes\n", "FILE:2:14: health.drop_days: expected a whole number, "
     "got 'yes'"),
    ("health: 3\n", "FILE:1:9: health: expected a mapping, got 3"),
])
def test_mistakes_are_named_with_their_position(tmp_path, text, problem):
    path = write(tmp_path, text)
    assert errors_of(path) == [problem.replace("FILE", str(path))]
