"""Loading and checking the configuration file."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path
from types import MappingProxyType

import pytest

from relboard import config as cfg
from relboard.config import (
    AttentionConfig,
    Config,
    ConfigError,
    QueueConfig,
    QueueFilter,
    SlaConfig,
    SlaTarget,
    default_config_path,
    default_database_path,
)
from relboard.config_check import load_config
from tests.config_files import errors_of, write


def one_error(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    errors = errors_of(path)
    assert len(errors) == 1, errors
    return errors[0].replace(str(path), "FILE")


# --- defaults ----------------------------------------------------------------------------


def test_empty_file_gives_defaults(tmp_path):
    path = write(tmp_path, "# nothing here yet\n")
    config = load_config(path, env={})
    assert config == Config(
        database=str(default_database_path()), user=config.user, source=str(path)
    )
    assert config.user  # the login name, or "me"
    assert config.theme == "relboard-dark" and config.animations is True
    assert config.cadence_days == 14 and config.today is None and dict(config.keymap) == {}
    assert config.sla.target("high") == SlaTarget(4, 24) and config.sla.near_breach == 0.8
    assert config.attention == AttentionConfig(7, 0, True)
    assert config.attention.renewal_days == 90
    assert [q.name for q in config.queues] == ["Open", "Mine", "Critical", "Resolved"]
    open_statuses = ("new", "acknowledged", "in_progress", "waiting_on_customer")
    assert config.queues[0].filter == QueueFilter(status=open_statuses)
    assert config.queues[1].filter == QueueFilter(owner="me", status=open_statuses)
    assert config.queues[2].filter == QueueFilter(
        status=open_statuses, severity=("critical", "high")
    )


def test_missing_user_default_file_gives_defaults(isolated_env):
    assert not default_config_path({}).exists()
    assert str(default_config_path({})).startswith(str(isolated_env))
    config = load_config(env={})
    assert config.source is None and config.theme == "relboard-dark"
    assert config.database == str(default_database_path())


def test_default_paths(isolated_env):
    assert default_config_path({}) == isolated_env / ".config" / "relboard" / "config.yaml"
    assert default_config_path({"RELBOARD_CONFIG": "/x/y.yaml"}) == Path("/x/y.yaml")
    assert default_database_path() == isolated_env / ".local" / "share" / "relboard" / "relboard.db"


def test_user_default_file_is_read(isolated_env):
    path = default_config_path({})
    path.parent.mkdir(parents=True)
    path.write_text("theme: textual-light\n")
    assert load_config(env={}).theme == "textual-light"


def test_missing_explicit_file_is_an_error(tmp_path):
    missing = tmp_path / "nope.yaml"
    assert errors_of(missing) == [f"{missing}: no such file"]
    with pytest.raises(ConfigError, match="no such file"):
        load_config(env={"RELBOARD_CONFIG": str(missing)})


def test_folder_instead_of_file(tmp_path):
    assert errors_of(tmp_path) == [f"{tmp_path}: is a folder, not a file"]


def test_effective_today():
    config = Config(database="x.db", user="u")
    assert config.effective_today() == dt.date.today()
    assert dataclasses.replace(config, today=dt.date(2026, 1, 2)).effective_today() == dt.date(
        2026, 1, 2
    )


def test_sla_target_by_name():
    sla = SlaConfig()
    assert [sla.target(s) for s in cfg.SEVERITIES] == [sla.critical, sla.high, sla.medium, sla.low]
    with pytest.raises(ValueError):
        sla.target("urgent")


def test_allowed_words_match_the_models():
    from relboard import models

    assert cfg.SEVERITIES == models.SEVERITIES
    assert cfg.ISSUE_STATUSES == models.ISSUE_STATUSES


# --- a full file -------------------------------------------------------------------------

FULL = """\
    database: ~/team/relboard.db
    user: alice
    theme: textual-light
    animations: false
    keymap:
      quit: "ctrl+q,q"
      goto_1: 1
    cadence_days: 21
    today: 2026-11-23
    sla:
      critical: {first_response_hours: 0.5, resolution_hours: 4}
      high:
        resolution_hours: 30
      near_breach: 0.75
    attention:
      expectations_due_days: 10
      follow_ups_ahead_days: 2
      stakeholder_cadence: false
      joint_review_days: 21
      renewal_days: 120
    queues:
      - name: Escalations
        filter:
          severity: critical
          status: [new, acknowledged]
          owner: me
          customer: Acme
      - name: Everything
