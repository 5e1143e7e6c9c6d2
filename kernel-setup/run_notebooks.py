"""Execute course notebooks headlessly with nbclient and the tslab kernel.

usage: python run_notebooks.py --out DIR [--timeout SECONDS] [--notebook-timeout SECONDS] [--summary FILE] NOTEBOOK...

- Source notebooks are never modified: each executed copy is written to DIR/<name>.ipynb
  (also when a cell fails, so the outputs up to the failure can be inspected).
- A cell fails when the kernel answers with status `error` (tslab sends the message on stderr,
  without ename/evalue), when it runs longer than the cell timeout (COURSE_CELL_TIMEOUT, default 1800 s),
  when the notebook as a whole runs longer than its timeout (COURSE_NOTEBOOK_TIMEOUT, default 10800 s;
  0 = none), when the kernel dies, when its outputs do not all arrive within COURSE_IOPUB_TIMEOUT
  (default 30 s) of its reply (nbclient would otherwise drop them with a log line), when the kernel does not
  answer within COURSE_KERNEL_START_TIMEOUT (default 180 s; nbclient's own default of 60 s was exceeded by a
  tslab start on a loaded 2-core machine) of being started, when an
  asynchronous error (an exception thrown in a timer or an unhandled promise rejection started by
  an earlier cell) surfaces while it runs, when a message from the kernel to Jupyter was lost (the
  course kernel counts failed or dropped zeromq sends: kernel-setup/serial-send.js), or when a cell
  writes to stderr (console.warn/console.error: JupyterLab shows it as an error and the book refuses it).
- Hidden steps (a prelude, a check after every cell, a short wait after the last cell) are never
  saved. Whatever goes wrong in them — an error, a timeout, a dead kernel, a check that fails
  without saying why — fails the run (fail closed) and is blamed on the notebook cell that ran last
  (a timer or promise started by it or by an earlier cell), never on "setup".
- On failure it prints the notebook, the cell number (1-based, counting every cell as JupyterLab
  lists them), the cell's first line and the error text, and exits 1.
- It ends with a table: notebook, cells, seconds, status.
"""
import argparse
import json
import math
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

# Hidden cells, never saved into the executed copy. The prelude records asynchronous errors (tslab
# itself only prints them on the kernel's own stderr when no cell is running, where nobody sees
# them); a check after every cell turns a recorded error, or a kernel message lost since the last
# check (counted by the course kernel, kernel-setup/tslab-kernel.js), into a failure of that cell.
PRELUDE = """(globalThis as any).courseRunnerAsyncErrors = [];
(globalThis as any).courseRunnerLostSeen = 0;
const courseRunnerRecord = (kind: string) => (e: any) => {
  (globalThis as any).courseRunnerAsyncErrors.push(kind + ': ' + (e && e.stack ? e.stack : String(e)));
};
process.on('uncaughtException', courseRunnerRecord('UncaughtException'));
process.on('unhandledRejection', courseRunnerRecord('UnhandledRejection'));"""
CHECK = """{
  const g = globalThis as any;
  const pending: string[] = g.courseRunnerAsyncErrors.splice(0);
  const sends = g[Symbol.for('ai-course.kernelSends')];
  if (sends && sends.failed > g.courseRunnerLostSeen) {
    pending.push('LostKernelMessages: ' + (sends.failed - g.courseRunnerLostSeen) + ' message(s) from the kernel to Jupyter ' +
      'failed or were dropped, so outputs or replies may be missing (last: ' + sends.lastError + ')');
    g.courseRunnerLostSeen = sends.failed;
  }
  if (pending.length > 0) { console.error(pending.join('\\n')); throw new Error('asynchronous error'); }
}"""
SETTLE = "await new Promise((resolve) => setTimeout(resolve, 300));"
ASYNC_MARKERS = ("UncaughtException:", "UnhandledRejection:", "UnhandledPromiseRejection:")
LOST_MARKER = "LostKernelMessages:"
RUNNER_TAG = "course-runner"


