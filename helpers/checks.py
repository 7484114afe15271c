"""Self-checks a learner calls on their own answer to an exercise.

Each check prints one short line and returns ``True`` when the answer is
right. When it is wrong it prints what was tried, what was expected and what
came back, and returns ``False``: a hint, not a traceback.

Chapter-specific checks (``check_<what>``) are built on :func:`check_function`
and :func:`check_value` below.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import jax
import numpy as np


def _fmt(value) -> str:
    """Short, rounded text for a value (array, pytree leaf or number)."""
    with np.printoptions(precision=4, suppress=True, threshold=20):
        if isinstance(value, (list, tuple)):
            inner = ", ".join(_fmt(v) for v in value)
            return f"[{inner}]" if isinstance(value, list) else f"({inner}{',' if len(value) == 1 else ''})"
        try:
            array = np.asarray(value)
        except Exception:
            return repr(value)
        if array.dtype == object:
            return repr(value)
        return np.array2string(array) if array.ndim else f"{array.item():.6g}" if array.dtype.kind == "f" else repr(array.item())


def _passed(message: str) -> bool:
    print(f"Correct: {message}")
    return True


def _failed(message: str) -> bool:
    print(f"Not quite yet: {message}")
    return False


def _compare(got, expected, atol: float, rtol: float) -> str | None:
    """``None`` if the pytrees ``got`` and ``expected`` agree, else why not."""
    if got is None or got is Ellipsis:
        return (f"the answer returned {got!r}: replace the `...` under `# your code here` "
                "with your code and make sure it ends with `return`")
    got_leaves, got_tree = jax.tree_util.tree_flatten(got)
    exp_leaves, exp_tree = jax.tree_util.tree_flatten(expected)
    if got_tree != exp_tree:
        return f"the structure differs: expected {exp_tree}, got {got_tree}"
    for g, e in zip(got_leaves, exp_leaves):
        g, e = np.asarray(g), np.asarray(e)
        if g.shape != e.shape:
            return f"the shape differs: expected {e.shape}, got {g.shape}"
        if not np.allclose(g, e, atol=atol, rtol=rtol, equal_nan=True):
            return f"expected {_fmt(e)}, got {_fmt(g)}"
    return None


def check_value(name: str, got, expected, atol: float = 1e-5, rtol: float = 1e-5) -> bool:
    """Compare a computed value (array, number or pytree) with the expected one."""
    problem = _compare(got, expected, atol, rtol)
    if problem is None:
        return _passed(f"{name} is right.")
    return _failed(f"{name}: {problem}.")


def check_function(name: str, fn: Callable, reference: Callable, cases: Sequence[tuple],
                   atol: float = 1e-5, rtol: float = 1e-5) -> bool:
    """Call ``fn(*args)`` and ``reference(*args)`` for each ``args`` in ``cases``
    and report the first input where they differ."""
    if not callable(fn):
        return _failed(f"{name} should be a function, got {type(fn).__name__}.")
    for args in cases:
        shown = ", ".join(_fmt(a) for a in args)
        expected = reference(*args)
        try:
            got = fn(*args)
        except Exception as exc:  # show the learner's error as a hint
            return _failed(f"{name}({shown}) raised {type(exc).__name__}: {exc}")
        problem = _compare(got, expected, atol, rtol)
        if problem is not None:
            return _failed(f"{name}({shown}): {problem}.")
    return _passed(f"{name} matches the reference on all {len(cases)} test inputs.")


# ---------------------------------------------------------------------------
# Chapter checks. Each one names the exercise it belongs to.
# ---------------------------------------------------------------------------

# Chapter 01: the XOR problem ------------------------------------------------

_XOR_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
_XOR_SHOWN = "the inputs (0,0), (0,1), (1,0), (1,1)"


def check_and_gate(w, b) -> bool:
    """Exercise ex-01-and-gate: ``w`` of shape ``(2,)`` and a number ``b`` such that the
    linear classifier ``X @ w + b > 0`` computes AND on the four XOR inputs."""
    try:
        w_array = np.asarray(w, dtype=np.float32)
        b_array = np.asarray(b, dtype=np.float32)
    except (TypeError, ValueError):
        return _failed(f"w and b should be numbers, got w={w!r} and b={b!r}.")
    if w_array.shape != (2,):
        return _failed(f"w should have shape (2,), one weight per input; got shape {w_array.shape}.")
    if b_array.size != 1:
        return _failed(f"b should be a single number; got shape {b_array.shape}.")
    got = (_XOR_INPUTS @ w_array + b_array.reshape(()) > 0).astype(np.float32)
    expected = np.array([0, 0, 0, 1], dtype=np.float32)
    return check_value(f"the AND gate (X @ w + b > 0) on {_XOR_SHOWN}", got, expected)


def check_xor_network(forward: Callable) -> bool:
    """Exercise ex-01-xor-network: ``forward(X)`` maps the four inputs ``X (4, 2)`` to
    exactly ``[0, 1, 1, 0]`` (shape ``(4,)`` or ``(4, 1)``, to within 1e-4)."""
    if not callable(forward):
        return _failed(f"xor_network should be a function, got {type(forward).__name__}.")
    try:
        result = forward(jax.numpy.asarray(_XOR_INPUTS))
    except Exception as exc:  # show the learner's error as a hint
        return _failed(f"xor_network(X) raised {type(exc).__name__}: {exc}")
    if result is None or result is Ellipsis:
        return _failed(f"xor_network(X) returned {result!r}: does it end with a `return`?")
    got = np.asarray(result, dtype=np.float32)
    if got.shape in ((4, 1), (1, 4)):
        got = got.reshape(4)
    expected = np.array([0, 1, 1, 0], dtype=np.float32)
    return check_value(f"xor_network(X) on {_XOR_SHOWN}", got, expected, atol=1e-4, rtol=0.0)


# Chapter 02: the forward pass -----------------------------------------------

_ACTIVATION_CASES = [
    (jax.numpy.array([-3.0, -0.5, 0.0, 0.5, 3.0]),),
    (jax.numpy.array([[-1.0, 2.0], [4.0, -0.25]]),),
    (jax.numpy.array([-100.0, 100.0]),),
]


def check_relu(relu: Callable) -> bool:
    """Exercise ex-02-activations: ``relu(z)`` is ``max(z, 0)`` elementwise, any shape."""
    return check_function("relu", relu, jax.nn.relu, _ACTIVATION_CASES)


def check_sigmoid(sigmoid: Callable) -> bool:
    """Exercise ex-02-activations: ``sigmoid(z)`` is ``1 / (1 + exp(-z))`` elementwise,
    any shape, and finite for inputs like -100 and 100."""
    return check_function("sigmoid", sigmoid, jax.nn.sigmoid, _ACTIVATION_CASES)


def check_forward(forward: Callable) -> bool:
    """Exercise ex-02-forward: ``forward(params, x)`` equals ``helpers.mlp_forward`` (ReLU
    hidden layers, linear output) for networks of any depth, on one example and on a batch."""
    from .model import init_mlp, mlp_forward  # local: checks must not import chapters' code

    if not callable(forward):
        return _failed(f"forward should be a function, got {type(forward).__name__}.")
    key = jax.random.key(2)
    k_small, k_deep, k_x, k_bias = jax.random.split(key, 4)
    small = init_mlp(k_small, [2, 16, 1], scale=1.0)
    deep = init_mlp(k_deep, [3, 4, 5, 2])
    # Non-zero biases, so that a forgotten bias shows.
    deep = [(W, 0.5 * jax.random.normal(k, b.shape)) for (W, b), k
            in zip(deep, jax.random.split(k_bias, len(deep)))]
    X_small = jax.numpy.asarray(_XOR_INPUTS)
    X_deep = jax.random.normal(k_x, (5, 3))
    cases = [
        ("a 2-16-1 network on one example x = [0. 1.]", small, X_small[1]),
        ("a 2-16-1 network on the batch of four XOR inputs", small, X_small),
        ("a 3-4-5-2 network (three layers, non-zero biases) on a batch of 5", deep, X_deep),
    ]
    for description, params, x in cases:
        expected = mlp_forward(params, x)
        try:
            got = forward(params, x)
        except Exception as exc:  # show the learner's error as a hint
            return _failed(f"forward on {description} raised {type(exc).__name__}: {exc}")
        problem = _compare(got, expected, atol=1e-5, rtol=1e-5)
        if problem is not None:
            return _failed(f"forward on {description}: {problem}.")
    return _passed(f"forward matches helpers.mlp_forward on all {len(cases)} test networks.")


# ---------------------------------------------------------------------------
# Chapter 03: losses
# ---------------------------------------------------------------------------
def _unfinished(fn: Callable) -> Callable:
    """Wrap ``fn`` so that an unfinished answer (returning ``...`` or ``None``) reads as a hint."""
    if not callable(fn):
        return fn

    def wrapped(*args):
        result = fn(*args)
        if result is None or result is Ellipsis:
            raise NotImplementedError(f"it returned {result!r}; write the body of the function first")
        return result

    return wrapped


def check_bce_with_logits(fn: Callable) -> bool:
    """Exercise ex-03-stable-bce: ``fn(logits, targets)`` returns the mean binary
    cross entropy from logits, finite and right even for logits of +-100 and +-1000."""
    import jax.numpy as jnp

    from .losses import binary_cross_entropy_with_logits

    def f32(values):
        return jnp.asarray(values, dtype=jnp.float32)

    cases = [
        (f32([2.0, -1.0]), f32([1.0, 0.0])),
        (f32([0.5, -0.3, 1.7, -2.2]), f32([0.0, 1.0, 1.0, 0.0])),
        (f32([100.0, -100.0, 100.0, -100.0]), f32([1.0, 0.0, 0.0, 1.0])),
        (f32([1000.0, -1000.0]), f32([0.0, 0.0])),
    ]
    return check_function("bce_from_logits", _unfinished(fn), binary_cross_entropy_with_logits, cases,
                          atol=1e-4, rtol=1e-5)


def check_log_softmax(fn: Callable) -> bool:
    """Exercise ex-03-log-softmax: ``fn(x)`` returns log softmax over the last axis,
    for one vector or a batch of rows, without overflow for inputs in the thousands."""
    import jax.numpy as jnp

    cases = [
        (jnp.array([1.0, 2.0, 3.0]),),
        (jnp.array([1000.0, 2000.0, 3000.0]),),
        (jnp.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, 1000.0], [-5.0, 0.0, 5.0]]),),
    ]
    return check_function("log_softmax", _unfinished(fn), lambda x: jax.nn.log_softmax(x, axis=-1), cases,
                          atol=1e-4, rtol=1e-5)


# ---------------------------------------------------------------------------
# Chapter 04: gradients
# ---------------------------------------------------------------------------
def check_weight_grads(grads) -> bool:
    """Exercise ex-04-argnums: ``grads`` is the gradient of ``loss_xyp(x, y, params)``
    with respect to ``params`` (``init_mlp(jax.random.key(0), [2, 16, 1])``, XOR data)."""
    from .data import xor_data
    from .losses import binary_cross_entropy_with_logits
    from .model import init_mlp, mlp_forward

    def loss_xyp(x, y, params):
        return binary_cross_entropy_with_logits(mlp_forward(params, x)[:, 0], y)

    if grads is None or grads is Ellipsis:
        return _failed(f"grads is still {grads!r}: compute it with jax.grad first.")
    params = init_mlp(jax.random.key(0), [2, 16, 1])
    X, y = xor_data()
    expected = jax.grad(loss_xyp, argnums=2)(X, y, params)
    ok = check_value("grads", grads, expected)
    if not ok and isinstance(grads, (jax.Array, np.ndarray)) and grads.shape in (X.shape, y.shape):
        print("Hint: this has the shape of an input, so it is a gradient with respect to x or y. "
              "Which argument does argnums pick?")
    return ok


class _Named:
    """A function that shows a readable formula in check messages."""

    def __init__(self, formula: str, fn: Callable):
        self.formula, self.fn = formula, fn

    def __call__(self, *args):
        return self.fn(*args)

    def __repr__(self) -> str:
        return self.formula


def _central_difference(f: Callable, x, eps: float):
    import jax.numpy as jnp

    grads = []
    for i in range(x.shape[0]):
        step = jnp.zeros_like(x).at[i].set(eps)
        grads.append((f(x + step) - f(x - step)) / (2 * eps))
    return jnp.stack(grads)


def check_central_difference(fn: Callable) -> bool:
    """Exercise ex-04-central-difference: ``fn(f, x, eps)`` returns the central-difference
    gradient of a scalar function ``f`` at a 1-D float32 array ``x``, one entry per element.

    A large ``eps = 0.1`` is used on purpose: it makes the central formula's answer differ
    visibly from the exact gradient and from a one-sided difference.
    """
    import jax.numpy as jnp

    functions = [
        _Named("f(x) = sum(x**2)", lambda x: jnp.sum(x ** 2)),
        _Named("f(x) = sum(sin(x))", lambda x: jnp.sum(jnp.sin(x))),
        _Named("f(x) = x[0]**3 * x[1]", lambda x: x[0] ** 3 * x[1]),
    ]
    xs = [jnp.array([1.0, -2.0, 3.0]), jnp.array([0.5, 1.0, 2.0, -1.5]), jnp.array([2.0, 0.5])]
    cases = [(f, x, 0.1) for f, x in zip(functions, xs)]
    return check_function("central_difference", _unfinished(fn), _central_difference, cases,
                          atol=1e-4, rtol=1e-4)


# Chapter 05: training ----------------------------------------------------------

def _sgd_reference(params, grads, lr):
    return jax.tree_util.tree_map(lambda p, g: p - lr * g, params, grads)


def check_sgd_update(fn: Callable) -> bool:
    """Exercise ex-05-sgd-update: ``fn(params, grads, lr)`` returns ``p - lr * g`` for every
    leaf of any pytree, keeping its structure (a list of ``(W, b)`` tuples, a dictionary, ...)."""
    import jax.numpy as jnp

    mlp = [(jnp.array([[1.0, -2.0], [0.5, 3.0]]), jnp.array([0.1, -0.1])),
           (jnp.array([[2.0], [-1.0]]), jnp.array([0.5]))]
    mlp_grads = [(jnp.array([[0.5, 1.0], [-1.0, 2.0]]), jnp.array([1.0, -2.0])),
                 (jnp.array([[-3.0], [0.25]]), jnp.array([4.0]))]
    nested = {"scale": jnp.array(2.0), "layer": {"w": jnp.array([1.0, 2.0, 3.0])}}
    nested_grads = {"scale": jnp.array(-1.0), "layer": {"w": jnp.array([0.5, -0.5, 1.0])}}
    cases = [(mlp, mlp_grads, 0.1), (mlp, mlp_grads, 0.5), (nested, nested_grads, 0.1)]
    return check_function("sgd_update", _unfinished(fn), _sgd_reference, cases)


def _train_xor_reference(seed: int, hidden: int, lr: float, steps: int):
    import jax.numpy as jnp

    from .data import xor_data
    from .losses import binary_cross_entropy_with_logits
    from .model import init_mlp, mlp_forward
    from .updates import sgd_update

    X, y = xor_data()

    def loss_fn(params):
        return binary_cross_entropy_with_logits(mlp_forward(params, X)[:, 0], y)

    @jax.jit
    def step(params):
        loss, grads = jax.value_and_grad(loss_fn)(params)
        return sgd_update(params, grads, lr), loss

    params = init_mlp(jax.random.key(seed), [2, hidden, 1])
    losses = []
    for _ in range(steps):
        params, loss = step(params)
        losses.append(loss)
    return jnp.stack(losses)


def check_train_xor(fn: Callable) -> bool:
    """Exercise ex-05-train-xor: ``fn(seed, hidden, lr, steps)`` trains a 2-``hidden``-1 MLP
    on XOR (full-batch gradient descent on binary cross entropy from logits, initialised with
    ``init_mlp(jax.random.key(seed), [2, hidden, 1])``) and returns the ``(steps,)`` losses,
    each measured *before* its update."""
    import jax.numpy as jnp

    if not callable(fn):
        return _failed(f"train_xor should be a function, got {type(fn).__name__}.")
    unfinished = _unfinished(fn)

    def as_array(*args):
        result = unfinished(*args)
        return jnp.asarray(result, dtype=jnp.float32).reshape(-1) if isinstance(result, list) else result

    cases = [(0, 16, 0.5, 30), (1, 4, 1.0, 20)]
    return check_function("train_xor", as_array, _train_xor_reference, cases, atol=1e-4, rtol=1e-3)


def check_init(init: Callable) -> bool:
    """Exercise ex-02-init: ``init(key, sizes, scale)`` returns the same list of ``(W, b)``
    as ``helpers.init_mlp(key, sizes, scale)``: ``W (in, out)`` is ``scale`` times a normal
    draw with the layer's key from ``jax.random.split(key, len(sizes) - 1)``, ``b`` is zeros."""
    from .model import init_mlp  # local: checks must not import chapters' code

    if not callable(init):
        return _failed(f"init should be a function, got {type(init).__name__}.")
    cases = [(7, [2, 16, 1], 0.1), (8, [3, 4, 5, 2], 1.0), (9, [5, 3], 0.5)]
    for seed, sizes, scale in cases:
        call = f"init(jax.random.key({seed}), {sizes}, scale={scale})"
        expected = init_mlp(jax.random.key(seed), sizes, scale=scale)
        try:
            got = init(jax.random.key(seed), sizes, scale)
        except Exception as exc:  # show the learner's error as a hint
            return _failed(f"{call} raised {type(exc).__name__}: {exc}")
        if isinstance(got, list):
            got = [tuple(layer) if isinstance(layer, (list, tuple)) else layer for layer in got]
        problem = _compare(got, expected, atol=1e-6, rtol=1e-6)
        if problem is None:
            continue
        shapes_right = (jax.tree_util.tree_structure(got) == jax.tree_util.tree_structure(expected)
                        and all(np.shape(g) == np.shape(e) for g, e in zip(
                            jax.tree_util.tree_leaves(got), jax.tree_util.tree_leaves(expected))))
        if shapes_right:
            problem += (" The shapes are right; check that layer i draws its W with the i-th key of "
                        "jax.random.split(key, len(sizes) - 1), multiplies by scale, and that b is zeros")
        return _failed(f"{call}: {problem}.")
    return _passed(f"init matches helpers.init_mlp on all {len(cases)} test networks.")


