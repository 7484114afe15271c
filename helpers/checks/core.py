"""What every self-check is: the result it returns and the :func:`check` decorator.

A check never prints and never raises: it returns a :class:`CheckResult`, which Jupyter shows
as its one-line message (the last line of a cell) and which is truthy when the answer is right.
Inside a check, the first thing wrong with an answer is raised as a :class:`Problem` and
turned into a "Not quite yet" result by the :func:`check` decorator.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..book import wrap

PASS, FAIL = "Correct: ", "Not quite yet: "


@dataclass(frozen=True)
class CheckResult:
    """What a check returns: truthy when the answer is right, shown as its one-line message."""

    passed: bool
    message: str

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        return self.message

    __str__ = __repr__

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        """How a notebook shows it: wrapped to the book's width, so no line hides off-screen."""
        printer.text(wrap(self.message))


class Problem(Exception):
    """The first thing wrong with an answer, in words for the learner."""


def passed(text: str) -> CheckResult:
    return CheckResult(True, PASS + text)


def failed(text: str) -> CheckResult:
    return CheckResult(False, FAIL + (text if text.endswith((".", "?")) else text + "."))


def first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else ""


def check(body: Callable[..., CheckResult]) -> Callable[..., CheckResult]:
    """Make ``body`` a check: a :class:`Problem` becomes a "Not quite yet" result, and so does
    any other error, so that a learner never gets a traceback from inside a check."""

    signature = inspect.signature(body)
    usage = f"{body.__name__}({', '.join(signature.parameters)})"

    @functools.wraps(body)
    def run(*args: Any, **kwargs: Any) -> CheckResult:
        try:
            signature.bind(*args, **kwargs)
        except TypeError as exc:  # the check itself called wrongly, not a wrong answer
            return failed(
                f"{body.__name__} is called as {usage}: {exc}; call it as the exercise's "
                "check cell does"
            )
        try:
            return body(*args, **kwargs)
        except Problem as problem:
            return failed(str(problem))
        except Exception as exc:  # an answer the check did not foresee: still a hint
            return failed(
                f"the check could not read this answer ({type(exc).__name__}: "
                f"{first_line(exc)}); look at what your code returns"
            )

    return run
