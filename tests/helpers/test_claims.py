"""helpers.claim: a chapter's stated results, asserted wherever it runs."""

import jax.numpy as jnp
import pytest

from helpers import ClaimFailed, claim


def test_a_claim_that_holds_prints_only_its_statement(capsys):
    assert claim("the loss falls", jnp.array(0.2) < jnp.array(0.5), "0.2 < 0.5") is None
    assert capsys.readouterr().out == "✓ the loss falls\n"


def test_a_claim_that_fails_stops_with_what_was_measured(capsys):
    with pytest.raises(
        ClaimFailed, match=r"says that the recipe passes 97\.5%.*Measured here: 96\.10%"
    ):
        claim("the recipe passes 97.5%", 0.961 >= 0.975, "96.10%")
    assert capsys.readouterr().out == ""
    assert issubclass(ClaimFailed, AssertionError)


@pytest.mark.parametrize("statement", ["", None, 0.975])
def test_a_claim_needs_a_statement(statement):
    with pytest.raises(TypeError, match="statement"):
        claim(statement, True)


def test_an_array_of_several_values_is_no_claim():
    with pytest.raises(ValueError):
        claim("all positive", jnp.array([1.0, 2.0]) > 0)


def test_glue_records_a_value_for_the_book(capsys):
    from IPython.core.interactiveshell import InteractiveShell

    from helpers import glue

    shell = InteractiveShell.instance()
    shown = []
    shell.display_pub.publish = lambda data, metadata=None, **kw: shown.append((data, metadata))
    glue("accuracy", 0.9813)
    ((data, metadata),) = shown
    assert data == {"application/papermill.record/text/plain": "0.9813"}
    assert metadata["scrapbook"]["name"] == "accuracy"


def test_glue_does_nothing_without_myst_nb(monkeypatch, capsys):
    """On Colab myst-nb is not installed: the chapter runs on, nothing shows."""
    from helpers import glue

    monkeypatch.setitem(__import__("sys").modules, "myst_nb", None)
    assert glue("accuracy", 0.9813) is None
    assert capsys.readouterr().out == ""
