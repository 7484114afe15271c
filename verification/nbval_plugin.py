"""nbval extension, loaded by every pytest run (pyproject.toml): the run configuration, and the
numbers of chaotic cells compared within a stated tolerance.

Loading it sets the environment every kernel inherits (verification.settings: the CPU backend
and the rounding variant), so `pytest chapters/NN.ipynb` checks what the test command checks.

Long float32 training runs do not reproduce digit for digit on another CPU (XLA's
kernels round differently), so a cell that prints their results carries its
tolerance in its metadata, written in the chapter's source:

    "nbval-tolerance": {"percent_points": 0.3, "relative": 0.03, "count": 3}

Every other cell is compared exactly by nbval, as before. In a cell with a
tolerance, the text around the numbers must still match exactly (runs of spaces
may differ: column padding follows the width of the numbers), and the numbers
must match pairwise by kind:

- ``98.13%``: a percentage, within ``percent_points`` percentage points;
- ``0.0588``, ``1.2e-05``: a decimal, within ``relative`` of the stored value, or
  one unit in its last printed digit (a rounding boundary);
- ``194``: an integer (a count), within ``count``.

A kind the cell does not name must match exactly.

A cell whose text depends on the JAX version (an error message JAX words differently, the
version line of the setup cell) says so, with its reason, in its metadata:

    "nbval-version-dependent": "it prints the JAX version"

With the pinned jax (requirements.txt) it is compared like any other cell; with another jax
(Colab's, scripts/colab_compat.sh) its text is not compared, but it must still run without an
error and print no failed self-check. The measured spreads these
tolerances come from are recorded in CONTRIBUTING.md (``scripts/measure_spread.py``).

How: before nbval compares a cell, each fresh output that agrees with the stored
one within tolerance is replaced by the stored text; numbers outside tolerance are
left as they are, so nbval's own diff shows exactly those.
"""

from __future__ import annotations

import importlib.util
import os
import re
from dataclasses import dataclass

from verification import settings

settings.configure_environment()  # before any kernel starts, and before jax is imported

METADATA_KEY = "nbval-tolerance"
VERSION_KEY = "nbval-version-dependent"
FAILED_CHECK = "Not quite yet"  # a self-check's verdict on a wrong answer (helpers.checks)
KINDS = ("percent_points", "relative", "count")

NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?%?")
SPACES = re.compile(r"[ \t]+")


@dataclass(frozen=True)
class Tolerance:
    percent_points: float = 0.0
    relative: float = 0.0
    count: float = 0.0

    @classmethod
    def from_metadata(cls, metadata) -> Tolerance | None:
        """The cell's tolerance, or None for a cell compared exactly."""
        spec = metadata.get(METADATA_KEY)
        if spec is None:
            return None
        unknown = set(spec) - set(KINDS)
        if unknown or not spec:
            raise ValueError(f"{METADATA_KEY} must name some of {KINDS}, got {dict(spec)}")
        for kind, value in spec.items():
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{METADATA_KEY}.{kind} must be a number >= 0, got {value!r}")
        return cls(**spec)

    def accepts(self, stored: str, fresh: str) -> bool:
        """Whether two printed numbers agree within this tolerance."""
        if stored.endswith("%") != fresh.endswith("%"):
            return False
        if stored.endswith("%"):
            return abs(float(stored[:-1]) - float(fresh[:-1])) <= self.percent_points + 1e-9
        a, b = float(stored), float(fresh)
        if is_integer(stored) and is_integer(fresh):
            return abs(a - b) <= self.count
        last_digit = max(last_digit_unit(stored), last_digit_unit(fresh))
        return abs(a - b) <= max(self.relative * abs(a), last_digit) * (1 + 1e-9)


def is_integer(token: str) -> bool:
    return not any(c in token for c in ".eE")


def last_digit_unit(token: str) -> float:
    """The value of one unit in the last printed digit: 0.0001 for '0.0588', 1e-06 for '1.2e-05'."""
    mantissa, _, exponent = token.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 10.0 ** (int(exponent or 0) - decimals)


