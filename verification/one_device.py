"""Chapter 9 on one device, as on Colab's usual single-GPU runtime: its device-setup cell asks
for 1 CPU device instead of 8, and every cell must run with no error and no failed self-check
(the chapter's claims hold on any device count). Run by scripts/colab_compat.sh:

    python -m verification.one_device
"""

from __future__ import annotations

import sys

import nbformat
from nbclient import NotebookClient

from verification.nbval_plugin import failed_checks
from verification.settings import REPO, configure_environment

CHAPTER = REPO / "chapters" / "09_data_parallel.ipynb"
EIGHT, ONE = '"jax_num_cpu_devices", 8', '"jax_num_cpu_devices", 1'


def one_device_notebook():
    nb = nbformat.read(CHAPTER, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    if "device-setup" not in first.metadata.get("tags", []) or EIGHT not in first.source:
        raise SystemExit(f"{CHAPTER.name}: its first code cell no longer asks for 8 devices")
    first.source = first.source.replace(EIGHT, ONE)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    return nb


def problems(nb) -> list[str]:
    found = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                found.append(f"cell {index}: {output.ename}: {output.evalue}")
        outputs = cell.get("outputs", [])
        found += [f"cell {index}: {text.strip()}" for text in failed_checks(outputs)]
    return found


def main() -> int:
    configure_environment()
    nb = one_device_notebook()
    client = NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True)
    client.execute(cwd=str(CHAPTER.parent))
    found = problems(nb)
    print(f"{CHAPTER.name} on one device: " + ("; ".join(found) if found else "every cell ran"))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
