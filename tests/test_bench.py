"""`make bench` must keep working: run the benchmark on a handful of paragraphs and check its report.

Speed is not asserted here (the issue's budget is a benchmark, not a timed test); what is checked is
that both methods run on the same texts, every text is accounted for, and the figures are printed.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_labeling  # noqa: E402
import bench_training  # noqa: E402


def test_bench_runs_and_reports_both_methods(capsys):
    assert bench_labeling.main(["--n", "6", "--batch-size", "4", "--no-bf16"]) == 0
    out = capsys.readouterr().out
    assert "6 test paragraphs" in out
    rows = {m.group(1): (float(m.group(2)), float(m.group(4)), int(m.group(5))) for m in re.finditer(
        r"^([AB] .+? float32)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(\d+)$", out, flags=re.MULTILINE)}
    assert set(rows) == {"A naive pipeline loop (generate + parse) float32", "B batched score_labels float32"}, out
    for seconds, accuracy, unparsed in rows.values():
        assert seconds > 0 and 0 <= accuracy <= 1 and 0 <= unparsed <= 6
    assert rows["B batched score_labels float32"][2] == 0          # label scoring never fails to parse
    assert re.search(r"speed-up A/B in float32: [\d.]+x", out)
    assert re.search(r"reading each prompt once .*: [\d.]+ s", out)


def test_bench_rejects_too_few_texts():
    with pytest.raises(SystemExit):
        bench_labeling.main(["--n", "1"])


def test_training_bench_reports_throughput_and_ratio(capsys):
    assert bench_training.main(["--n", "8", "--batch-size", "4", "--words", "12", "--rank", "4"]) == 0
    out = capsys.readouterr().out
    assert "8 training examples (12 words each)" in out
    infer = re.search(r"^inference \(forward, no gradients\)\s+([\d.]+)$", out, flags=re.MULTILINE)
    rows = re.findall(r"^([AB] training, .+?)\s+([\d.]+)\s+([\d.]+)$", out, flags=re.MULTILINE)
    assert infer and len(rows) == 2, out
    for _, tokens_per_s, ratio in rows:           # the ratio is computed from the printed throughputs
        assert float(tokens_per_s) > 0
        assert abs(float(ratio) - float(tokens_per_s) / float(infer.group(1))) < 0.01
    losses = re.search(r"A ([\d.]+) -> ([\d.]+); B ([\d.]+) -> ([\d.]+)", out)
    assert losses, out                            # both variants trained and reported a finite loss


def test_training_bench_rejects_bad_sizes():
    with pytest.raises(SystemExit):
        bench_training.main(["--n", "2", "--batch-size", "4"])
