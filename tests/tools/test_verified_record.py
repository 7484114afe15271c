"""colab/runtime/verified.json is the record of a passing run of scripts/colab_compat.sh on the
Colab list this checkout holds, for every chapter it has (else the book would claim too much)."""

import json

from scripts import colab_runtime
from scripts.chapters import CHAPTERS
from verification.book import verified_text


def test_the_record_is_for_this_colab_list_and_every_chapter():
    record = json.loads(colab_runtime.VERIFIED.read_text())
    assert record["colab_list_sha256"] == colab_runtime.freeze_digest(), (
        "colab/runtime/ changed since the last compatibility run: run bash scripts/colab_compat.sh"
    )
    assert record["chapters"] == [path.stem for path in CHAPTERS], (
        "chapters changed since the last compatibility run: run bash scripts/colab_compat.sh"
    )
    colab = colab_runtime.read_freeze()
    for name in ("jax", "jaxlib", "flax", "optax", "numpy"):
        assert record["packages"][name].split("+")[0] == colab[name].split("+")[0], name


def test_the_line_in_words():
    made = {"jax": "0.12.0.1", "python": "3.12.1", "date": "2026-12-04"}
    colab = {
        "date": "2026-12-05",
        "python": "3.13.0",
        "packages": {"jax": "0.7.2", "flax": "0.11.2"},
        "chapters": ["01_xor"],
    }
    assert verified_text(made, colab, "01_xor") == (
        "Outputs made with JAX 0.12.0.1 on Python 3.12.1 (2026-12-04) and checked on every "
        "change; runs on Colab's runtime (JAX 0.7.2, flax 0.11.2, Python 3.13.0), "
        "last verified 2026-12-05."
    )
    assert verified_text(made, colab, "02_forward_pass").endswith(
        "; not yet run on Colab's runtime."
    )
    assert verified_text({}, None, "01_xor") == (
        "Outputs made with JAX ? (date not recorded) and checked on every change; "
        "not yet run on Colab's runtime."
    )