# Chapter 08: optimizers and learning-rate schedules
def _step_decay_reference(step, peak_lr, total_steps):
    import jax.numpy as jnp

    step = jnp.asarray(step, jnp.float32)
    return peak_lr * jnp.where(step < total_steps / 2, 1.0,
                               jnp.where(step < 0.75 * total_steps, 0.1, 0.01))


def check_step_decay(fn: Callable) -> bool:
    """Exercise ex-08-step-decay: ``fn(step, peak_lr, total_steps)`` is ``peak_lr`` for the
    first half of training, ``peak_lr / 10`` from ``total_steps / 2``, ``peak_lr / 100`` from
    ``3 * total_steps / 4``; it works on an array of steps and under ``jax.jit``."""
    import jax.numpy as jnp

    if not callable(fn):
        return _failed(f"step_decay should be a function, got {type(fn).__name__}.")
    unfinished = _unfinished(fn)
    cases = [(0, 0.1, 1000), (499, 0.1, 1000), (500, 0.1, 1000), (749, 0.1, 1000),
             (750, 0.1, 1000), (999, 0.1, 1000), (1500, 2e-3, 2000),
             (jnp.arange(0, 1200, 100), 1.0, 1200)]
    if not _check_function_quiet("step_decay", unfinished, _step_decay_reference, cases):
        return False
    call = "jax.jit(step_decay, static_argnums=2)(jnp.int32(1600), 1.0, 2000)"
    try:
        got = jax.jit(unfinished, static_argnums=2)(jnp.int32(1600), 1.0, 2000)
    except Exception as exc:  # Python `if` on a traced step, for example
        return _failed(f"{call} raised {type(exc).__name__}: {str(exc).splitlines()[0][:200]} "
                       "Use jnp.where instead of if/else, so it works on traced steps.")
    problem = _compare(got, 0.01, atol=1e-6, rtol=1e-5)
    if problem is not None:
        return _failed(f"{call}: {problem}.")
    return _passed(f"step_decay matches the reference on all {len(cases)} test inputs, "
                   "also under jax.jit.")


