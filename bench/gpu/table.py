#!/usr/bin/env python3
"""Turns the bench page's reports into the results table (bench/gpu/README.md).

python3 bench/gpu/table.py OUT_BASENAME [GROUP:]LABEL=FILE.jsonl[@LOAD] ...
Each FILE is a serve.py report log; its last 'done' message holds the rows (a log that several runs
appended to gives the last run's rows). Writes OUT_BASENAME.json (every round of every row, renderers,
versions; each row names its FILE as `call`) and OUT_BASENAME.md (medians): one table per GROUP (sources
without one share the unnamed group), one column per machine LABEL and backend it has rows for (webgl,
wasm, kernels), in the order given.
"""
import json, statistics, sys

out_base, sources = sys.argv[1], sys.argv[2:]
machines = []
by_label = {}
for source in sources:
    label, rest = source.split("=", 1)
    group, _, label = label.rpartition(":")
    path, _, load = rest.partition("@")
    messages = [json.loads(line) for line in open(path) if line.strip()]
    done = [m for m in messages if m.get("type") == "done"][-1]
    page = [m for m in messages if m.get("type") == "page"][-1]
    rows = [{**row, "median": statistics.median(row["rates"]), "call": path.rsplit("/", 1)[-1]} for row in done["rows"]]
    run = {"file": path.rsplit("/", 1)[-1], "load": load or None, "plan": page["plan"], "pageWebglRenderer": page["pageWebglRenderer"], **done["meta"]}
    if label in by_label:  # a second run on the same machine: its rows join the first's
        by_label[label]["rows"] += rows
        by_label[label]["runs"].append(run)
        continue
    by_label[label] = {"label": label, "group": group, **run, "runs": [run], "rows": rows}
    machines.append(by_label[label])

json.dump({"machines": machines}, open(out_base + ".json", "w"), indent=1)


def cell(machine, backend, trainer, hidden, members):
    for row in machine["rows"]:
        if (row["backend"], row["trainer"], row["hidden"], row["members"]) == (backend, trainer, hidden, members):
            rates = ", ".join(f"{r:.0f}" for r in row["rates"])
            return row["median"], f"**{row['median']:.0f}** ({rates})"
    return None, "—"


lines = []
keys = [("single", 64, 1), ("single", 256, 1)] + [("population", 64, k) for k in (1, 8, 32, 64, 128, 256)]
groups = list(dict.fromkeys(m["group"] for m in machines))
for group in groups:
    group_machines = [m for m in machines if m["group"] == group]
    columns = [(m, b) for m in group_machines for b in ("webgl", "wasm", "kernels") if any(r["backend"] == b for r in m["rows"])]
    if group:
        lines += [f"#### {group}", ""]
    lines.append("| trainer | " + " | ".join(f"{m['label']} · {b}" for m, b in columns) + " |")
    lines.append("|---|" + "---|" * len(columns))
    for trainer, hidden, members in keys:
        cells = []
        for m, b in columns:
            value, text = cell(m, b, trainer, hidden, members)
            single, _ = cell(m, b, "single", 64, 1)
            if value is not None and trainer == "population" and single:
                text += f" · {value / members:.{0 if value / members >= 10 else 1}f}/member · {value / single:.2f}× single"
            cells.append(text)
        if all(c == "—" for c in cells):
            continue
        name = f"single run, hidden {hidden}" if trainer == "single" else f"population K = {members}, hidden 64"
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("")
for m in machines:
    for run in m["runs"]:
        lines.append(f"- **{m['label']}**, `{run['file']}`: SAC engines {json.dumps(run.get('sacEngines')) if run.get('sacEngines') else 'not recorded (tfjs only)'}; WebGL renderer in the worker (tfjs's context): `{run.get('tfjsWebglRenderer')}`; "
                     f"tfjs {run['tfjsVersion']}; {run['userAgent']}; hardwareConcurrency {run['hardwareConcurrency']}; "
                     f"load average (1 min) {run['load'] or 'not recorded'} (before → after); plan {json.dumps(run['plan'])}.")
open(out_base + ".md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
