"""What every self-check shares: the result it returns, the guards against unfinished or
crashing answers, and :func:`check_value` / :func:`check_function`.

A check never prints and never raises: it returns a :class:`CheckResult`, which Jupyter shows
as its one-line message (the last line of a cell) and which is truthy when the answer is right.
Inside a check, the first thing wrong with an answer is raised as a :class:`Problem` and
turned into a "Not quite yet" result by the :func:`check` decorator.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import jax

from ..book import wrap
from .compare import compare
from .describe import describe, fmt, unshown

PASS, FAIL = "Correct: ", "Not quite yet: "
Fn = Callable[..., Any]
Cases = Sequence[tuple]
# The hint for an answer that uses an array's value in Python (ch6 soft threshold, ch8 step decay).
VALUE_IN_PYTHON_HINT = (
    "it uses an array's value in Python (an `if`, `and`/`or`, `bool(...)`, `float(...)`), which "
    "does not work under jax.jit nor on an array of several values: use jnp.where instead"
)


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


def require_callable(fn: Any, name: str) -> None:
    if not callable(fn):
        raise Problem(f"{name} should be a function, got {describe(fn)}")


def require_answer(value: Any, name: str, how: str = "replace the `...` with your answer") -> None:
    """Stop at a value still left as the starter's ``...`` (or ``None``)."""
    if value is None or value is Ellipsis:
        raise Problem(f"{name} is still {value!r}: {how}")


def uses_value_in_python(exc: BaseException) -> bool:
    """Whether ``exc`` comes from a Python ``if`` (or ``bool``) on an array or a traced value."""
    return (
        isinstance(exc, jax.errors.ConcretizationTypeError)
        or isinstance(exc, ValueError)
        and "truth value of an array" in str(exc)
    )


# The hint for an answer that uses a traced argument as a Python int (range(n), a shape).
INT_IN_PYTHON_HINT = (
    "an argument used as a Python integer (in range(), a shape, an index) is traced under "
    "jax.jit: mark it static (jax.jit(f, static_argnums=...)) or read it from an array's shape"
)
# The hint for an answer written with NumPy where JAX traces it (jit, grad, vmap).
NUMPY_HINT = (
    "it calls NumPy on a value JAX is tracing: NumPy needs concrete numbers, so write it with "
    "jax.numpy (jnp) instead of numpy (np)"
)


def raised(call: str, exc: BaseException) -> str:
    """The message for an answer that raised ``exc``: its error as a hint."""
    shape_from_tracer = isinstance(exc, TypeError) and "Shapes must be" in str(exc)
    if isinstance(exc, jax.errors.TracerIntegerConversionError) or shape_from_tracer:
        return f"{call} raised {type(exc).__name__}: {INT_IN_PYTHON_HINT}"
    if isinstance(exc, jax.errors.TracerArrayConversionError):
        return f"{call} raised {type(exc).__name__}: {NUMPY_HINT}"
    if uses_value_in_python(exc):
        return f"{call} raised {type(exc).__name__}: {VALUE_IN_PYTHON_HINT}"
    return f"{call} raised {type(exc).__name__}: {first_line(exc)}"


def call_answer(call: str, fn: Callable, args: tuple) -> Any:
    """``fn(*args)``, or a :class:`Problem` if it raises or is still unfinished.

    ``call`` is how the call is shown in messages, e.g. ``"relu([-1.  2.])"``.
    """
    try:
        result = fn(*unshown(args))
    except Problem:
        raise
    except Exception as exc:  # the learner's error, shown as a hint
        raise Problem(raised(call, exc)) from None
    if result is None or result is Ellipsis:
        raise Problem(
            f"{call} returned {result!r}: write the body of the function first, in place "
            "of the `...` under `# your code here`, and end it with `return`"
        )
    return result


def expect_close(
    call: str, got: Any, expected: Any, atol: float, rtol: float, **options: Any
) -> None:
    """A :class:`Problem` naming ``call`` if ``got`` does not match ``expected`` (``options``:
    those of :func:`compare`)."""
    problem = compare(got, expected, atol, rtol, **options)
    if problem:
        raise Problem(f"{call}: {problem}")


def shown_call(name: str, args: tuple) -> str:
    return f"{name}({', '.join(fmt(a) for a in args)})"


def run_cases(
    name: str,
    fn: Any,
    reference: Fn,
    cases: Cases,
    atol: float = 1e-5,
    rtol: float = 1e-5,
    *,
    prepare: Callable[[Any, str], Any] | None = None,
    hint: Callable[[Any, Any], str | None] | None = None,
    names: tuple[str, ...] | None = None,
) -> None:
    """Compare ``fn(*args)`` with ``reference(*args)`` for each ``args`` in ``cases``; a
    :class:`Problem` at the first difference. ``prepare(result, call)`` may convert a result
    (or raise a :class:`Problem`) before the comparison; ``hint(result, expected)`` may
    explain a wrong result better than the comparison can."""
    require_callable(fn, name)
    for args in cases:
        call = shown_call(name, args)
        expected = reference(*unshown(args))
        got = call_answer(call, fn, args)
        if prepare is not None:
            got = prepare(got, call)
        explained = hint(got, expected) if hint is not None else None
        if explained:
            raise Problem(f"{call}: {explained}")
        expect_close(call, got, expected, atol, rtol, names=names)


@check
def check_value(
    name: str, got: Any, expected: Any, atol: float = 1e-5, rtol: float = 1e-5
) -> CheckResult:
    """Compare a computed value (array, number or pytree) with the expected one."""
    require_answer(got, name)
    expect_close(name, got, expected, atol, rtol, returned=False)
    return passed(f"{name} is right.")


@check
def check_function(
    name: str, fn: Fn, reference: Fn, cases: Cases, atol: float = 1e-5, rtol: float = 1e-5
) -> CheckResult:
    """Call ``fn(*args)`` and ``reference(*args)`` for each ``args`` in ``cases`` and report
    the first input where they differ."""
    run_cases(name, fn, reference, cases, atol, rtol)
    return passed(f"{name} matches the reference on all {len(cases)} test inputs.")
