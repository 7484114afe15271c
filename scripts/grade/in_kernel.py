"""The grader's own cell, run inside the submission's kernel after the learner's cells.

The grader's last cell runs this file with ``runpy.run_path``, giving it the learner's
namespace, the exercises (label, check code, expected names) and the path of the result file
(a name with a random part chosen for this run, which the learner's cells never saw). It:

1. imports a fresh copy of ``helpers`` (the modules the learner's cells imported, and may
   have changed, are dropped first), so ``checks`` is the course's, not the notebook's;
2. runs each exercise's reference self-check code on the learner's names, with ``checks``
   bound to a recorder of the fresh checks, under a time limit (SIGALRM);
3. keeps, for each exercise, ``bool`` and ``str`` of the results that the fresh checks
   themselves returned (objects of the fresh ``CheckResult`` class); what the notebook
   printed plays no part;
4. writes them as JSON to the result file.
"""

import contextlib
import importlib
import io
import json
import signal
import sys


class Overtime(BaseException):
    """The time limit of one check (a BaseException: the checks catch only Exception)."""


def fresh_checks():
    for name in [m for m in sys.modules if m == "helpers" or m.startswith("helpers.")]:
        del sys.modules[name]
    return importlib.import_module("helpers.checks")


class Recorder:
    """Stands for ``checks`` in a check cell: calls the fresh checks, keeps their results."""

    def __init__(self, module):
        self.module, self.results = module, []

    def __getattr__(self, name):
        found = getattr(self.module, name)
        if not (name.startswith("check") and callable(found)):
            return found

        def recorded(*args, **kwargs):
            result = found(*args, **kwargs)
            self.results.append(result)
            return result

        return recorded


def missing_message(names, exercise):
    starter = exercise["starter"].strip().splitlines()
    shown = next((line.strip() for line in starter if not line.startswith("#")), "")
    which = ", ".join(names)
    return (
        f"{which} not defined after running the notebook: {exercise['label']} expects the "
        f"answer under the name{'s' if len(names) > 1 else ''} {which}, as in its starter "
        f"cell ({shown}). Was it renamed, or its cell deleted?"
    )


def on_alarm(signum, frame):
    raise Overtime


def grade(exercise, namespace, checks, seconds):
    """(passed, message) for one exercise."""
    missing = [name for name in exercise["names"] if name not in namespace]
    if missing:
        return False, missing_message(missing, exercise)
    recorder = Recorder(checks)
    scope = dict(namespace)
    scope["checks"] = recorder
    code = compile(exercise["source"], f"<check of {exercise['label']}>", "exec")
    signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            exec(code, scope)
    except Overtime:
        return False, f"the check ran longer than {seconds:g} s on this answer (endless loop?)"
    except NameError as exc:
        return False, f"the check needs {exc.name}, which the notebook does not define"
    except Exception as exc:
        return False, f"the check stopped: {type(exc).__name__}: {exc}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    results = [r for r in recorder.results if type(r) is checks.CheckResult]
    if not results or len(results) != len(recorder.results):
        return False, "the check returned no result"
    passed = all(r.passed is True for r in results)
    return passed, " ".join(str(r.message) for r in results)


def main(namespace, exercises, result_path, seconds):
    checks = fresh_checks()
    graded = {}
    for exercise in exercises:
        try:
            graded[exercise["label"]] = grade(exercise, namespace, checks, seconds)
        except Overtime:  # the alarm fired between the check and its handler
            graded[exercise["label"]] = (False, f"the check ran longer than {seconds:g} s")
    with open(result_path, "w", encoding="utf-8") as out:
        json.dump(graded, out)


if __name__ == "__main__":  # run_path: the grader's cell passes these four names
    main(NAMESPACE, EXERCISES, RESULT_PATH, SECONDS)  # noqa: F821
