"""`manage.py target_wiring_check` on the plan corpus and the demo plans holds the wiring to its bar."""

from __future__ import annotations

import json
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from plans.extraction.wiring_check import BAR_SHARE, CORPUS_DIR, check_corpus


def test_the_corpus_holds_at_least_twelve_real_documents_each_with_its_source():
    cases = [json.loads(p.read_text(encoding="utf-8")) for p in CORPUS_DIR.glob("*.targets.json")]
    real = [c for c in cases if c["document"].startswith("plans/corpus/")]
    assert len(real) >= 12
    for case in real:
        text = (Path(settings.BASE_DIR) / case["document"]).read_text(encoding="utf-8")
        assert f"# source: {case['source']}" in text and case["source"].startswith("http")
    assert {c["document"] for c in cases} >= {
        "demo/documents/001_bc1637571a05c243.txt",
        "demo/documents/002_3dd27eabe960211c.txt",
        "demo/documents/gzucm_year_plan.txt",
    }


def test_the_check_prints_a_line_per_expected_target_and_meets_the_bar():
    out = StringIO()
    call_command("target_wiring_check", fail_below_bar=True, stdout=out)
    lines = out.getvalue().strip().splitlines()
    expected = sum(len(json.loads(p.read_text(encoding="utf-8"))["targets"]) for p in CORPUS_DIR.glob("*.targets.json"))
    assert len([line for line in lines if "→" in line]) >= expected
    last = re.fullmatch(r"wired: (\d+)/(\d+) \((\d+)%\)", lines[-1])
    assert last, lines[-1]
    right, countable = int(last.group(1)), int(last.group(2))
    assert countable >= 25 and right / countable >= BAR_SHARE
    assert "wired wrong: 0" in lines[-2]
    assert "全年讲师团宣讲不少于25场 → activity_count" in out.getvalue()


def test_a_target_wired_when_nothing_counts_it_fails_the_check(tmp_path):
    shutil.copy(CORPUS_DIR / "community_2025.txt", tmp_path / "community_2025.txt")
    case = json.loads((CORPUS_DIR / "community_2025.targets.json").read_text(encoding="utf-8"))
    case["document"] = "community_2025.txt"
    # Pretend the hand-checked list says the theme-education count cannot be counted: then it is wired wrong.
    case["targets"][1]["metric"] = None
    (tmp_path / "community_2025.targets.json").write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    result = check_corpus(tmp_path, tmp_path)
    assert result.wrong == 1 and not result.meets_bar
    assert [line.verdict for line in result.lines] == ["left unmeasured", "WRONG", "right"]


def test_the_command_fails_below_the_bar(monkeypatch, tmp_path):
    shutil.copy(CORPUS_DIR / "school_plan.txt", tmp_path / "school_plan.txt")
    case = json.loads((CORPUS_DIR / "school_plan.targets.json").read_text(encoding="utf-8"))
    case["document"] = "school_plan.txt"
    case["targets"][0]["params"] = {"kinds": ["training"]}  # expected: a training, read: a meeting
    (tmp_path / "school_plan.targets.json").write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(
        "plans.management.commands.target_wiring_check.check_corpus", lambda: check_corpus(tmp_path, tmp_path)
    )
    with pytest.raises(CommandError, match="Below the bar"):
        call_command("target_wiring_check", fail_below_bar=True, stdout=StringIO())
