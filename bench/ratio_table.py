"""pytest plugin: after the benchmark tables, each result's speed-up over the baselines that
ran in the same session and group (median over median: > 1 means faster than the baseline)."""

from __future__ import annotations

BASELINES = ("reference_notebook", "reference_no_predict", "reference", "torch", "pandas", "pyarrow", "gensim",
             "python_re", "sklearn", "presidio")


def _impl(name: str) -> str:
    params = name[name.find("[") + 1 : name.rfind("]")] if "[" in name else name
    return params.split("-")[-1]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    session = getattr(config, "_benchmarksession", None)
    if session is None or not session.benchmarks:
        return
    groups: dict[str, dict[str, float]] = {}
    extras: dict[str, dict] = {}
    for bench in session.benchmarks:
        if bench.has_error or not bench.stats:
            continue
        groups.setdefault(bench.group or "", {})[_impl(bench.name)] = bench.stats.median
        if bench.extra_info:
            extras[f"{bench.group} | {_impl(bench.name)}"] = bench.extra_info
    tr = terminalreporter
    tr.section("speed-up over the baselines of this run (baseline median / median)")
    for group, results in groups.items():
        present = [b for b in BASELINES if b in results]
        if not present:
            continue
        tr.write_line("")
        tr.write_line(f"{group}")
        tr.write_line(f"  {'implementation':34s}{'median s':>10}" + "".join(f"{'x ' + b:>24}" for b in present))
        for impl, median in sorted(results.items(), key=lambda kv: kv[1]):
            ratios = "".join(f"{results[b] / median:>24.2f}" for b in present)
            tr.write_line(f"  {impl:34s}{median:>10.4f}{ratios}")
    if extras:
        tr.write_line("")
        tr.write_line("extra measurements (benchmark.extra_info)")
        for key, info in extras.items():
            tr.write_line(f"  {key}: " + ", ".join(f"{k}={v}" for k, v in info.items()))