def _check_function_quiet(name: str, fn: Callable, reference: Callable, cases: Sequence[tuple],
                          atol: float = 1e-6, rtol: float = 1e-5) -> bool:
    """Like :func:`check_function`, but prints only on failure (for checks with several parts)."""
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        ok = check_function(name, fn, reference, cases, atol=atol, rtol=rtol)
    if not ok:
        print(buffer.getvalue(), end="")
    return ok


def _rmsprop_reference(params, grads, state, lr, decay=0.9, eps=1e-8):
    import jax.numpy as jnp

    tree_map = jax.tree_util.tree_map
    s = tree_map(lambda s, g: decay * s + (1 - decay) * g**2, state, grads)
    return tree_map(lambda p, g, s: p - lr * g / (jnp.sqrt(s) + eps), params, grads, s), s


def check_rmsprop_update(fn: Callable) -> bool:
    """Exercise ex-08-rmsprop: ``fn(params, grads, state, lr, decay=0.9, eps=1e-8)`` returns
    ``(new_params, new_state)`` with ``s = decay s + (1 - decay) g**2`` and
    ``p = p - lr g / (sqrt(s) + eps)`` (the new ``s``) for every leaf of any pytree."""
    import jax.numpy as jnp

    def f32(values):
        return jnp.asarray(values, dtype=jnp.float32)

    p = {"w": f32([[1.0, -2.0], [0.5, 3.0]]), "b": f32([0.1, -0.1])}
    g = {"w": f32([[0.2, -1.0], [4.0, 0.0]]), "b": f32([-0.3, 0.05])}
    s = {"w": f32([[0.04, 0.5], [1.0, 0.2]]), "b": f32([0.0, 0.01])}
    zeros = jax.tree_util.tree_map(jnp.zeros_like, p)
    layers = [(f32([[1.0, 2.0]]), f32([0.0, -1.0]))]
    layer_grads = [(f32([[0.5, -0.5]]), f32([2.0, 1e-3]))]
    layer_state = [(f32([[0.1, 0.1]]), f32([3.0, 0.0]))]
    cases = [(p, g, zeros, 0.1), (p, g, s, 0.01), (layers, layer_grads, layer_state, 0.5)]
    return check_function("rmsprop_update", _unfinished(fn), _rmsprop_reference, cases,
                          atol=1e-6, rtol=1e-5)


