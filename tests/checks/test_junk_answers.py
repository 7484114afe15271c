"""Every public self-check rejects every junk answer with a "Not quite yet" hint, never a
traceback (a property of the checks as a whole, over the fixed menu in junk.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax.numpy as jnp
import pytest
from junk import JUNK

from helpers import checks

# How to hand a junk answer to each check (a check with one argument takes the answer).
SPECIAL: dict[str, Callable[[Any], checks.CheckResult]] = {
    "check_value": lambda junk: checks.check_value("x", junk, jnp.ones(3)),
    "check_function": lambda junk: checks.check_function("f", junk, jnp.sin, [(jnp.ones(3),)]),
    "check_and_gate": lambda junk: checks.check_and_gate(junk, junk),
    "check_multilabel_loss": lambda junk: checks.check_multilabel_loss(junk, junk),
}
ON_8_DEVICES = {
    "check_shard_batch",
    "check_data_parallel_grads",
}  # they need a mesh: on_8_devices.py
CHECKS = [name for name in checks.__all__ if name.startswith("check_")]
# Checks whose answer is a value: the rest take a function, and an unfinished one (its body
# still `...`, so it returns Ellipsis or None) is told to write the body, in every chapter.
TAKE_VALUES = {"check_value", "check_and_gate", "check_multilabel_loss", "check_weight_grads"}
UNFINISHED = {"function-returning-None", "function-returning-ellipsis"}


def test_every_public_check_is_on_the_menu():
    assert {"CheckResult", *CHECKS} == set(checks.__all__)
    assert set(SPECIAL) | ON_8_DEVICES | TAKE_VALUES <= set(CHECKS)


@pytest.mark.parametrize("junk", JUNK)
@pytest.mark.parametrize("check", CHECKS)
def test_junk_gets_a_hint(expect, request, check, junk):
    if check in ON_8_DEVICES:
        result = request.getfixturevalue("on_8_devices")[f"junk/{check}/{junk}"]
    else:
        feed = SPECIAL.get(check, getattr(checks, check))
        result = feed(JUNK[junk])
    unfinished = junk in UNFINISHED and check not in TAKE_VALUES
    expect(result, False, *(["write the body of the function first"] if unfinished else []))


def test_a_result_is_shown_wrapped_to_the_book_width_in_a_notebook():
    from IPython.lib.pretty import pretty

    from helpers.checks.core import failed

    result = failed("the answer " + "was wrong in a long way " * 8)
    shown = pretty(result)
    assert max(len(line) for line in shown.splitlines()) <= 79
    assert " ".join(shown.split()) == " ".join(result.message.split())
