"""Severity crosses every boundary as a name (critical, high, medium, low).

The database stores its rank (1 critical .. 4 low) so queues sort by it; that rank is read,
written and compared only in the models and the services' queries, converted only by
``domain.severity_rank`` / ``severity_name``. Every service gives a screen, the CLI, the
digest or the export a name, and takes one (a rank typed as 1-4 is read in one place,
``domain.parse_severity``).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
import yaml

from relboard import domain
from relboard import models as m
from relboard.services import attention, brief, digest, export, issues, lists, portfolio, records
from relboard.services.errors import ConflictError, ValidationError
from tests.conftest import at

pytestmark = pytest.mark.both_databases

PACKAGE = Path(__file__).resolve().parent.parent / "relboard"
NAMES = set(domain.SEVERITIES)


def _open_issue_ids() -> list[int]:
    i = m.Issue
    return [row.id for row in i.select(i.id).where(i.status.in_(issues.OPEN_STATUSES))
            .order_by(i.id)]


def test_every_service_gives_issue_rows_a_severity_name(sample):
    ctx = sample
    ids = _open_issue_ids()
    assert len(ids) >= 3  # the sample has open issues of several severities
    got = [records.get("issue", iid)["severity"] for iid in ids]
    assert set(got) <= NAMES and len(set(got)) >= 2
    for sort in lists.ISSUE_SORTS:
        rows = lists.issues_page(ctx, sort=sort).rows
        assert rows and {type(r["severity"]) for r in rows} == {str}, sort
        assert {r["severity"] for r in rows} <= NAMES, sort
        assert "severity_name" not in rows[0]  # one key, the name
    customer = records.get("issue", ids[0])["customer"]
    tab = lists.issues_page(ctx, customer_id=customer).rows  # the profile's issues tab
    assert tab and {r["severity"] for r in tab} <= NAMES
    b = brief.brief(ctx, customer)
    assert b.issues and {i["severity"] for i in b.issues} <= NAMES
    grid = portfolio.issue_grid(ctx)
    assert {sev for sev, _ in grid} == NAMES and sum(grid.values()) >= 1


def test_the_queue_filters_and_sorts_by_name_worst_first(sample):
    ctx = sample
    rows = lists.issues_page(ctx, sort="severity").rows
    ranks = [domain.SEVERITIES.index(r["severity"]) for r in rows]
    assert ranks == sorted(ranks)  # critical first, as the stored rank sorts
    for name in domain.SEVERITIES:
        only = lists.issues_page(ctx, severity=[name]).rows
        assert [r["id"] for r in only] == [r["id"] for r in rows if r["severity"] == name]


def test_today_and_the_digest_word_an_issue_by_its_severity_name(sample):
    ctx = sample
    issue_items = [it for it in attention.board(ctx, per_group=None).items
                   if it.kind == "issue"]
    assert issue_items
    for it in issue_items:
        assert it.reason.split(":")[0].split(",")[0] in NAMES, it.reason
    data = json.loads(digest.render(ctx, "json", portfolio=False))
    reasons = [it["reason"] for it in data["items"] if it["kind"] == "issue"]
    assert reasons and all(r.split(":")[0].split(",")[0] in NAMES for r in reasons)


def test_the_brief_and_the_export_write_names(sample):
    ctx = sample
    customer = records.get("issue", _open_issue_ids()[0])["customer"]
    b = brief.brief(ctx, customer)
    text = brief.render(b)
    assert b.issues
    for issue in b.issues:  # "#12 critical, in progress: ..."
        assert f"#{issue['id']} {records.get('issue', issue['id'])['severity']}, " in text
    exported = yaml.safe_load(export.export_text())
    written = [row["severity"] for row in exported["issues"]]
    assert written and set(written) <= NAMES
    assert written == [records.get("issue", row["id"])["severity"]
                       for row in exported["issues"]]


def test_a_severity_is_taken_as_a_name_and_its_change_logged_as_names(sample):
    ctx = sample
    iid = _open_issue_ids()[0]
    row = records.get("issue", iid)
    other = "low" if row["severity"] != "low" else "critical"
    version = issues.set_severity(ctx, iid, row["version"], other)
    assert records.get("issue", iid)["severity"] == other
    change = [h for h in records.history("issue", iid) if h["field"] == "severity"][0]
    assert (change["old"], change["new"]) == (row["severity"], other)
    with pytest.raises(ValidationError) as refused:
        issues.set_severity(ctx, iid, version, "huge")
    assert "critical, high, medium or low" in str(refused.value)
    late = at(ctx, ctx.now(), user="bob")
    issues.set_severity(late, iid, version, "high")
    with pytest.raises(ConflictError) as clash:  # alice still holds the older version
        issues.set_severity(ctx, iid, version, "medium")
    assert clash.value.fields["severity"] == ("high", "medium")


def test_a_new_issue_is_medium_unless_told(sample):
    ctx = sample
    customer = records.get("issue", _open_issue_ids()[0])["customer"]
    plain = issues.raise_issue(ctx, {"customer": customer, "title": "No severity given"})
    typed = issues.raise_issue(ctx, {"customer": customer, "title": "Typed 2",
                                     "severity": "2"})
    assert records.get("issue", plain)["severity"] == "medium"
    assert records.get("issue", typed)["severity"] == "high"


@pytest.mark.parametrize(("given", "name"), [
    ("critical", "critical"), (" High ", "high"), ("LOW", "low"), ("1", "critical"),
    ("4", "low"), (3, "medium")])
def test_parse_severity_reads_a_name_or_a_rank_typed_1_to_4(given, name):
    assert domain.parse_severity(given) == name


@pytest.mark.parametrize("given", ["huge", "0", "5", "", True, "1.0", "crit"])
def test_parse_severity_refuses_anything_else_saying_what_is_allowed(given):
    with pytest.raises(ValueError, match="must be critical, high, medium or low"):
        domain.parse_severity(given)


def test_rank_and_name_are_each_others_inverse_and_strict():
    assert [domain.severity_name(domain.severity_rank(n)) for n in domain.SEVERITIES] == \
        list(domain.SEVERITIES)
    for bad in (0, 5, -1):
        with pytest.raises(ValueError):
            domain.severity_name(bad)
    with pytest.raises(ValueError):
        domain.severity_rank("huge")


# Where the rank may appear: the vocabulary itself, the models, the services (their queries
# and the field rules that turn a name into what is stored).
RANK_ALLOWED = ("domain.py", "models.py", "services/", "migrations/")


def _py_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _rel(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def _hand_conversions(source: str, where: str = "") -> list[str]:
    """``SEVERITIES[...]`` and ``SEVERITIES.index(...)``: a rank worked out by hand."""
    found = []
    for node in ast.walk(ast.parse(source)):
        target = None
        if isinstance(node, ast.Subscript):
            target = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "index":
            target = node.func.value
        name = getattr(target, "id", None) or getattr(target, "attr", None)
        if name == "SEVERITIES":
            found.append(f"{where}:{node.lineno}")
    return found


def test_no_module_but_the_vocabulary_converts_a_severity_by_hand():
    found = [hit for path in _py_files() if _rel(path) != "domain.py"
             and not _rel(path).startswith("migrations/")
             for hit in _hand_conversions(path.read_text(), _rel(path))]
    assert found == []
    # the check sees the shapes the hand conversions had
    assert len(_hand_conversions("a = m.SEVERITIES[row['severity'] - 1]\n"
                                 "b = SEVERITIES.index(s) + 1\n")) == 2


def test_the_rank_never_reaches_a_screen_a_widget_or_the_cli():
    users = {}
    for path in _py_files():
        if _rel(path).startswith(RANK_ALLOWED) or _rel(path) in RANK_ALLOWED:
            continue
        nodes = list(ast.walk(ast.parse(path.read_text())))
        names = {n.id for n in nodes if isinstance(n, ast.Name)}
        names |= {n.attr for n in nodes if isinstance(n, ast.Attribute)}
        names |= {a.name for n in nodes if isinstance(n, ast.ImportFrom) for a in n.names}
        if used := names & {"severity_rank", "severity_name"}:
            users[_rel(path)] = used
    assert users == {}
