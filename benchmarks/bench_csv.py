"""A 100,000-row CSV import against the YAML import of the same records, run alongside.

Run: ``python benchmarks/bench_csv.py [--rows N] [--repeat R]``. Builds a portfolio of
1,000 customers, 2,000 stakeholders and N touchpoints (each with one of its customer's
stakeholders, realistic text) as one YAML file, imports it once and writes the same records
as three CSV files with ``relboard export --format csv --only ...``. Then times, alternately
and each into a fresh empty database:

* **yaml** (the baseline): ``relboard import portfolio.yaml``;
* **csv**: ``relboard import customers.csv``, ``stakeholders.csv``, then the N-row
  ``touchpoints.csv`` (three processes in a row: the same records, references by name).

Prints the median seconds, the peak memory of the largest process and the ratio csv/yaml
(the goal: at most 1, "within the YAML import's time and memory").
"""

from __future__ import annotations

import argparse
import random
import shlex
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_import import ROOT, _moment, _sentence, empty_database, measure  # noqa: E402

CUSTOMERS, PER_CUSTOMER = 1000, 2
KINDS = ("customers", "stakeholders", "touchpoints")


def build_file(path: Path, rows: int, seed: int = 1) -> None:
    """The portfolio in relboard's YAML format."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as out:
        out.write("relboard: 1\ncustomers:\n")
        for n in range(1, CUSTOMERS + 1):
            out.write(f"  - id: {n}\n    name: Customer {n:06} Holdings\n"
                      f"    tier: {rng.choice(('strategic', 'key', 'standard'))}\n"
                      f"    notes: {_sentence(rng, 12)}\n")
        out.write("contacts:\n")
        for n in range(1, CUSTOMERS * PER_CUSTOMER + 1):
            out.write(f"  - id: {n}\n    customer: {1 + (n - 1) // PER_CUSTOMER}\n"
                      f"    name: Person {n:06}\n    role: {_sentence(rng, 3)}\n"
                      f"    phone: +44 113 496 {n % 10000:04}\n")  # guarded in the CSV
        out.write("interactions:\n")
        for n in range(1, rows + 1):
            customer = rng.randint(1, CUSTOMERS)
            contact = (customer - 1) * PER_CUSTOMER + rng.randint(1, PER_CUSTOMER)
            out.write(f"  - id: {n}\n    customer: {customer}\n    contacts: [{contact}]\n"
                      f"    channel: {rng.choice(('call', 'email', 'meeting', 'video'))}\n"
                      f"    occurred_at: {_moment(rng)}\n    summary: {_sentence(rng, 16)}\n"
                      f"    sentiment: {rng.randint(-2, 2)}\n")


def relboard(config: Path, *args: str) -> list[str]:
    """The command line of relboard on ``config``."""
    return [sys.executable, "-m", "relboard", "--config", str(config), *args]


def main() -> None:
    """Build the files, run yaml and csv alternately, print medians and the ratio."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        data = base / "portfolio.yaml"
        build_file(data, args.rows)
        template = base / "template.db"
        empty_database(template)
        config = base / "config.yaml"
        source = base / "source.db"
        source.write_bytes(template.read_bytes())
        config.write_text(f"database: '{source}'\nuser: bench\n")
        subprocess.run(relboard(config, "import", str(data)), check=True, cwd=ROOT,
                       capture_output=True)
        files = [base / f"{kind}.csv" for kind in KINDS]
        for kind, path in zip(KINDS, files, strict=True):
            subprocess.run(relboard(config, "export", "--only", kind, str(path)), check=True,
                           cwd=ROOT)
        results: dict[str, list[dict[str, float]]] = {"yaml": [], "csv": []}
        for run in range(args.repeat):
            for name in results:  # alternate so machine noise hits both alike
                db = base / f"{name}{run}.db"
                db.write_bytes(template.read_bytes())
                config.write_text(f"database: '{db}'\nuser: bench\n")
                if name == "yaml":
                    command = relboard(config, "import", str(data))
                else:
                    steps = [shlex.join(relboard(config, "import", "--only", kind, str(path)))
                             for kind, path in zip(KINDS, files, strict=True)]
                    command = ["sh", "-c", " && ".join(steps)]
                results[name].append(measure(command))
                db.unlink()
        sizes = ", ".join(f"{p.name} {p.stat().st_size / 1e6:.1f} MB" for p in files)
        print(f"{args.rows:,} touchpoint rows (+{CUSTOMERS:,} customers, "
              f"{CUSTOMERS * PER_CUSTOMER:,} stakeholders), median of {args.repeat} runs")
        print(f"YAML {data.stat().st_size / 1e6:.1f} MB; CSV: {sizes}")
        print(f"{'':<6} {'seconds':>9} {'peak MB':>9}")
        medians, peaks = {}, {}
        for name, runs in results.items():
            medians[name] = statistics.median(r["seconds"] for r in runs)
            peaks[name] = max(r["rss_mb"] for r in runs)
            print(f"{name:<6} {medians[name]:>9.2f} {peaks[name]:>9.0f}")
        print(f"ratio csv/yaml: time {medians['csv'] / medians['yaml']:.2f}, "
              f"peak memory {peaks['csv'] / peaks['yaml']:.2f}")


if __name__ == "__main__":
    main()