class Failure(Exception):
    def __init__(self, cell_number, first_line, text):
        super().__init__(text)
        self.cell_number = cell_number
        self.first_line = first_line
        self.text = text


def stderr_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            parts.append(out.get("text", ""))
        elif out.get("output_type") == "error":
            parts.append("\n".join(out.get("traceback") or [f"{out.get('ename')}: {out.get('evalue')}"]))
    return "".join(parts).strip()


def first_line(source):
    for line in source.splitlines():
        if line.strip():
            return line.strip()[:120]
    return "(empty cell)"


def runner_cell(source):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = [RUNNER_TAG]
    return cell


def env_seconds(name, default):
    value = os.environ.get(name, "").strip()
    try:
        return float(value) if value else float(default)
    except ValueError:
        sys.exit(f"run_notebooks: {name}={value!r} is not a number of seconds (default {default})")


def kernel_exit(client):
    """How the kernel process ended ('exit code 3', 'killed by signal 9'), or '' when unknown."""
    try:
        code = client.km.provisioner.process.poll()
    except Exception:
        return ""
    if code is None:
        return ""
    return f"killed by signal {-code}" if code < 0 else f"exit code {code}"


class Limits:
    """The cell timeout, the notebook's timeout and its deadline (time.time() when it runs out; inf: not started, or none)."""

    def __init__(self, cell, notebook, iopub):
        self.cell = cell if cell > 0 else math.inf  # 0: no cell timeout, as nbclient reads it
        self.notebook, self.iopub = notebook, iopub
        self.deadline = math.inf  # set when the first notebook cell starts


def run_step(client, cell, index, limits):
    """Execute one cell. Returns None, or (kind, detail) with kind one of 'error' (detail: its stderr),
    'cell-timeout', 'notebook-timeout', 'iopub', 'dead' (detail: how the kernel ended), 'client'."""
    remaining = limits.deadline - time.time()
    if remaining <= 0:
        return ("notebook-timeout", "")
    by_notebook = remaining < limits.cell
    limit = min(limits.cell, remaining)
    client.timeout = None if limit == math.inf else max(1, math.ceil(limit))
    try:
        client.execute_cell(cell, index)
    except CellTimeoutError as e:
        if "IOPub" in str(e):
            return ("iopub", "")
        return ("notebook-timeout" if by_notebook else "cell-timeout", "")
    except DeadKernelError:
        return ("dead", kernel_exit(client))
    except CellExecutionError:
        return ("error", stderr_text(cell))
    except Exception as e:  # anything else from nbclient or the kernel connection: fail closed
        return ("client", f"{type(e).__name__}: {e}")
    return None


def describe(kind, detail, where, limits):
    """The sentence for a failed step; `where` says when it happened ('cell 3', 'after cell 3, in the runner's check ...')."""
    if kind == "cell-timeout":
        return f"{where}: ran longer than {limits.cell:g} s (COURSE_CELL_TIMEOUT; the kernel was stopped)"
    if kind == "notebook-timeout":
        return f"{where}: the notebook ran longer than {limits.notebook:g} s in all (COURSE_NOTEBOOK_TIMEOUT; the kernel was stopped)"
    if kind == "iopub":
        return (f"{where}: the kernel's outputs did not all arrive within {limits.iopub:g} s of its reply (COURSE_IOPUB_TIMEOUT); "
                "the rest were not waited for, so the executed copy would be incomplete")
    if kind == "dead":
        return f"{where}: the kernel died" + (f" ({detail})" if detail else "") + \
            " — process.exit, a crash or a signal, in this cell or in a timer or promise an earlier cell started"
    if kind == "client":
        return f"{where}: the runner lost the kernel: {detail}"
    return f"{where}: {detail or 'the kernel reported an error without a message'}"