"""


def test_full_file_sets_every_field(tmp_path):
    path = write(tmp_path, FULL)
    config = load_config(path, env={})
    assert config.database == os.path.expanduser("~/team/relboard.db")
    assert config.user == "alice" and config.theme == "textual-light" and config.animations is False
    assert dict(config.keymap) == {"quit": "ctrl+q,q", "goto_1": "1"}
    assert config.cadence_days == 21 and config.today == dt.date(2026, 11, 23)
    assert config.effective_today() == dt.date(2026, 11, 23)
    assert config.sla == SlaConfig(
        critical=SlaTarget(0.5, 4), high=SlaTarget(4, 30), near_breach=0.75
    )
    assert config.attention == AttentionConfig(10, 2, False, joint_review_days=21,
                                               renewal_days=120)
    assert config.queues == (
        QueueConfig(
            "Escalations",
            QueueFilter(
                owner="me", status=("new", "acknowledged"), severity=("critical",), customer="Acme"
            ),
        ),
        QueueConfig("Everything", QueueFilter()),
    )
    assert config.source == str(path)


def test_loaded_config_is_frozen(tmp_path):
    config = load_config(write(tmp_path, FULL), env={})
    for obj, name in (
        (config, "theme"),
        (config.sla, "near_breach"),
        (config.sla.high, "resolution_hours"),
        (config.attention, "expectations_due_days"),
        (config.queues[0], "name"),
        (config.queues[0].filter, "owner"),
    ):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, name, None)
    assert isinstance(config.keymap, MappingProxyType)
    with pytest.raises(TypeError):
        config.keymap["quit"] = "x"  # type: ignore[index]
    assert isinstance(config.queues, tuple) and isinstance(config.queues[0].filter.status, tuple)


# --- one mistake at a time ---------------------------------------------------------------


def test_syntax_error_position(tmp_path):
    assert one_error(tmp_path, "theme: dark\nuser: a: b\n").startswith(
        "FILE:2:8: mapping values are not allowed"
    )


def test_tab_in_indentation(tmp_path):
    assert (
        one_error(tmp_path, "sla:\n\thigh: {}\n")
        == "FILE:2:1: tab used for indentation; use spaces"
    )


def test_duplicate_key(tmp_path):
    assert one_error(tmp_path, "theme: a\nuser: b\ntheme: c\n") == (
        "FILE:3:1: theme: duplicate key 'theme' (first at line 1)"
    )


def test_unknown_key_with_suggestion(tmp_path):
    assert one_error(tmp_path, "sla_targts:\n  high: 1\n") == (
        "FILE:1:1: sla_targts: unknown key 'sla_targts'; did you mean 'sla'?"
    )
    assert one_error(tmp_path, "sla:\n  hihg: {}\n") == (
        "FILE:2:3: sla.hihg: unknown key 'hihg'; did you mean 'high'?"
    )


def test_unknown_key_without_suggestion(tmp_path):
    assert (
        one_error(tmp_path, "colour_scheme: x\n")
        == "FILE:1:1: colour_scheme: unknown key 'colour_scheme'"
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        ("animations: no\n", "FILE:1:13: animations: expected true or false, got 'no'"),
        ("animations: 1\n", "FILE:1:13: animations: expected true or false, got 1"),
        ("cadence_days: seven\n", "FILE:1:15: cadence_days: expected a whole number, got 'seven'"),
        ("cadence_days: 1.5\n", "FILE:1:15: cadence_days: expected a whole number, got 1.5"),
        ("cadence_days: 0\n", "FILE:1:15: cadence_days: must be between 1 and 365, got 0"),
        ("cadence_days: 366\n", "FILE:1:15: cadence_days: must be between 1 and 365, got 366"),
        ("theme: [a, b]\n", "FILE:1:8: theme: expected text, got a list"),
        (
            "theme: true\n",
            "FILE:1:8: theme: expected text, got true (put it in quotes to mean text)",
        ),
        ("user:\n", "FILE:1:6: user: expected text, got nothing"),
        ("user: ''\n", "FILE:1:7: user: must not be empty"),
        (
            "today: 2026-02-30\n",
            "FILE:1:8: today: expected a real date as YYYY-MM-DD (years 1900-2199), "
            "got '2026-02-30'",
        ),
        (
            "today: 23.11.2026\n",
            "FILE:1:8: today: expected a real date as YYYY-MM-DD (years 1900-2199), "
            "got '23.11.2026'",
        ),
        ("sla: 3\n", "FILE:1:6: sla: expected a mapping, got 3"),
        (
            "sla:\n  low: {first_response_hours: 0}\n",
            "FILE:2:31: sla.low.first_response_hours: must be more than 0, got 0",
        ),
        (
            "sla:\n  low: {first_response_hours: many}\n",
            "FILE:2:31: sla.low.first_response_hours: expected a number, got 'many'",
        ),
        (
            "sla:\n  high: {resolution_hours: 2}\n",
            "FILE:2:28: sla.high.resolution_hours: resolution_hours (2) must not be less than "
            "first_response_hours (4)",
        ),
        (
            "sla:\n  near_breach: 1.0\n",
            "FILE:2:16: sla.near_breach: must be between 0 and 1 (exclusive), got 1",
        ),
        (
            "attention:\n  follow_ups_ahead_days: -1\n",
            "FILE:2:26: attention.follow_ups_ahead_days: must be between 0 and 365, got -1",
        ),
        (
            "attention:\n  joint_review_days: 0\n",
            "FILE:2:22: attention.joint_review_days: must be between 1 and 365, got 0",
        ),
        (
            "attention:\n  renewal_days: 731\n",
            "FILE:2:17: attention.renewal_days: must be between 0 and 730, got 731",
        ),
        (
            "attention:\n  renewal_days: soon\n",
            "FILE:2:17: attention.renewal_days: expected a whole number, got 'soon'",
        ),
        ("keymap:\n  quit: ''\n", "FILE:2:9: keymap.quit: must not be empty"),
        ("keymap: [q]\n", "FILE:1:9: keymap: expected a mapping, got a list"),
        ("queues: Open\n", "FILE:1:9: queues: expected a list of queues, got 'Open'"),
        ("queues:\n  - filter: {owner: me}\n", "FILE:2:5: queues[0]: missing 'name'"),
        ("queues:\n  - Open\n", "FILE:2:5: queues[0]: expected a mapping with a name, got 'Open'"),
        (
            "queues:\n  - {name: A}\n  - {name: A}\n",
            "FILE:3:12: queues[1].name: duplicate queue name 'A' (first at line 2)",
        ),
        (
            "queues:\n  - {name: A, filter: {severity: [high, urgnt]}}\n",
            "FILE:2:41: queues[0].filter.severity: expected critical, high, medium or low, "
            "got 'urgnt'",
        ),
        (
            "queues:\n  - {name: A, filter: {status: opened}}\n",
            "FILE:2:32: queues[0].filter.status: expected new, acknowledged, in_progress, "
            "waiting_on_customer, resolved or closed, got 'opened'",
        ),
        ("queues:\n  - {name: A, sort: age}\n", "FILE:2:15: queues[0].sort: unknown key 'sort'"),
        (
            "- theme\n",
            "FILE:1:1: the top level must be a mapping of settings (key: value), got a list",
        ),
        ("database: ''\n", "FILE:1:11: database: must not be empty"),
    ],
)
def test_wrong_values(tmp_path, text, expected):
    assert one_error(tmp_path, text) == expected


def test_suggestion_for_a_misspelt_word(tmp_path):
    assert one_error(tmp_path, "queues:\n  - {name: A, filter: {severity: hgh}}\n").endswith(
        "got 'hgh'; did you mean 'high'?"
    )


def test_user_as_a_number_is_text(tmp_path):
    assert load_config(write(tmp_path, "user: 123\n"), env={}).user == "123"


def test_sqlite_in_memory_url_refused(tmp_path):
    assert one_error(tmp_path, "database: sqlite://relboard.db\n") == (
        "FILE:1:11: database: sqlite://relboard.db opens an in-memory database; "
        "use sqlite:///relative/path or sqlite:////absolute/path"
    )


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///data/relboard.db",
        "sqlite:////srv/relboard.db",
        "postgresql://rb@db.example/relboard",
    ],
)
def test_database_urls_kept_as_written(tmp_path, url):
    assert load_config(write(tmp_path, f"database: {url}\n"), env={}).database == url


def test_alias_refused(tmp_path):
    text = "sla:\n  high: &h {first_response_hours: 2, resolution_hours: 8}\n  medium: *h\n"
    assert one_error(tmp_path, text) == "FILE:2:9: sla.high: anchors and aliases are not allowed"


def test_python_tag_refused_and_nothing_ran(tmp_path):
    marker = tmp_path / "ran"
    text = f'user: !!python/object/apply:os.system ["echo hi > {marker}"]\n'
    assert one_error(tmp_path, text) == (
        "FILE:1:7: user: tags are not allowed: !!python/object/apply:os.system"
    )
    assert not marker.exists()


def test_file_over_one_mib(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_bytes(b"theme: x\n" + b"#" * (1 << 20) + b"\n")
    assert errors_of(path) == [
        f"{path}:1:1: file is {path.stat().st_size} bytes; the limit is 1 MiB"
    ]


def test_deep_nesting(tmp_path):
    path = write(tmp_path, "keymap: " + "[" * 5000 + "]" * 5000 + "\n")
    [error] = errors_of(path)
    assert error.startswith(f"{path}:1:48: keymap") and error.endswith(
        "nesting deeper than 40 levels"
    )


# --- several mistakes at once ------------------------------------------------------------


def test_every_error_is_collected_in_file_order(tmp_path):
    path = write(
        tmp_path,
        """\
        animations: no
        cadence_days: seven
        sla_targts: {}
        sla:
          critical: {first_response_hours: -1}
        queues:
          - name: ""
    """,
    )
    errors = [e.replace(str(path), "FILE") for e in errors_of(path)]
    assert errors == [
        "FILE:1:13: animations: expected true or false, got 'no'",
        "FILE:2:15: cadence_days: expected a whole number, got 'seven'",
        "FILE:3:1: sla_targts: unknown key 'sla_targts'; did you mean 'sla'?",
        "FILE:5:36: sla.critical.first_response_hours: must be more than 0, got -1",
        "FILE:7:11: queues[0].name: must not be empty",
    ]


# --- environment -------------------------------------------------------------------------


def test_env_overrides_file(tmp_path):
    path = write(tmp_path, "database: a.db\ntoday: 2026-01-01\n")
    config = load_config(path, env={"RELBOARD_TODAY": "2026-11-23", "RELBOARD_DATABASE": "~/b.db"})
    assert config.today == dt.date(2026, 11, 23)
    assert config.database == os.path.expanduser("~/b.db")


def test_env_names_the_config_file(tmp_path):
    path = write(tmp_path, "theme: from-env\n", name="elsewhere.yaml")
    config = load_config(env={"RELBOARD_CONFIG": str(path)})
    assert config.theme == "from-env" and config.source == str(path)


def test_explicit_path_beats_env(tmp_path):
    explicit = write(tmp_path, "theme: explicit\n", name="a.yaml")
    other = write(tmp_path, "theme: env\n", name="b.yaml")
    assert load_config(explicit, env={"RELBOARD_CONFIG": str(other)}).theme == "explicit"


def test_bad_env_values_are_errors_too(tmp_path):
    path = write(tmp_path, "animations: off\n")
    errors = errors_of(path, env={"RELBOARD_TODAY": "tomorrow", "RELBOARD_DATABASE": "sqlite://x"})
    assert errors == [
        f"{path}:1:13: animations: expected true or false, got 'off'",
        "RELBOARD_TODAY: expected a real date as YYYY-MM-DD (years 1900-2199), got 'tomorrow'",
        "RELBOARD_DATABASE: sqlite://x opens an in-memory database; use sqlite:///relative/path "
        "or sqlite:////absolute/path",
    ]


def test_env_defaults_to_os_environ(tmp_path, monkeypatch):
    monkeypatch.setenv("RELBOARD_CONFIG", str(write(tmp_path, "cadence_days: 30\n")))
    monkeypatch.setenv("RELBOARD_TODAY", "2026-02-28")
    config = load_config()
    assert config.cadence_days == 30 and config.today == dt.date(2026, 2, 28)


def test_config_error_carries_every_line():
    err = ConfigError(["a: one", "b: two"])
    assert err.errors == ["a: one", "b: two"] and str(err) == "a: one\nb: two"
    assert ConfigError("single").errors == ["single"]


def test_docstring_reference_is_a_valid_file_of_defaults(tmp_path):
    doc = cfg.__doc__
    block = doc[
        doc.index("Reference (defaults)::") + len("Reference (defaults)::") : doc.index(
            "\nA section left"
        )
    ]
    path = write(tmp_path, block.strip("\n"))
    config = load_config(path, env={})
    defaults = Config(database="", user="", source=str(path))
    skip = {"database", "user"}
    assert {
        f.name: getattr(config, f.name) for f in dataclasses.fields(Config) if f.name not in skip
    } == {
        f.name: getattr(defaults, f.name) for f in dataclasses.fields(Config) if f.name not in skip
    }


def test_empty_sections_keep_defaults_and_empty_queues_mean_none(tmp_path):
    config = load_config(write(tmp_path, "sla:\nattention:\nkeymap:\nqueues: []\ntoday:\n"), env={})
    assert config.sla == SlaConfig() and config.attention == AttentionConfig()
    assert dict(config.keymap) == {} and config.queues == () and config.today is None
