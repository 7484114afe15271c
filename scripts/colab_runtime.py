"""Colab's runtime, as Colab publishes it, against the course's requirements.

``colab/runtime/`` holds the package list (``pip freeze``) and OS information of Colab's GPU
runtime, copied from the public repository googlecolab/backend-info (``colab/runtime/README.md``
says how to refresh them). This module reads them:

    python -m scripts.colab_runtime check [FREEZE]   # which course requirements FREEZE breaks
    python -m scripts.colab_runtime constraints      # pip constraints that reproduce Colab here
    python -m scripts.colab_runtime compare FREEZE   # where FREEZE's versions differ from Colab's
        [--packages NAME ...]                        # and which of Colab's it lacks (default: any)
    python -m scripts.colab_runtime record FREEZE PY # after a passing compat run: verified.json
    python -m scripts.colab_runtime python           # Colab's Python version ("3.13")

A requirement is broken when the runtime lacks it or has a version outside its range: installing
the course there would make pip change the package, and for jax or jaxlib that silently cuts JAX
off from its accelerator plugin, which JAX loads only at exactly jaxlib's version.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from scripts.chapters import CHAPTERS, REPO

RUNTIME = REPO / "colab" / "runtime"
FREEZE = RUNTIME / "pip-freeze.gpu.txt"
OS_INFO = RUNTIME / "os-info-gpu.txt"
VERIFIED = RUNTIME / "verified.json"  # written by scripts/colab_compat.sh when every chapter passed
SHOWN = ("jax", "jaxlib", "flax", "optax", "numpy", "matplotlib", "ipython", "torch")
# Packages of a CUDA build of torch: PyPI's torch is built for another CUDA than Colab's own
# (download.pytorch.org) wheels, and no chapter uses them, so they are left free.
NOT_REPRODUCED = re.compile(r"^(nvidia-|cuda-)")
PLUGINS = ("jax-cuda12-plugin", "jax-cuda12-pjrt", "jax-cuda13-plugin", "libtpu")


def read_freeze(path: Path = FREEZE) -> dict[str, str]:
    """Package -> version from a `pip freeze` listing (``name==1.0`` or ``name @ URL``; for a
    URL the version is read from the wheel's file name when it has one). Exits, in one line,
    at a version that is no version (``jax==abc``)."""
    packages = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        line = re.sub(r"(^|\s)#.*", "", line).strip()  # a comment, or one at the end of a line
        if not line:
            continue
        if "==" in line:
            name, version = line.split("==", 1)
        elif " @ " in line:
            name, url = line.split(" @ ", 1)
            wheel = re.search(r"/[^/]+?-([0-9][^-]*)-[^/]*\.whl$", url.replace("%2B", "+"))
            if not wheel:
                continue
            version = wheel.group(1)
        else:
            continue
        try:
            Version(version.strip())
        except InvalidVersion:
            raise SystemExit(
                f"{path}, line {number}: {line!r}: {version.strip()!r} is not a version; "
                "a `pip freeze` line reads name==version: fix the line or freeze again"
            ) from None
        packages[canonicalize_name(name.strip())] = version.strip()
    return packages


def python_version(path: Path = OS_INFO) -> str:
    """Colab's Python as major.minor, from its os-info file ("Python 3.13.15" -> "3.13")."""
    match = re.search(r"^Python (\d+\.\d+)", path.read_text(), re.M)
    if not match:
        raise SystemExit(f"{path}: no 'Python X.Y' line; refresh it from googlecolab/backend-info")
    return match.group(1)


def course_requirements() -> list[Requirement]:
    """What the course's package asks for when the setup cell installs it (colab/requirements.txt
    names the `mnist` extra)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    extras = project.get("optional-dependencies", {})
    return [Requirement(r) for r in project["dependencies"] + extras.get("mnist", [])]


def broken(packages: dict[str, str], requirements: list[Requirement]) -> list[str]:
    """One sentence per requirement that installing the course would make pip change."""
    problems = []
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        have = packages.get(name)
        if have is None:
            problems.append(f"{requirement}: the runtime lacks {name}; pip would install it")
            continue
        if requirement.specifier.contains(Version(have).public, prereleases=True):
            continue
        problem = f"{requirement}: the runtime has {name} {have}; pip would replace it"
        if name in ("jax", "jaxlib"):
            plugins = [f"{p} {packages[p]}" for p in PLUGINS if p in packages]
            problem += (
                ", and JAX would stop using the accelerator plugin"
                + (f" ({', '.join(plugins)})" if plugins else "")
                + ", which it loads only at exactly jaxlib's version"
            )
        problems.append(problem)
    return problems


def constraints(packages: dict[str, str]) -> str:
    """Pip constraints pinning every package to Colab's version (local labels such as +cu128
    dropped: PyPI has the plain release)."""
    lines = [
        f"{name}=={Version(version).public}"
        for name, version in sorted(packages.items())
        if not NOT_REPRODUCED.match(name)
    ]
    return "\n".join(lines) + "\n"


def differences(installed: dict[str, str], colab: dict[str, str]) -> list[str]:
    """The packages of `installed` whose version is not Colab's (local labels aside)."""
    return [
        f"{name} {version} (Colab: {colab[name]})"
        for name, version in sorted(installed.items())
        if name in colab
        and not NOT_REPRODUCED.match(name)
        and Version(version).public != Version(colab[name]).public
    ]


