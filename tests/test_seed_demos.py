"""``fastscratch demo digits`` and ``fastscratch demo sine`` (short runs), and ``fastscratch demo``
alone still being the main ScratchNet job."""

import json

import pytest

from fastscratch.app import cli


def test_demo_digits_writes_its_plots_and_prints_the_posts_lines(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    assert cli.main(["demo", "digits", "--epochs", "3", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "Epoch 0: " in printed and "Epoch 2: " in printed and " / 300" in printed
    assert "confusion matrix" in printed
    for name in ("digits-training.png", "digits-confusion.png", "digits-history.csv", "digits-summary.json"):
        assert (tmp_path / name).stat().st_size > 0, name
    summary = json.loads((tmp_path / "digits-summary.json").read_text())
    assert summary["epochs"] == 3 and summary["network"] == [64, 30, 10]
    assert sum(map(sum, summary["confusion"])) == 300


def test_demo_sine_trains_both_ways_and_writes_the_posts_plots(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    assert cli.main(["demo", "sine", "--epochs", "2", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert printed.count("Epoch: 1, Loss: ") == 3 and "validation RMSE" in printed
    for name in ("sine-training.png", "sine-validation.png", "sine-summary.json"):
        assert (tmp_path / name).stat().st_size > 0, name
    runs = json.loads((tmp_path / "sine-summary.json").read_text())["runs"]
    assert set(runs) == {"post", "bptt", "bptt_scaled"}
    assert all(r["rmse_validation"] > 0 and len(r["loss"]) == 2 for r in runs.values())


def test_demo_without_a_network_is_still_the_main_job(monkeypatch):
    calls = []
    monkeypatch.setattr("fastscratch.app.demo.run_demo", lambda **kw: calls.append(kw))
    assert cli.main(["demo", "--out", "somewhere", "--quiet"]) == 0
    assert len(calls) == 1 and calls[0]["out"] == "somewhere" and calls[0]["epochs"] == 60 and calls[0]["seed"] == 42
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["demo", "mnist"])