def reconcile(stored: str, fresh: str, tolerance: Tolerance) -> str:
    """The stored text if `fresh` matches it within tolerance; else `fresh` with every
    number that is within tolerance replaced by the stored one (so a diff shows the rest)."""
    stored_numbers, fresh_numbers = NUMBER.findall(stored), NUMBER.findall(fresh)
    if len(stored_numbers) != len(fresh_numbers) or skeleton(stored) != skeleton(fresh):
        return fresh  # the text itself differs: leave it to nbval's exact comparison
    accepted = [tolerance.accepts(s, f) for s, f in zip(stored_numbers, fresh_numbers)]
    if all(accepted):
        return stored
    replacements = iter(s if ok else f for s, f, ok in zip(stored_numbers, fresh_numbers, accepted))
    return NUMBER.sub(lambda _: next(replacements), fresh)


def skeleton(text: str) -> str:
    """The text with each number replaced by '#' and runs of spaces made one."""
    return SPACES.sub(" ", NUMBER.sub("#", text))


def reconcile_outputs(fresh_outputs, stored_outputs, tolerance: Tolerance, sanitize):
    """Apply `reconcile` to every string of each fresh output and its stored counterpart
    (same position, same output type), after nbval's sanitizing (timings masked)."""
    for fresh, stored in zip(fresh_outputs, stored_outputs):
        if fresh.get("output_type") != stored.get("output_type"):
            continue
        if "text" in fresh and "text" in stored and fresh.get("name") == stored.get("name"):
            fresh["text"] = reconcile(sanitize(stored["text"]), sanitize(fresh["text"]), tolerance)
        for mime, value in fresh.get("data", {}).items():
            stored_value = stored.get("data", {}).get(mime)
            if isinstance(value, str) and isinstance(stored_value, str):
                fresh["data"][mime] = reconcile(sanitize(stored_value), sanitize(value), tolerance)
    return fresh_outputs


def pytest_configure(config):
    """Wrap nbval's output comparison once (nbval is loaded through the --nbval option)."""
    from nbval.plugin import IPyNbCell

    if getattr(IPyNbCell.compare_outputs, "with_tolerance", False):
        return
    exact_compare = IPyNbCell.compare_outputs
    pinned = settings.in_pinned_jax()
    glue_recorded = importlib.util.find_spec("myst_nb") is not None

    def compare_outputs(self, test, ref, skip_compare=None):
        if not glue_recorded:
            ref = without_glue_records(ref)
        if not compared_here(self.cell.metadata, pinned):
            failed = failed_checks(test)
            self.comparison_traceback = [f"a failed self-check ({VERSION_KEY} cell):", *failed]
            return not failed
        tolerance = Tolerance.from_metadata(self.cell.metadata)
        if tolerance is not None:
            test = reconcile_outputs(test, ref, tolerance, self.sanitize)
        ok = exact_compare(self, test, ref, skip_compare)
        if not ok and tolerance is not None:
            self.comparison_traceback.append(
                f"(numbers compared with this cell's {METADATA_KEY}: {tolerance})"
            )
        return ok

    compare_outputs.with_tolerance = True
    IPyNbCell.compare_outputs = compare_outputs


GLUE_RECORD = "application/papermill.record/"


def without_glue_records(outputs) -> list:
    """The outputs less myst-nb's glue records: hidden outputs that only the book reads, which
    helpers.book.glue writes only where myst-nb is installed (not on Colab)."""
    return [
        output
        for output in outputs
        if not (data := output.get("data", {})) or not all(k.startswith(GLUE_RECORD) for k in data)
    ]


def compared_here(metadata, pinned: bool) -> bool:
    """Whether a cell's text is compared: always with the pinned jax; elsewhere, unless the
    cell says its text depends on the JAX version."""
    return pinned or not metadata.get(VERSION_KEY)


def failed_checks(outputs) -> list[str]:
    """The outputs that hold a self-check's 'Not quite yet' verdict."""
    return [text for text in output_texts(outputs) if FAILED_CHECK in text]


def output_texts(outputs) -> list[str]:
    """Every text an output list holds (streams and text/plain)."""
    texts = [output.get("text", "") for output in outputs]
    texts += [output.get("data", {}).get("text/plain", "") for output in outputs]
    return [text if isinstance(text, str) else "".join(text) for text in texts if text]


def pytest_report_header(config):
    """Say how the notebooks are checked: the rounding variant and whether jax is the pinned one."""
    jax = "pinned" if settings.in_pinned_jax() else "NOT pinned: version-dependent cells unchecked"
    return [
        f"notebooks: JAX_PLATFORMS={os.environ.get('JAX_PLATFORMS')}, "
        f"XLA_FLAGS={os.environ.get('XLA_FLAGS') or '(none)'}",
        f"jax {settings.pins()['jax']} in requirements.txt; this environment's jax is {jax}",
    ]