# ---------------------------------------------------------------------------
# Chapter 06: jit
# ---------------------------------------------------------------------------
def _jit_hint(name: str, fn: Callable, args: tuple) -> str | None:
    """Why ``jax.jit(fn)(*args)`` cannot trace, as a hint, or ``None`` if it can."""
    try:
        jax.jit(fn)(*args)
    except (jax.errors.ConcretizationTypeError, ValueError) as exc:
        if isinstance(exc, ValueError) and "truth value of an array" not in str(exc):
            return None  # another error: check_function reports it with the inputs
        return (f"{name} does not work under jax.jit ({type(exc).__name__}): it uses an array's "
                "value in Python (an `if`, `and`/`or`, `bool(...)`, `float(...)`); "
                "use jnp.where instead")
    except Exception:  # other errors are reported with the inputs by check_function
        return None
    return None


def _soft_threshold_reference(x, t):
    import jax.numpy as jnp

    return jnp.where(x > t, x - t, jnp.where(x < -t, x + t, 0.0))


def check_soft_threshold(soft_threshold: Callable) -> bool:
    """Exercise ex-06-soft-threshold: ``soft_threshold(x, t)`` under ``jax.jit`` is
    ``x - t`` above ``t``, ``x + t`` below ``-t`` and 0 in between, for any shape of ``x``."""
    import jax.numpy as jnp

    if not callable(soft_threshold):
        return _failed(f"soft_threshold should be a function, got {type(soft_threshold).__name__}.")
    cases = [
        (jnp.array([-3.0, -1.0, -0.25, 0.0, 0.25, 1.0, 3.0]), 0.5),
        (jnp.array([[2.0, -2.0], [0.1, -0.1]]), 1.5),
        (jnp.array([-1.0, 0.0, 2.0]), 0.0),
    ]
    hint = _jit_hint("soft_threshold", _unfinished(soft_threshold), cases[0])
    if hint is not None:
        return _failed(hint + ".")
    return check_function("jax.jit(soft_threshold)", jax.jit(_unfinished(soft_threshold)),
                          _soft_threshold_reference, cases)