def execute(path, out_dir, timeout, notebook_timeout=0, iopub_timeout=30, start_timeout=180):
    nb = nbformat.read(path, as_version=4)
    kernel = (nb.metadata.get("kernelspec") or {}).get("name", "tslab")
    cells = nb.cells
    code_count = sum(1 for c in cells if c.cell_type == "code")
    work = nbformat.from_dict(json.loads(json.dumps(nb)))
    work.cells = [runner_cell(PRELUDE)] + list(work.cells) + [runner_cell(SETTLE)]
    client = NotebookClient(
        work, kernel_name=kernel, timeout=timeout, allow_errors=False,
        # Output that arrives after the reply is waited for up to iopub_timeout; later than that is a failure, not a log line.
        raise_on_iopub_timeout=True, iopub_timeout=max(1, math.ceil(iopub_timeout)),
        startup_timeout=max(1, math.ceil(start_timeout)),
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )
    failure = None
    started = time.time()
    limits = Limits(timeout, notebook_timeout, iopub_timeout)
    last = None  # (number, first line) of the notebook cell that ran last: hidden steps' failures are blamed on it
    try:
        with client.setup_kernel():
            for index, cell in enumerate(work.cells):
                if cell.cell_type != "code":
                    continue
                # index 0 is the prelude: the notebook's cell k (1-based) is work cell k.
                number = index if 0 < index < len(work.cells) - 1 else None
                if number:
                    last = (number, first_line(cell.source))
                    where = f"cell {number}"
                elif index == 0:
                    where = "the runner's setup, before cell 1"
                else:
                    where = f"after the last cell (cell {last[0]}), while the runner waited for late asynchronous errors" if last \
                        else "the end of the notebook"
                blame = last or (None, "(runner setup)")
                t0 = time.time()
                if number and limits.deadline == math.inf and limits.notebook > 0:
                    # The notebook's clock starts at its first cell: kernel start and the prelude (tslab's first
                    # compile) have their own limits (nbclient's startup timeout, the cell timeout).
                    limits.deadline = t0 + limits.notebook
                failed = run_step(client, cell, index, limits)
                text = stderr_text(cell)
                if failed and not (failed[0] == "error" and any(m in failed[1] for m in ASYNC_MARKERS)):
                    raise Failure(*blame, describe(*failed, where, limits))  # (an asynchronous error is worded below)
                if not any(m in text for m in ASYNC_MARKERS):
                    check = nbformat.v4.new_code_cell(CHECK)
                    try:
                        checked = run_step(client, check, index, limits)
                    finally:
                        work.cells[index] = cell  # nbclient stores the executed cell at its index
                    if checked:
                        kind, detail = checked
                        if kind != "error" or not any(m in detail for m in ASYNC_MARKERS + (LOST_MARKER,)):
                            # Fail closed: a check that fails, hangs or loses the kernel is a failure, whatever it printed.
                            check_where = f"{where}, in the runner's check for asynchronous errors just after it" if number else where
                            if kind == "error":
                                detail = f"the runner's check failed: {detail or 'without a message'}"
                            raise Failure(*blame, describe(kind, detail, check_where, limits))
                        text = detail.split("evalmachine.<anonymous>")[0].strip()  # the check's own stack is noise
                if LOST_MARKER in text:
                    raise Failure(*blame, f"{where}: {text}")
                if any(m in text for m in ASYNC_MARKERS):
                    raise Failure(*blame,
                                  f"{where}: an asynchronous error surfaced (thrown by a timer or promise that cell {blame[0]} "
                                  f"or an earlier one started):\n{text}")
                if number and text:
                    # JupyterLab draws stderr as a red box and the book refuses a chapter that has one: a note for the
                    # reader belongs on stdout (console.log), so a cell that writes to stderr fails here, not an hour later.
                    raise Failure(number, first_line(cell.source),
                                  f"cell {number} wrote to stderr (console.warn or console.error), which readers see as an error "
                                  f"and the book refuses; print notes with console.log:\n{text}")
                spent = time.time() - t0
                if number and spent >= 20:
                    print(f"  {os.path.basename(path)}: cell {number} took {spent:.0f} s", flush=True)
    except Failure as f:
        failure = f
    except Exception as e:  # kernel failed to start, etc.
        hint = (f" (COURSE_KERNEL_START_TIMEOUT is {start_timeout:g} s; a busy machine may need more)"
                if "didn't respond" in str(e) else "")
        failure = Failure(None, "(kernel start)", f"{type(e).__name__}: {e}{hint}")
    seconds = time.time() - started
    # Save the executed copy without the runner's own cells.
    nb_out = nbformat.from_dict(json.loads(json.dumps(work)))
    nb_out.cells = [c for c in nb_out.cells if RUNNER_TAG not in c.metadata.get("tags", [])]
    os.makedirs(out_dir, exist_ok=True)
    target = os.path.join(out_dir, os.path.basename(path))
    tmp = target + ".tmp"
    nbformat.write(nb_out, tmp)
    os.replace(tmp, target)
    return {"notebook": os.path.basename(path), "cells": len(cells), "code_cells": code_count,
            "seconds": round(seconds, 1), "ok": failure is None, "output": target,
            "failure": None if failure is None else {"cell": failure.cell_number, "first_line": failure.first_line, "error": failure.text}}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--timeout", type=float, default=env_seconds("COURSE_CELL_TIMEOUT", 1800),
                    help="seconds one cell may run (COURSE_CELL_TIMEOUT, default 1800)")
    ap.add_argument("--notebook-timeout", type=float, default=env_seconds("COURSE_NOTEBOOK_TIMEOUT", 10800),
                    help="seconds one notebook's cells may run in all, from its first cell (COURSE_NOTEBOOK_TIMEOUT, default 10800; 0: none)")
    ap.add_argument("--iopub-timeout", type=float, default=env_seconds("COURSE_IOPUB_TIMEOUT", 30),
                    help="seconds a cell's outputs may arrive after its reply (COURSE_IOPUB_TIMEOUT, default 30)")
    ap.add_argument("--start-timeout", type=float, default=env_seconds("COURSE_KERNEL_START_TIMEOUT", 180),
                    help="seconds the kernel may take to answer after it is started (COURSE_KERNEL_START_TIMEOUT, default 180)")
    ap.add_argument("--summary")
    ap.add_argument("notebooks", nargs="+")
    args = ap.parse_args()
    results = []
    for path in args.notebooks:
        print(f"▶ {os.path.basename(path)} (profile {os.environ.get('COURSE_PROFILE', 'full')})", flush=True)
        r = execute(path, args.out, args.timeout, args.notebook_timeout, args.iopub_timeout, args.start_timeout)
        results.append(r)
        if r["ok"]:
            print(f"✔ {r['notebook']}: {r['cells']} cells in {r['seconds']} s", flush=True)
        else:
            f = r["failure"]
            where = f"cell {f['cell']}" if f["cell"] else "setup"
            print(f"✘ {r['notebook']} failed at {where}: {f['first_line']}", flush=True)
            print("  " + f["error"].replace("\n", "\n  "), flush=True)
            print(f"  executed copy with outputs so far: {r['output']}", flush=True)
    width = max(len(r["notebook"]) for r in results)
    print()
    print(f"{'notebook'.ljust(width)}  cells  seconds  status")
    for r in results:
        status = "ok" if r["ok"] else ("FAILED (cell %s)" % r["failure"]["cell"] if r["failure"]["cell"] else "FAILED (setup)")
        print(f"{r['notebook'].ljust(width)}  {str(r['cells']).rjust(5)}  {str(r['seconds']).rjust(7)}  {status}")
    failed = [r for r in results if not r["ok"]]
    print(f"notebooks: {len(results) - len(failed)} passed, {len(failed)} failed")
    if args.summary:
        with open(args.summary, "w") as fh:
            json.dump(results, fh, indent=2)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
