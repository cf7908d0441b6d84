"""How much a first touch of fresh memory costs on this machine, and what that does to a parse.

Not a benchmark of fastscratch: a probe of the VM, whose host reclaims guest memory that has been
free for a few seconds (virtio-balloon free page reporting), so the next first touch faults it
back in from the host. Run under the bench lock, with nothing else running:

    flock /tmp/fastscratch-bench.lock .venv/bin/python bench/probe_vm_memory.py [glove.txt]
"""

import sys
import time

import numpy as np

MIB_458 = 458 << 20  # the float32 matrix of a 400,000 x 300 GloVe file


def touch_seconds(nbytes: int = MIB_458) -> float:
    """Allocate ``nbytes`` and write one byte per page; the seconds that took."""
    t = time.perf_counter()
    a = np.empty(nbytes, np.uint8)
    a[::4096] = 1
    seconds = time.perf_counter() - t
    del a
    return seconds


def main() -> None:
    touch_seconds()
    for wait in (0, 10, 0, 10):
        time.sleep(wait)
        print(f"touch 458 MiB after {wait:2d} s idle: {touch_seconds() * 1e3:7.1f} ms")
    if len(sys.argv) > 1:
        from fastscratch import Vectors

        path = sys.argv[1]
        Vectors.from_glove(path)  # page cache and compiled kernels warm
        for label in ("10 s idle", "1 GiB just freed", "10 s idle", "1 GiB just freed"):
            if label.startswith("10"):
                time.sleep(10)
            else:
                touch_seconds(1 << 30)
            t = time.perf_counter()
            v = Vectors.from_glove(path)
            print(f"parse after {label:16s}: {time.perf_counter() - t:.2f} s (kernel {v.report.timings['parse']:.2f} s)")
            del v


if __name__ == "__main__":
    main()
