"""helpers.book: a chapter's stated results, asserted wherever it runs; glued numbers; errors
shown on purpose."""

import jax.numpy as jnp
import numpy as np
import pytest

from helpers.book import ClaimFailed, claim


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
    with pytest.raises(TypeError, match="needs True or False"):
        claim("all positive", jnp.array([1.0, 2.0]) > 0)


def test_glue_records_a_value_for_the_book(capsys):
    from IPython.core.interactiveshell import InteractiveShell

    from helpers.book import glue

    shell = InteractiveShell.instance()
    shown = []
    shell.display_pub.publish = lambda data, metadata=None, **kw: shown.append((data, metadata))
    glue("accuracy", 0.9813)
    ((data, metadata),) = shown
    assert data == {"application/papermill.record/text/plain": "0.9813"}
    assert metadata["scrapbook"]["name"] == "accuracy"


def test_glue_does_nothing_without_myst_nb(monkeypatch, capsys):
    """On Colab myst-nb is not installed: the chapter runs on, nothing shows."""
    from helpers.book import glue

    monkeypatch.setitem(__import__("sys").modules, "myst_nb", None)
    assert glue("accuracy", 0.9813) is None
    assert capsys.readouterr().out == ""


def test_expect_error_prints_type_and_wrapped_message_without_paths(capsys):
    from helpers.book import expect_error

    with expect_error(ValueError):
        raise ValueError("shape " + "word " * 30 + "end")
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("ValueError: shape word")
    assert out.rstrip().endswith("end")
    assert all(len(line) <= 79 for line in lines), lines
    assert "Traceback" not in out and ".py" not in out


def test_expect_error_fails_when_nothing_is_raised():
    from helpers.book import expect_error

    with pytest.raises(ClaimFailed, match="meant to raise TypeError or KeyError"):
        with expect_error((TypeError, KeyError)):
            pass


def test_expect_error_lets_an_unexpected_error_through():
    from helpers.book import expect_error

    with pytest.raises(KeyError):
        with expect_error(TypeError):
            raise KeyError("not the error the chapter shows")


def test_wrap_keeps_links_whole_and_blank_lines():
    from helpers.book import wrap

    link = "https://docs.jax.dev/en/latest/errors.html#jax.errors.TracerBoolConversionError"
    text = wrap("See " + link + "\n\nnext paragraph")
    assert link in text.splitlines()[1]
    assert text.splitlines()[2:] == ["", "next paragraph"]


def test_the_course_style_fits_figures_to_the_book_column():
    import matplotlib as mpl
    import matplotlib.pyplot as plt

    import helpers  # noqa: F401  (importing applies the style)
    from helpers.plotting import FULL_WIDTH

    fig = plt.figure()
    width_px = fig.get_figwidth() * mpl.rcParams["savefig.dpi"]
    plt.close(fig)
    assert width_px <= 690, "a default figure must fit the ~690 px content column"
    assert FULL_WIDTH * mpl.rcParams["savefig.dpi"] <= 690
    assert mpl.rcParams["savefig.facecolor"] == "white"  # readable on the dark theme


def test_a_word_longer_than_the_width_gets_its_own_unindented_line():
    from helpers.book import wrap

    link = "https://docs.jax.dev/en/latest/errors.html#jax.errors.TracerIntegerConversionError"
    assert wrap("For more information, see " + link).splitlines() == [
        "For more information, see",
        link,
    ]


def test_expect_error_names_the_kernel_cell_the_same_on_every_machine(capsys):
    from helpers.book import expect_error

    for path in ("/tmp/ipykernel_7/123.py", "/tmp/ipykernel_123456/98765432.py"):
        with expect_error(TypeError):
            raise TypeError(f"while tracing the function f at {path}:1 for jit. " + "x " * 30)
    first, second = capsys.readouterr().out.split("TypeError: ")[1:]
    assert first == second and "<cell>:1" in first


@pytest.mark.parametrize(
    "holds", [0.95, 1, "yes", (1,), [True], None, jnp.array([True, True]), jnp.array(1.0)]
)
def test_a_claim_needs_a_truth_value_not_anything_truthy(holds, capsys):
    """claim("accuracy passes 97%", 0.95) must not print a tick: 0.95 is no comparison."""
    with pytest.raises(TypeError, match=r"needs True or False as its second argument"):
        claim("accuracy passes 97%", holds)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    "holds", [True, np.bool_(True), jnp.array(2.0) > 1, np.float32(2) > 1, jnp.all(jnp.ones(2))]
)
def test_comparisons_of_every_kind_are_truth_values(holds, capsys):
    claim("it holds", holds)
    assert capsys.readouterr().out == "✓ it holds\n"
