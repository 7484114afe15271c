"""How a check calls a learner's answer and compares what comes back: the guards against
unfinished or crashing answers (each error turned into a hint), :func:`run_cases`, and the two
generic checks :func:`check_value` and :func:`check_function`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import jax

from .compare import compare
from .core import CheckResult, Problem, check, first_line, passed
from .describe import describe, fmt, unshown

Fn = Callable[..., Any]
Cases = Sequence[tuple]
# The hint for an answer that uses an array's value in Python (ch6 soft threshold, ch8 step decay).
VALUE_IN_PYTHON_HINT = (
    "it uses an array's value in Python (an `if`, `and`/`or`, `bool(...)`, `float(...)`), which "
    "does not work under jax.jit nor on an array of several values: use jnp.where instead"
)


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


def _traced_integer(exc: BaseException) -> bool:
    """Whether ``exc`` comes from a traced integer argument used where Python needs an int:
    a shape, a slice bound, ``range``, ``scan``'s ``length``."""
    text = str(exc)
    if isinstance(exc, jax.errors.TracerIntegerConversionError):
        return True
    if isinstance(exc, TypeError) and "Shapes must be" in text:
        return True
    if isinstance(exc, IndexError) and "static start/stop/step" in text:
        return True
    return isinstance(exc, jax.errors.ConcretizationTypeError) and (
        "concrete `int`" in text or any(f"shape {t}[]" in text for t in ("int32", "int64"))
    )


def raised(call: str, exc: BaseException) -> str:
    """The message for an answer that raised ``exc``: its error as a hint."""
    if _traced_integer(exc):
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
    if (
        not isinstance(cases, (list, tuple))
        or not cases
        or not all(isinstance(args, tuple) for args in cases)
    ):
        raise Problem(
            f"check_function's cases should be a non-empty list of argument tuples, such as "
            f"[(x1,), (x2,)] for a function of one argument; got {describe(cases)}"
        )
    run_cases(name, fn, reference, cases, atol, rtol)
    return passed(f"{name} matches the reference on all {len(cases)} test inputs.")