def _descent_path_reference(x0, lr, steps):
    x, path = float(x0), []
    for _ in range(steps):
        x = x - lr * 2.0 * (x - 3.0)
        path.append(x)
    return np.array(path, dtype=np.float32)


def check_descent_path(descent_path: Callable) -> bool:
    """Exercise ex-06-scan-descent: ``descent_path(x0, lr, steps)`` returns the ``(steps,)``
    values of x after each gradient-descent step on ``(x - 3)**2``."""
    cases = [(0.0, 0.1, 5), (10.0, 0.25, 4), (-2.0, 0.01, 3)]
    return check_function("descent_path", _unfinished(descent_path), _descent_path_reference,
                          cases, atol=1e-4)


# ---------------------------------------------------------------------------
# Chapter 07: MNIST
# ---------------------------------------------------------------------------
def _per_class_accuracy_reference(confusion):
    confusion = np.asarray(confusion, dtype=np.float64)
    return (np.diag(confusion) / confusion.sum(axis=1)).astype(np.float32)


def check_per_class_accuracy(per_class_accuracy: Callable) -> bool:
    """Exercise ex-07-per-class: ``per_class_accuracy(confusion)`` is, for each true class
    (row), the fraction of its examples predicted correctly: ``diag / row sums``."""
    rng = np.random.default_rng(7)
    cases = [
        (np.array([[5, 1, 0], [2, 6, 2], [0, 0, 4]]),),
        (np.array([[9, 1], [3, 3]]),),
        (rng.integers(1, 20, size=(10, 10)) + np.diag(rng.integers(50, 100, size=10)),),
    ]
    return check_function("per_class_accuracy", _unfinished(per_class_accuracy),
                          _per_class_accuracy_reference, cases, atol=1e-5)


