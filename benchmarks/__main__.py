"""`make bench`: run every benchmark, print a table, write results/latest.json.

Each result is {"name", "value", "unit", "target", "better"}; names are stable so runs
can be compared over time. Figures are medians of several rounds, and each suite runs
a baseline in the same process so ratios stay meaningful on a busy machine.
"""

import json
import os
import sys
import tempfile
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"


def _prepare_environment() -> None:
    # Benchmarks get a data folder of their own; nothing touches the user's data.
    for name in list(os.environ):
        if name.startswith("KOERS_") or name == "DATABASE_URL":
            del os.environ[name]
    os.environ["KOERS_DATA_DIR"] = tempfile.mkdtemp(prefix="koers-bench-")
    os.environ["KOERS_TASKS_IMMEDIATE"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "koers.settings"


def main() -> int:
    _prepare_environment()
    import django

    django.setup()
    from benchmarks import (
        abuse,
        alert_latency,
        guidelines,
        listening_pipeline,
        listening_quality,
        nab,
        publishing,
        query,
        web,
    )

    results = (
        web.run()
        + guidelines.run()
        + query.run()
        + listening_quality.run()
        + listening_pipeline.run()
        + nab.run()
        + alert_latency.run()
        + publishing.run()
        + (abuse.results() or [])
    )
    width = max(len(r["name"]) for r in results)
    print(f"{'benchmark':<{width}}  {'value':>12}  {'unit':<10} {'target':>10}  ok")
    failed = 0
    for r in results:
        good = r["value"] >= r["target"] if r["better"] == "higher" else r["value"] <= r["target"]
        failed += not good
        print(
            f"{r['name']:<{width}}  {r['value']:>12.2f}  {r['unit']:<10} "
            f"{r['target']:>10.2f}  {'yes' if good else 'NO'}"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwritten to {RESULTS}")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
