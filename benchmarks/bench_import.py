"""Bulk import of 100,000 records against a baseline run alongside.

Run: ``python benchmarks/bench_import.py [--records N] [--repeat R]``. Builds a portfolio file
(10% customers, 40% interactions, 30% issues, 20% expectations, with realistic text), then
times, alternately and each in its own process:

* **baseline**: ``yaml.load(file, Loader=yaml.CSafeLoader)`` plus raw ``sqlite3.executemany``
  of the same rows (every column the import fills) into the same schema, one transaction;
* **relboard**: ``relboard import FILE`` into an empty database (strict parsing with
  positions, every field checked, references resolved, the audit trail written).

Prints the median seconds of each, the ratio relboard/baseline (the goal: at most 3) and the
peak memory of each process (``ru_maxrss`` of the child). Only public tools are used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORDS = ("rollout", "invoice", "migration", "dashboard", "training", "sign-off", "pilot",
         "budget", "scope", "timeline", "integration", "report", "outage", "release", "data",
         "approval", "workshop", "steering", "contract", "renewal", "clinic", "depot", "portal")
PEOPLE = ("alex", "sam", "priya", "jo", "chris", "mei")


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _moment(rng: random.Random) -> str:
    day = dt.datetime(2026, 11, 23, 9, 0) - dt.timedelta(minutes=rng.randrange(0, 600_000))
    return day.isoformat(sep=" ") + "Z"


def build_file(path: Path, records: int = 100_000, seed: int = 1) -> None:
    """Write a portfolio of ``records`` records in relboard's file format."""
    rng = random.Random(seed)
    customers, interactions = records // 10, records * 4 // 10
    issues = records * 3 // 10
    expectations = records - customers - interactions - issues
    with open(path, "w", encoding="utf-8") as out:
        out.write("relboard: 1\ncustomers:\n")
        for n in range(1, customers + 1):
            out.write(f"  - id: {n}\n    name: Customer {n:06} Holdings\n"
                      f"    industry: {rng.choice(('Retail', 'Health', 'Energy', 'Logistics'))}\n"
                      f"    tier: {rng.choice(('strategic', 'key', 'standard'))}\n"
                      f"    owner: {rng.choice(PEOPLE)}\n    cadence_days: {rng.randint(7, 30)}\n"
                      f"    goals: {_sentence(rng, 14)}\n    needs: {_sentence(rng, 10)}\n"
                      f"    notes: |\n      {_sentence(rng, 12)}\n      {_sentence(rng, 8)}\n")
        out.write("interactions:\n")
        for n in range(1, interactions + 1):
            out.write(f"  - id: {n}\n    customer: {rng.randint(1, customers)}\n"
                      f"    channel: {rng.choice(('call', 'email', 'meeting', 'video'))}\n"
                      f"    occurred_at: {_moment(rng)}\n    summary: {_sentence(rng, 16)}\n"
                      f"    sentiment: {rng.randint(-2, 2)}\n")
            if n % 3 == 0:
                out.write(f"    follow_up_on: 2026-12-{rng.randint(1, 28):02}\n")
        out.write("expectations:\n")
        for n in range(1, expectations + 1):
            out.write(f"  - id: {n}\n    customer: {rng.randint(1, customers)}\n"
                      f"    statement: {_sentence(rng, 12)}\n"
                      f"    category: {rng.choice(('scope', 'timeline', 'deliverable'))}\n"
                      f"    owner: {rng.choice(PEOPLE)}\n    baseline_due: 2026-12-01\n"
                      f"    current_due: 2027-01-{rng.randint(1, 28):02}\n"
                      f"    status: {rng.choice(('proposed', 'agreed', 'at_risk', 'met'))}\n")
        out.write("issues:\n")
        for n in range(1, issues + 1):
            out.write(f"  - id: {n}\n    customer: {rng.randint(1, customers)}\n"
                      f"    title: {_sentence(rng, 6)}\n    description: {_sentence(rng, 20)}\n"
                      f"    severity: {rng.choice(('critical', 'high', 'medium', 'low'))}\n"
                      f"    status: {rng.choice(('new', 'acknowledged', 'in_progress'))}\n"
                      f"    owner: {rng.choice(PEOPLE)}\n    raised_at: {_moment(rng)}\n")