def _top_k_accuracy_reference(logits, labels, k):
    logits, labels = np.asarray(logits), np.asarray(labels)
    top_k = np.argsort(-logits, axis=1)[:, :k]
    return np.float32(np.mean(np.any(top_k == labels[:, None], axis=1)))


def check_top_k_accuracy(top_k_accuracy: Callable) -> bool:
    """Exercise ex-07-top-k: ``top_k_accuracy(logits, labels, k)`` is the fraction of rows
    whose true label is among the ``k`` largest logits."""
    logits = np.array([[2.0, 1.0, 0.1, -1.0], [0.5, 0.2, 3.0, 0.0], [0.0, 1.0, 2.0, 3.0],
                       [4.0, 3.0, 2.0, 1.0], [1.0, 0.0, -1.0, 2.0], [0.3, 0.9, 0.1, 0.5]],
                      dtype=np.float32)
    labels = np.array([0, 1, 1, 3, 2, 3], dtype=np.int32)
    cases = [(logits, labels, 1), (logits, labels, 2), (logits, labels, 3), (logits, labels, 4)]
    return check_function("top_k_accuracy", _unfinished(top_k_accuracy), _top_k_accuracy_reference,
                          cases, atol=1e-6)


# Chapter 09: data-parallel training with jax.sharding
def check_shard_batch(fn: Callable, mesh) -> bool:
    """Exercise ex-09-shard-batch: ``fn(array)`` returns ``array`` with the same values,
    placed on ``mesh`` with dimension 0 split along the ``"batch"`` axis and the other
    dimensions whole (``NamedSharding(mesh, PartitionSpec("batch"))``)."""
    import jax.numpy as jnp
    from jax.sharding import NamedSharding, PartitionSpec

    if not callable(fn):
        return _failed(f"shard_batch should be a function, got {type(fn).__name__}.")
    n = mesh.size
    cases = [jnp.arange(4 * n * 8, dtype=jnp.float32).reshape(4 * n, 8),
             jnp.arange(2 * n, dtype=jnp.int32),
             jnp.ones((n, 3, 2), dtype=jnp.float32)]
    for array in cases:
        call = f"shard_batch(<{array.dtype} array of shape {tuple(array.shape)}>)"
        try:
            got = _unfinished(fn)(array)
        except Exception as exc:  # show the learner's error as a hint
            return _failed(f"{call} raised {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
        problem = _compare(got, array, atol=0, rtol=0)
        if problem is not None:
            return _failed(f"{call}: the values changed: {problem}.")
        wanted = NamedSharding(mesh, PartitionSpec("batch"))
        sharding = getattr(got, "sharding", None)
        if sharding is None or not sharding.is_equivalent_to(wanted, array.ndim):
            return _failed(
                f"{call}: the layout is {sharding}, expected dimension 0 split over the "
                f"{n} devices of the 'batch' axis and the rest whole, i.e. "
                "NamedSharding(mesh, P('batch')).")
    return _passed(f"shard_batch splits the first dimension over the {n} devices of the mesh "
                   f"for all {len(cases)} test arrays.")


def _data_parallel_loss(params, images, labels):
    from .losses import softmax_cross_entropy
    from .model import mlp_forward

    return softmax_cross_entropy(mlp_forward(params, images), labels)


class _Labelled:
    """An argument shown in messages by a short label instead of its (large) value."""

    def __init__(self, value, label: str):
        self.value, self.label = value, label

    def __repr__(self) -> str:
        return self.label


def _unlabelled(fn: Callable) -> Callable:
    return lambda *args: fn(*(a.value if isinstance(a, _Labelled) else a for a in args))


def check_data_parallel_grads(fn: Callable, mesh) -> bool:
    """Exercise ex-09-shard-map: ``fn(params, images, labels)``, called with ``params``
    replicated and ``images``/``labels`` split along the ``"batch"`` axis of ``mesh``, returns
    the gradient of the mean softmax cross entropy of the MLP on the whole batch (computed per
    device with ``jax.shard_map`` and averaged with ``jax.lax.pmean``)."""
    import jax.numpy as jnp
    from jax.sharding import NamedSharding, PartitionSpec

    from .model import init_mlp

    if not callable(fn):
        return _failed(f"data_parallel_grads should be a function, got {type(fn).__name__}.")
    n = mesh.size
    replicated = NamedSharding(mesh, PartitionSpec())
    sharded = NamedSharding(mesh, PartitionSpec("batch"))
    cases = []
    for seed, hidden in [(0, 16), (1, 8)]:
        k_params, k_images = jax.random.split(jax.random.key(seed))
        params = init_mlp(k_params, [784, hidden, 10], scale=None)
        images = jax.random.uniform(k_images, (4 * n, 784), dtype=jnp.float32)
        labels = jnp.arange(4 * n, dtype=jnp.int32) % 10
        cases.append((
            _Labelled(jax.device_put(params, replicated), f"<params of a 784-{hidden}-10 MLP, replicated>"),
            _Labelled(jax.device_put(images, sharded), f"<images ({4 * n}, 784), sharded>"),
            _Labelled(jax.device_put(labels, sharded), f"<labels ({4 * n},), sharded>")))
    def reference(params, images, labels):  # on one device, from host copies of the inputs
        return jax.grad(_data_parallel_loss)(*jax.device_get((params, images, labels)))

    return check_function("data_parallel_grads", _unlabelled(_unfinished(fn)),
                          _unlabelled(reference), cases, atol=1e-5, rtol=1e-4)
