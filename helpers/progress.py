"""Progress bars that a saved notebook shows finished.

``tqdm.auto`` draws an ipywidgets bar in Jupyter and Colab. A saved notebook keeps only the text
that was current when the bar first appeared ("0%| 0/13"), because the bar's later states travel
as widget messages that the file does not store. :func:`keep_finished_bars` makes each notebook bar
refresh its own output once when it closes, so the saved text reads "100%|██████████| 13/13".
Live, the reader still sees the same widget. :func:`helpers.setup` calls it; nothing changes
outside a Jupyter kernel or without ipywidgets.

>>> from helpers.progress import keep_finished_bars
>>> keep_finished_bars()   # doctest: +SKIP
True
"""

from __future__ import annotations


def keep_finished_bars() -> bool:
    """Make ``tqdm.notebook`` bars update their saved output when they close; True if active."""
    try:
        from IPython import get_ipython
        from IPython.display import display as ipython_display
        from tqdm import notebook
    except ImportError:
        return False
    if get_ipython() is None or getattr(notebook, "IProgress", None) is None:
        return False  # not in a kernel, or no ipywidgets: tqdm prints plain text bars anyway
    if getattr(notebook, "_finished_bars", False):
        return True

    def display(obj, *args, **kwargs):
        # tqdm.notebook calls display(container) once per bar; keep a handle to update it later.
        if isinstance(obj, notebook.TqdmHBox) and not args and not kwargs:
            obj._output_handle = ipython_display(obj, display_id=True)
            return obj._output_handle
        return ipython_display(obj, *args, **kwargs)

    original_close = notebook.tqdm_notebook.close

    def close(self):
        was_open = not self.disable
        original_close(self)
        handle = getattr(getattr(self, "container", None), "_output_handle", None)
        if was_open and handle is not None:
            bundle = self.container._repr_mimebundle_()       # the same widget view ...
            bundle["text/plain"] = self.container.__repr__(True)  # ... with the final text, as first shown
            handle.update(bundle, raw=True)

    notebook.display = display
    notebook.tqdm_notebook.close = close
    notebook._finished_bars = True
    return True