BASELINE = r'''
import datetime as dt, sqlite3, sys, yaml
path, db = sys.argv[1], sys.argv[2]
with open(path, "rb") as fh:
    doc = yaml.load(fh, Loader=yaml.CSafeLoader)
now = dt.datetime(2026, 11, 23, 10, 0).isoformat(sep=" ")
stamps = (1, now, "bench", now, "bench")
sev = {"critical": 1, "high": 2, "medium": 3, "low": 4}
con = sqlite3.connect(db)
con.execute("BEGIN")
con.executemany(
    "INSERT INTO customer (id, name, industry, tier, owner, cadence_days, goals, needs, notes,"
    " archived, health_rating_note, version, created_at, created_by, updated_at, updated_by)"
    " VALUES (?,?,?,?,?,?,?,?,?,0,'',?,?,?,?,?)",
    [(r["id"], r["name"], r["industry"], r["tier"], r["owner"], r["cadence_days"], r["goals"],
      r["needs"], r["notes"], *stamps) for r in doc["customers"]])
con.executemany(
    "INSERT INTO interaction (id, customer_id, channel, occurred_at, summary, sentiment,"
    " follow_up_on, internal, version, created_at, created_by, updated_at, updated_by)"
    " VALUES (?,?,?,?,?,?,?,0,?,?,?,?,?)",
    [(r["id"], r["customer"], r["channel"], str(r["occurred_at"]), r["summary"],
      r["sentiment"], r.get("follow_up_on") and str(r["follow_up_on"]), *stamps)
     for r in doc["interactions"]])
con.executemany(
    "INSERT INTO expectation (id, customer_id, statement, category, owner, baseline_due,"
    " current_due, status, version, created_at, created_by, updated_at, updated_by)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [(r["id"], r["customer"], r["statement"], r["category"], r["owner"],
      str(r["baseline_due"]), str(r["current_due"]), r["status"], *stamps)
     for r in doc["expectations"]])
con.executemany(
    "INSERT INTO issue (id, customer_id, title, description, severity, status, owner,"
    " raised_at, resolution, paused_seconds, clock, version, created_at, created_by,"
    " updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,'',0,0,?,?,?,?,?)",
    [(r["id"], r["customer"], r["title"], r["description"], sev[r["severity"]], r["status"],
      r["owner"], str(r["raised_at"]), *stamps) for r in doc["issues"]])
con.commit()
con.close()
'''

MEASURE = r'''
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[2:], capture_output=True, text=True)
elapsed = time.perf_counter() - start
if done.returncode:
    sys.exit(done.stderr)
print(json.dumps({"seconds": elapsed,
                  "rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
'''


def empty_database(path: Path) -> None:
    """A fresh relboard database (schema only) at ``path``."""
    subprocess.run([sys.executable, "-c", "import sys; from relboard.db import open_database, "
                    "close_database; open_database(sys.argv[1]); close_database()", str(path)],
                   check=True, cwd=ROOT)


def measure(command: list[str]) -> dict[str, float]:
    """Seconds and peak memory (MB) of ``command`` run as a child of a small process."""
    done = subprocess.run([sys.executable, "-c", MEASURE, "x", *command], check=True,
                          capture_output=True, text=True, cwd=ROOT)
    return json.loads(done.stdout)


def main() -> None:
    """Build the file, run baseline and relboard alternately, print medians and the ratio."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        data = base / "portfolio.yaml"
        build_file(data, args.records)
        template = base / "template.db"
        empty_database(template)
        config = base / "config.yaml"
        results: dict[str, list[dict[str, float]]] = {"baseline": [], "relboard": []}
        for run in range(args.repeat):
            for name in results:  # alternate so machine noise hits both alike
                db = base / f"{name}{run}.db"
                db.write_bytes(template.read_bytes())
                if name == "baseline":
                    command = [sys.executable, "-c", BASELINE, str(data), str(db)]
                else:
                    config.write_text(f"database: '{db}'\nuser: bench\n")
                    command = [sys.executable, "-m", "relboard", "--config", str(config),
                               "import", str(data)]
                results[name].append(measure(command))
                os.remove(db)
        size = data.stat().st_size / 1e6
        print(f"{args.records:,} records, file {size:.1f} MB, median of {args.repeat} runs")
        print(f"{'':<10} {'seconds':>9} {'peak MB':>9}")
        medians = {}
        for name, runs in results.items():
            medians[name] = statistics.median(r["seconds"] for r in runs)
            rss = max(r["rss_mb"] for r in runs)
            print(f"{name:<10} {medians[name]:>9.2f} {rss:>9.0f}")
        print(f"ratio relboard/baseline: {medians['relboard'] / medians['baseline']:.2f}")


if __name__ == "__main__":
    main()
