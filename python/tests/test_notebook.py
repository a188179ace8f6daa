"""examples/quickstart.ipynb executes without error (its own cells assert the physics of
the figure and its agreement with the CLI sweep behind derivations/icc/lne_sign.svg)."""

import os
import pathlib

import pytest

NOTEBOOK = pathlib.Path(__file__).resolve().parents[2] / "examples" / "quickstart.ipynb"


def test_quickstart_notebook_executes(monkeypatch):
    # The kernel's own (inline) backend draws the figure; a non-interactive MPLBACKEND in the
    # environment would make plt.show() draw nothing.
    monkeypatch.delenv("MPLBACKEND", raising=False)
    if os.environ.get("QCT_REQUIRE_NOTEBOOK"):
        import nbclient
        import nbformat
    else:
        nbclient = pytest.importorskip("nbclient")
        nbformat = pytest.importorskip("nbformat")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3").execute()
    images = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "display_data" and "image/png" in output.get("data", {})
    ]
    assert len(images) == 1, "the sign map is drawn once"
    texts = "".join(
        output.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "stream"
    )
    assert "signs equal the CLI's" in texts
