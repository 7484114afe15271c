"""Self-checks a learner calls on their own answer to an exercise.

Each check returns a :class:`CheckResult`: shown in a notebook as one line, ``Correct: ...``
when the answer is right, or ``Not quite yet: ...`` with the input tried, what was expected and
what came back; it is truthy only when the answer is right (``if checks.check_relu(f): ...``).
A check never raises, whatever it is given: a wrong answer gets a hint, not a traceback.

The chapter checks, one module per chapter (``ch01_xor`` ... ``ch11_cnn``), are built
on :mod:`helpers.checks.core` (the result and the ``check`` decorator),
:mod:`~helpers.checks.answers` (calling an answer safely, :func:`check_function`,
:func:`check_value`), :mod:`~helpers.checks.compare` and :mod:`~helpers.checks.describe` (what
differs and how it is shown), :mod:`~helpers.checks.tracing` (looking inside an answer) and
:mod:`~helpers.checks.library_use` (which ``jax.nn`` functions an answer calls).
"""

from .answers import check_function, check_value
from .ch01_xor import check_and_gate, check_xor_network
from .ch02_forward_pass import check_forward, check_init, check_relu, check_sigmoid
from .ch03_losses import check_log_softmax, check_multilabel_loss
from .ch04_grad import (
    check_central_difference,
    check_per_example_grad_norms,
    check_weight_grads,
)
from .ch05_training import check_largest_stable_rate, check_weight_decay_update
from .ch06_jit import check_descent_path, check_soft_threshold, check_steps_to_reach
from .ch07_mnist import check_per_class_accuracy, check_top_k_accuracy
from .ch08_optimizers import check_rmsprop_update, check_step_decay
from .ch09_data_parallel import check_data_parallel_grads, check_shard_batch
from .ch10_flax_optax import check_scale_by_velocity, check_to_params
from .ch11_cnn import check_conv2d_valid, check_max_pool_size
from .core import CheckResult

__all__ = [
    "CheckResult",
    "check_value",
    "check_function",
    "check_and_gate",
    "check_xor_network",
    "check_relu",
    "check_sigmoid",
    "check_init",
    "check_forward",
    "check_log_softmax",
    "check_multilabel_loss",
    "check_weight_grads",
    "check_central_difference",
    "check_per_example_grad_norms",
    "check_weight_decay_update",
    "check_largest_stable_rate",
    "check_soft_threshold",
    "check_descent_path",
    "check_steps_to_reach",
    "check_per_class_accuracy",
    "check_top_k_accuracy",
    "check_step_decay",
    "check_rmsprop_update",
    "check_shard_batch",
    "check_data_parallel_grads",
    "check_to_params",
    "check_scale_by_velocity",
    "check_conv2d_valid",
    "check_max_pool_size",
]
