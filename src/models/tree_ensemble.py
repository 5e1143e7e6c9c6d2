"""Fit scikit-learn tree ensembles for the course's TypeScript wrapper (src/models/tree-ensemble.ts).

One process runs a batch of fit+predict jobs on one matrix, so the data crosses the pipe once.

stdin:  one JSON line {"rows", "cols", "randomState", "threads", "jobs": [{"kind", "params", "train", "predict"}]},
        then rows*cols float64 (row-major, little-endian) of X, then rows float64 of the labels y (0/1).
stdout: for each job in order, len(predict) float64: P(class 1) of the rows `predict`.
stderr: "progress <done> <total> cpu <seconds>" after each job (CPU seconds of its fit+predict); on failure the error, and exit status 2 (bad input)
        or 3 (scikit-learn missing).
"""
import json
import sys
import time


def main() -> int:
    try:
        import numpy as np
        from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    except ImportError as err:
        sys.stderr.write(f"scikit-learn missing: {err}\n")
        return 3
    header = json.loads(sys.stdin.buffer.readline())
    rows, cols = int(header["rows"]), int(header["cols"])
    x = np.frombuffer(sys.stdin.buffer.read(rows * cols * 8), dtype="<f8")
    y = np.frombuffer(sys.stdin.buffer.read(rows * 8), dtype="<f8")
    if x.size != rows * cols or y.size != rows:
        sys.stderr.write(f"expected {rows}x{cols} values and {rows} labels, got {x.size} and {y.size}\n")
        return 2
    x = x.reshape(rows, cols)
    y = y.astype(np.int64)
    jobs = header["jobs"]
    out = sys.stdout.buffer
    for done, job in enumerate(jobs, start=1):
        train = np.asarray(job["train"], dtype=np.int64)
        predict = np.asarray(job["predict"], dtype=np.int64)
        params = dict(job["params"])
        params["random_state"] = int(header["randomState"])
        if job["kind"] == "random-forest":
            params.setdefault("n_jobs", int(header["threads"]))
            model = RandomForestClassifier(**params)
        elif job["kind"] == "gradient-boosting":
            model = HistGradientBoostingClassifier(**params)
        else:
            sys.stderr.write(f"unknown kind {job['kind']!r}\n")
            return 2
        if len(np.unique(y[train])) != 2:
            sys.stderr.write(f"job {done}: the training rows must hold both classes 0 and 1\n")
            return 2
        cpu = time.process_time()
        model.fit(x[train], y[train])
        column = list(model.classes_).index(1)
        p = model.predict_proba(x[predict])[:, column] if predict.size else np.zeros(0)
        out.write(np.ascontiguousarray(p, dtype="<f8").tobytes())
        out.flush()
        sys.stderr.write(f"progress {done} {len(jobs)} cpu {time.process_time() - cpu:.3f}\n")
        sys.stderr.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
