# Setup. On Colab: install the course's helpers (Colab's own JAX is kept).
# Everywhere: show the JAX version and the devices this notebook will use.
import subprocess
import sys

if "google.colab" in sys.modules:
    url = "https://raw.githubusercontent.com/nn-from-scratch-jax/course/main/colab/requirements.txt"
    command = [sys.executable, "-m", "pip", "install", "--quiet", "-r", url]
    pip = subprocess.run(command, capture_output=True, text=True)
    if pip.returncode != 0:  # stop here, not with "No module named 'helpers'" one cell later
        pip_said = "\n".join((pip.stdout + pip.stderr).strip().splitlines()[-5:])
        raise RuntimeError(
            f"Installing the course's helpers failed. pip said:\n{pip_said}\n"
            f"Check that this runtime has internet access and that {url} opens,\n"
            "then choose Runtime > Restart session and run all."
        )

import jax

print("JAX", jax.__version__, "| devices:", jax.devices())