def missing(installed: dict[str, str], colab: dict[str, str], names=None) -> list[str]:
    """Colab's packages (those of `names`, or all) that `installed` lacks."""
    wanted = colab if names is None else {canonicalize_name(n) for n in names}
    return [
        f"{name} missing (Colab: {colab[name]})"
        for name in sorted(wanted)
        if name in colab and name not in installed and not NOT_REPRODUCED.match(name)
    ]


def freeze_digest(path: Path = FREEZE) -> str:
    """Which copy of Colab's list a record was made with."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def record(installed: dict[str, str], python: str, day: str) -> dict:
    """What a passing compatibility run verified: every chapter, on these versions, that day."""
    return {
        "date": day,
        "python": python,
        "packages": {name: installed[name] for name in SHOWN if name in installed},
        "chapters": [path.stem for path in CHAPTERS],
        "colab_list_sha256": freeze_digest(),
    }


def listing(parser: argparse.ArgumentParser, path: Path) -> dict[str, str]:
    """The packages of a `pip freeze` file named on the command line; a missing file, or one
    without jax, is refused."""
    if not path.is_file():
        parser.error(f"{path}: no such file (a `pip freeze` listing, e.g. Colab's)")
    packages = read_freeze(path)
    if "jax" not in packages:
        parser.error(f"{path}: no jax in it; is it a `pip freeze` listing?")
    return packages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="which course requirements a runtime breaks")
    check.add_argument("freeze", nargs="?", type=Path, default=FREEZE, help="a pip-freeze file")
    commands.add_parser("constraints", help="pip constraints reproducing Colab's versions")
    compare = commands.add_parser("compare", help="where a pip-freeze file differs from Colab's")
    compare.add_argument("freeze", type=Path)
    compare.add_argument(
        "--packages", nargs="+", help="Colab's packages it must have (default: every one)"
    )
    save = commands.add_parser("record", help="write verified.json after a passing run")
    save.add_argument("freeze", type=Path, help="pip freeze of the environment that passed")
    save.add_argument("python", help="its Python version")
    commands.add_parser("python", help="Colab's Python version")
    args = parser.parse_args(argv)
    if args.command == "python":
        print(python_version())
        return 0
    if args.command == "constraints":
        sys.stdout.write(constraints(read_freeze()))
        return 0
    if args.command == "record":
        from datetime import date

        verified = record(listing(parser, args.freeze), args.python, date.today().isoformat())
        VERIFIED.write_text(json.dumps(verified, indent=2) + "\n")
        print(f"{VERIFIED.relative_to(REPO)}: {len(verified['chapters'])} chapters verified")
        return 0
    packages = listing(parser, args.freeze)
    if args.command == "compare":
        colab = read_freeze()
        different = differences(packages, colab) + missing(packages, colab, args.packages)
        for line in different:
            print("NOT COLAB'S", line)
        return 1 if different else 0
    problems = broken(packages, course_requirements())
    for problem in problems:
        print("BREAKS", problem)
    if not problems:
        print(
            f"OK: {args.freeze} satisfies every requirement of the course's package "
            f"(jax {packages['jax']}): installing it changes none of the runtime's packages."
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
