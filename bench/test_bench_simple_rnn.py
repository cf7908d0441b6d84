"""The sine-wave RNN post: its 25-epoch training, the post's code against the drop-in and PyTorch.

The post's set-up (100 training and 50 validation windows of 50 values of sin(x), 100 hidden
units, lr 0.0001, bptt_truncate 5, clipping at 10, its seeded weights), each epoch starting with
its two losses as the post's train does:

- reference: the post's train (its update rule), pure NumPy;
- fastscratch_post: the drop-in module's train, the same rule, bit for bit;
- fastscratch_bptt: SimpleRNN(mode="bptt"), correct truncated BPTT, same settings;
- torch: the same truncated BPTT in PyTorch (float64, two threads): a hand-unrolled loop with
  autograd, the hidden state detached before the truncation window, clamped gradients, SGD.

The bars: fastscratch_post against the reference, fastscratch_bptt against torch. The drop-in's
weights after the whole run must equal the reference's bit for bit (the test suite checks the
first seven epochs; this run is the one that has the full 25 at hand).
"""

import numpy as np
import pytest

from fastscratch.benchmarks import seed_workloads as w

RESULTS: dict[str, tuple] = {}
GROUP = "sine RNN, the post's 25-epoch training (100 + 50 windows of 50, 100 hidden units)"


@pytest.mark.parametrize("impl", ["reference", "fastscratch_post", "fastscratch_bptt", "torch"])
def test_training(benchmark, impl):
    if impl == "reference":
        run, rounds, warm = w.rnn_reference_run(), 1, 0
    elif impl == "fastscratch_post":
        run, rounds, warm = w.rnn_fast_post_run(), 5, 1
    elif impl == "fastscratch_bptt":
        run, rounds, warm = w.rnn_fast_bptt_run(), 5, 1
    else:
        run = w.rnn_torch_bptt_run()
        if run is None:
            pytest.skip("torch is not installed: `pip install 'fastscratch[bench]'` for the PyTorch peer")
        w.rnn_torch_bptt_run(epochs=1)()  # warm torch up on one epoch
        rounds, warm = 1, 0
    benchmark.group = GROUP
    result = benchmark.pedantic(run, rounds=rounds, iterations=1, warmup_rounds=warm)
    if impl == "reference":
        RESULTS["reference"] = result
    if impl == "fastscratch_post":
        expected = RESULTS.get("reference") or w.rnn_reference_run()()  # run alone: compute it untimed
        for name, got, want in zip("UVW", result, expected, strict=True):
            assert np.array_equal(got, want), f"{name} after the post's 25 epochs differs from the reference's"
