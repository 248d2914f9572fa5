"""The test command itself: it stops when a tool is missing, and goldens are never written silently."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.audit import need
from tests.helpers import ROOT, Golden


def test_run_sh_stops_loudly_without_chromium_java_or_node(tmp_path: Path) -> None:
    """With none of the browser and audit tools on PATH (and no installation), the test command
    exits non-zero before any test, naming each missing tool; with or without CI."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "dirname", "id"):
        found = shutil.which(tool)
        assert found, tool
        (bin_dir / tool).symlink_to(found)
    for ci in ("true", ""):
        env = {"PATH": str(bin_dir), "PRESS_NO_INSTALL": "1", "HOME": str(tmp_path), "CI": ci}
        done = subprocess.run(
            [str(bin_dir / "bash"), "tests/run.sh"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 1, (ci, done.stdout, done.stderr)
        assert "chromium java node npm missing" in done.stderr, done.stderr
        assert "passed" not in done.stdout and "ruff" not in done.stdout + done.stderr


def test_a_missing_tool_fails_under_run_sh_or_ci_and_skips_only_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "export PRESS_REQUIRE_TOOLS=1" in (ROOT / "tests" / "run.sh").read_text(encoding="utf-8")
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("PRESS_REQUIRE_TOOLS", raising=False)
    with pytest.raises(pytest.skip.Exception):
        need(False, "outil absent")
    for variable in ("CI", "PRESS_REQUIRE_TOOLS"):
        with monkeypatch.context() as patch:
            patch.setenv(variable, "1")
            with pytest.raises(pytest.fail.Exception, match="outil absent"):
                need(False, "outil absent")
    need(True, "présent")


def test_golden_missing_fails_and_is_not_written(tmp_path: Path) -> None:
    golden = Golden(update=False, root=tmp_path)
    with pytest.raises(AssertionError, match="is missing"):
        golden.check("errors/new_case.txt", "sortie\n")
    assert not (tmp_path / "errors" / "new_case.txt").exists()


def test_golden_that_differs_fails_and_is_kept(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("attendu\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="differs"):
        Golden(update=False, root=tmp_path).check("a.txt", "autre\n")
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "attendu\n"
    Golden(update=False, root=tmp_path).check("a.txt", "attendu\n")


def test_only_the_flag_rewrites_goldens(tmp_path: Path) -> None:
    Golden(update=True, root=tmp_path).check("pages/x.md", "nouveau\n")
    assert (tmp_path / "pages" / "x.md").read_bytes() == b"nouveau\n"


def test_nothing_else_writes_under_tests_golden() -> None:
    """Golden.check is the one writer: no test module opens tests/golden/ for writing."""
    for module in sorted((ROOT / "tests").glob("*.py")):
        text = module.read_text(encoding="utf-8")
        if module.name in ("helpers.py", "test_suite.py"):
            continue
        for line in text.splitlines():
            if "GOLDEN" in line:
                assert not any(w in line for w in ("write_text", "write_bytes", "open(")), f"{module.name}: {line}"
