"""Execute course notebooks headlessly with nbclient and the tslab kernel.

usage: python run_notebooks.py --out DIR [--timeout SECONDS] [--summary FILE] NOTEBOOK...

- Source notebooks are never modified: each executed copy is written to DIR/<name>.ipynb
  (also when a cell fails, so the outputs up to the failure can be inspected).
- A cell fails when the kernel answers with status `error` (tslab sends the message on stderr,
  without ename/evalue), when it runs longer than the timeout, when the kernel dies, or when an
  asynchronous error (an exception thrown in a timer or an unhandled promise rejection started by
  an earlier cell) surfaces while it runs, or when a cell writes to stderr (console.warn/console.error:
  JupyterLab shows it as an error and the book refuses it). One more hidden step after the last cell waits briefly
  so that late asynchronous errors are caught too.
- On failure it prints the notebook, the cell number (1-based, counting every cell as JupyterLab
  lists them), the cell's first line and the error text, and exits 1.
- It ends with a table: notebook, cells, seconds, status.
"""
import argparse
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

# Hidden cells, never saved into the executed copy. The prelude records asynchronous errors (tslab
# itself only prints them on the kernel's own stderr when no cell is running, where nobody sees
# them); a check after every cell turns a recorded error into a failure of that cell.
PRELUDE = """(globalThis as any).courseRunnerAsyncErrors = [];
const courseRunnerRecord = (kind: string) => (e: any) => {
  (globalThis as any).courseRunnerAsyncErrors.push(kind + ': ' + (e && e.stack ? e.stack : String(e)));
};
process.on('uncaughtException', courseRunnerRecord('UncaughtException'));
process.on('unhandledRejection', courseRunnerRecord('UnhandledRejection'));"""
CHECK = """{
  const pending: string[] = (globalThis as any).courseRunnerAsyncErrors.splice(0);
  if (pending.length > 0) { console.error(pending.join('\\n')); throw new Error('asynchronous error'); }
}"""
SETTLE = "await new Promise((resolve) => setTimeout(resolve, 300));"
ASYNC_MARKERS = ("UncaughtException:", "UnhandledRejection:", "UnhandledPromiseRejection:")
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


def execute(path, out_dir, timeout):
    nb = nbformat.read(path, as_version=4)
    kernel = (nb.metadata.get("kernelspec") or {}).get("name", "tslab")
    cells = nb.cells
    code_count = sum(1 for c in cells if c.cell_type == "code")
    work = nbformat.from_dict(json.loads(json.dumps(nb)))
    work.cells = [runner_cell(PRELUDE)] + list(work.cells) + [runner_cell(SETTLE)]
    client = NotebookClient(
        work, kernel_name=kernel, timeout=timeout, allow_errors=False,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )
    failure = None
    started = time.time()
    try:
        with client.setup_kernel():
            for index, cell in enumerate(work.cells):
                if cell.cell_type != "code":
                    continue
                # index 0 is the prelude: the notebook's cell k (1-based) is work cell k.
                number = index if 0 < index < len(work.cells) - 1 else None
                label = f"cell {number}" if number else ("the runner's setup" if index == 0 else "the end of the notebook")
                t0 = time.time()
                try:
                    client.execute_cell(cell, index)
                except CellTimeoutError:
                    raise Failure(number, first_line(cell.source), f"{label} ran longer than {timeout} s (COURSE_CELL_TIMEOUT)")
                except DeadKernelError as e:
                    raise Failure(number, first_line(cell.source), f"the kernel died during {label}: {e}")
                except CellExecutionError:
                    raise Failure(number, first_line(cell.source), stderr_text(cell) or "the kernel reported an error without a message")
                text = stderr_text(cell)
                if index > 0 and not any(m in text for m in ASYNC_MARKERS):
                    check = nbformat.v4.new_code_cell(CHECK)
                    try:
                        client.execute_cell(check, index)
                    except CellExecutionError:
                        text = stderr_text(check).split("evalmachine.<anonymous>")[0].strip()
                    finally:
                        work.cells[index] = cell  # nbclient stores the executed cell at its index
                if any(m in text for m in ASYNC_MARKERS):
                    raise Failure(number, first_line(cell.source),
                                  f"an asynchronous error surfaced while {label} ran or just before (thrown by a timer or "
                                  f"promise that this cell or an earlier one started):\n{text}")
                if number and text:
                    # JupyterLab draws stderr as a red box and the book refuses a chapter that has one: a note for the
                    # reader belongs on stdout (console.log), so a cell that writes to stderr fails here, not an hour later.
                    raise Failure(number, first_line(cell.source),
                                  f"{label} wrote to stderr (console.warn or console.error), which readers see as an error "
                                  f"and the book refuses; print notes with console.log:\n{text}")
                spent = time.time() - t0
                if number and spent >= 20:
                    print(f"  {os.path.basename(path)}: cell {number} took {spent:.0f} s", flush=True)
    except Failure as f:
        failure = f
    except Exception as e:  # kernel failed to start, etc.
        failure = Failure(None, "(kernel start)", f"{type(e).__name__}: {e}")
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
    ap.add_argument("--timeout", type=int, default=int(os.environ.get("COURSE_CELL_TIMEOUT", "1800")))
    ap.add_argument("--summary")
    ap.add_argument("notebooks", nargs="+")
    args = ap.parse_args()
    results = []
    for path in args.notebooks:
        print(f"▶ {os.path.basename(path)} (profile {os.environ.get('COURSE_PROFILE', 'full')})", flush=True)
        r = execute(path, args.out, args.timeout)
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
