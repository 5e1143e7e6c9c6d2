"""Extract from a TensorFlow wheel the C headers tfjs-node's binding includes, and their closure.

usage: python3 headers-closure.py WHEEL DEST_INCLUDE_DIR
Walks #include "..." lines from tensorflow/c/c_api.h and tensorflow/c/eager/c_api.h,
resolving each against the wheel's tensorflow/include/ tree, and writes only those files.
"""
import re
import sys
import zipfile
from pathlib import Path

ROOTS = [
    "tensorflow/c/c_api.h",
    "tensorflow/c/eager/c_api.h",
    "tensorflow/c/tf_datatype.h",
    "tensorflow/c/tf_status.h",
    "tensorflow/c/tf_tensor.h",
    "tensorflow/core/platform/ctstring_internal.h",
]
PREFIX = "tensorflow/include/"
INCLUDE = re.compile(rb'^\s*#\s*include\s+"([^"]+)"', re.M)


def main(wheel: str, dest: str) -> None:
    z = zipfile.ZipFile(wheel)
    names = {n[len(PREFIX):] for n in z.namelist() if n.startswith(PREFIX)}
    todo, seen = list(ROOTS), set()
    while todo:
        header = todo.pop()
        if header in seen:
            continue
        if header not in names:
            if header in ROOTS:
                sys.exit(f"headers-closure: {header} is not in {wheel}: is it a TensorFlow wheel?")
            continue  # a system or optional header: the compiler finds it or it is not needed
        seen.add(header)
        data = z.read(PREFIX + header)
        out = Path(dest, header)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        todo.extend(m.decode() for m in INCLUDE.findall(data))
    print(f"headers-closure: {len(seen)} headers written to {dest}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
