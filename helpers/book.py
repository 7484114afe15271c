"""The book's authoring tools: what a chapter uses to keep its prose true to its outputs, and
its pages readable. Learners do not need them; chapters import them from here:

    from helpers.book import claim, expect_error, glue

What a chapter's prose says about its own results: asserted claims, and glued numbers.

A chapter that says "the better recipe passes 97.5%" follows the cell that trains it with::

    claim("the better recipe passes 97.5% test accuracy", accuracy >= 0.975, f"{accuracy:.2%}")

On success it prints the statement alone (so the printed line is the same on every machine); when
the claim does not hold, on this machine or a GPU or TPU, it raises :class:`ClaimFailed` with the
measured value, and the chapter (and the test suite) stops there instead of showing prose that no
longer matches its outputs. A number the prose quotes exactly is glued instead (:func:`glue`):
the book then takes it from the verified output, so it cannot drift from it.

Code that is meant to fail runs inside :func:`expect_error`, which prints the error's type and
message as a learner needs them, the same on every machine (a traceback shows its file paths).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib as mpl
import numpy as np

from .plotting import STYLE

# The width of the book's code column at 1280 px (chapters/ruff.toml); printed lines stay within it.
LINE_WIDTH = 79


class ClaimFailed(AssertionError):
    """A result that the chapter's text relies on did not come out as stated."""


def claim(statement: str, holds, measured: str = "") -> None:
    """Print ``✓ statement`` when ``holds`` is true; raise :class:`ClaimFailed` otherwise.

    ``holds`` is a bool or a scalar boolean array (``bool()`` is taken, so a traced value
    cannot be used: call it outside ``jit``); ``measured`` says what was found, for the error.
    """
    if not isinstance(statement, str) or not statement:
        raise TypeError(f"claim() needs the statement as a non-empty string, got {statement!r}")
    if not _is_truth_value(holds):
        raise TypeError(
            "claim() needs True or False as its second argument (a comparison, such as "
            f"accuracy >= 0.97), got {type(holds).__name__} {holds!r}: a number or a string "
            "would count as true."
        )
    if not bool(holds):
        found = f" Measured here: {measured}." if measured else ""
        raise ClaimFailed(
            f"The text says that {statement}, but this run disagrees.{found} "
            "If you changed the code above, that is expected; otherwise please "
            "report it with your JAX version and devices (first cell)."
        )
    print(f"✓ {statement}")


def _is_truth_value(holds) -> bool:
    """A bool, NumPy bool or scalar boolean array (what a comparison returns)."""
    if isinstance(holds, (bool, np.bool_)):
        return True
    return getattr(holds, "shape", None) == () and getattr(holds, "dtype", None) == np.bool_


# The file a notebook kernel compiles a cell into: its name differs on every run and machine.
KERNEL_FILE = re.compile(r"\S*ipykernel_\d+[/\\]\d+\.py")


def wrap(text: str, width: int = LINE_WIDTH) -> str:
    """``text`` with every line wrapped to ``width`` columns, continuation lines indented.

    Words and links are not split: one longer than the width gets a line of its own, unindented.
    """
    lines = []
    for line in text.splitlines():
        wrapped = textwrap.wrap(
            line, width, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False
        )
        lines += [w.lstrip() if len(w) > width else w for w in wrapped] or [""]
    return "\n".join(lines)


@contextmanager
def expect_error(
    expected: type[BaseException] | tuple[type[BaseException], ...] = Exception,
) -> Iterator[None]:
    """Run a block that is meant to raise ``expected``; print ``ErrorType: message``.

    The message is wrapped to the book's width and no traceback is shown. If the block raises
    nothing, :class:`ClaimFailed` says so; any other error propagates unchanged.
    """
    names = " or ".join(
        e.__name__ for e in (expected if isinstance(expected, tuple) else (expected,))
    )
    try:
        yield
    except expected as error:
        message = KERNEL_FILE.sub("<cell>", str(error))  # the same on every machine
        print(wrap(f"{type(error).__name__}: {message}"))
    else:
        raise ClaimFailed(f"The code was meant to raise {names}, but it ran without an error.")


class _Text(str):
    """Text whose repr is itself, so the book shows 94.9%, not '94.9%'."""

    def __repr__(self) -> str:
        return str(self)


def glue(name: str, value, spec: str = "") -> None:
    """Record ``format(value, spec)`` for the book's text, shown there with ``{glue:text}`name```.

    The number is formatted here, as the cell prints it (``glue("accuracy", 0.9813, ".1%")``
    records ``98.1%``), so the test suite compares it like any printed number. It is myst-nb's
    ``glue`` (hidden output the book reads at build time); where myst-nb is not installed, e.g. on
    Colab, it does nothing, since only the book reads it.
    """
    try:
        from myst_nb import glue as myst_glue
    except ImportError:
        return
    myst_glue(name, _Text(format(value, spec)), display=False)


def use_course_style() -> None:
    """Apply the course's figure style (:data:`helpers.plotting.STYLE`) to matplotlib:
    ``import helpers`` does this, so every figure fits the book's column."""
    mpl.rcParams.update(STYLE)
