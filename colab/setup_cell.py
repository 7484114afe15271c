# Setup. On Colab: install the course's helpers (Colab's own JAX is kept).
import subprocess
import sys

if "google.colab" in sys.modules:
    course = "https://raw.githubusercontent.com/nn-from-scratch-jax/course"
    url = course + "/main/colab/requirements.txt"
    command = [sys.executable, "-m", "pip", "install", "--quiet", "-r", url]
    pip = subprocess.run(command, capture_output=True, text=True)
    if pip.returncode != 0:  # stop here, not at "No module named 'helpers'"
        said = "\n".join((pip.stdout + pip.stderr).strip().splitlines()[-5:])
        raise RuntimeError(
            f"Installing the course's helpers failed. pip said:\n{said}\n"
            "Check the runtime's internet access and that this file opens:\n"
            f"{url}\nThen choose Runtime > Restart session and run all."
        )

from helpers.runtime import check_runtime

check_runtime()  # JAX's version and devices; stops if a GPU/TPU sits unused
