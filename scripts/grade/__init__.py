"""Grading submitted notebooks with the course's own self-checks (``python -m scripts.grade``).

How a grade is made:

- ``exercises.py`` reads the exercises from the reference chapter (``chapters/NN.ipynb``):
  each exercise's label, its self-check cell's code and the answer names its starter defines;
- ``run.py`` runs a submission's code cells, without its self-check cells, top to bottom in
  a fresh kernel (``launch.py``, ``kernel.py``: limits and a write guard), in a folder of its
  own that is removed afterwards; then one cell of the grader's own (``in_kernel.py``) runs
  each reference self-check on the learner's names with a freshly imported copy of
  ``helpers.checks`` and writes the results to a file whose name the notebook never saw;
- ``report.py`` writes grades.csv and one feedback file per submission.

What the notebook prints or stores, and its own (possibly edited) check cells, play no part.
What this does not stop: code written on purpose to subvert the grader from inside the same
Python process (patching builtins or the standard library, ctypes). For submissions you do
not trust, run the grader in a container or a virtual machine (instructors.md).
"""
