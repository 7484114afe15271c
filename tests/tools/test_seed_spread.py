"""scripts/seed_spread.py refuses, in one line and before running any kernel, a --grep that is
no regular expression and a --python that cannot run."""

from __future__ import annotations

import pytest

from scripts import seed_spread


def test_a_grep_that_is_no_regular_expression(capsys):
    with pytest.raises(SystemExit) as exit_:
        seed_spread.main(["11_cnn", "--grep", "("])
    assert exit_.value.code == 2
    said = capsys.readouterr().err.splitlines()[-1]
    assert said.endswith(
        "error: --grep '(' is not a regular expression (missing ), "
        "unterminated subpattern at position 0); escape special characters "
        "with a backslash, e.g. --grep 'accuracy \\('"
    )


def test_an_interpreter_that_cannot_run_is_named(tmp_path):
    missing = tmp_path / "python"
    with pytest.raises(SystemExit) as exit_:
        seed_spread.main(["11_cnn", "--python", str(missing)])
    assert str(exit_.value).startswith(f"--python {missing}: cannot run it (")
    assert "give the path of a Python interpreter" in str(exit_.value)
