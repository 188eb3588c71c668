"""Explorers: a figure that answers sliders, in JupyterLab and on the web page.

An explorer is a drawing function of a few numbers plus a list of values for
each number. It shows itself two ways, from one cell:

- **live**, in JupyterLab with a running kernel: ipywidgets sliders, and
  every movement calls the drawing function again (so a reader who edits it
  sees the change);
- **static**, on the book's web page (no kernel): every combination of slider
  values is drawn once when the notebook runs, stored as small PNG frames in
  the cell's HTML output, and a few lines of JavaScript show the frame that
  the page's sliders pick.

The cell's output holds both (a MIME bundle with the widget view and the
HTML); JupyterLab shows the widget, the book shows the HTML (``_config.yml``
ranks the widget view last for the HTML builder).

Every widget gets a model id made from the explorer's ``name``, so running a
notebook again gives the same output, and saving it in JupyterLab leaves no
diff. ``name`` must therefore be unique within a notebook.

matplotlib and ipywidgets are needed here, not for the engine.
"""

import base64
import html
import io
import itertools
import json
import re

#: How many frames one explorer may precompute: the product of the lengths
#: of its value lists. Each frame is a PNG of a few tens of kB in the page.
MAX_FRAMES = 64

_shown = {}          # name -> how many times an explorer of that name was built
_live = {}           # name -> the widgets of the last one (closed on a rebuild)


def _in_kernel():
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def _format(value, fmt):
    if fmt is None:                 # the default: numbers as {:g}, text as is
        return format(value, "g") if isinstance(value, (int, float)) else str(value)
    return fmt(value) if callable(fmt) else fmt.format(value)


class Explorer:
    """A figure drawn by ``draw(fig, **values)``, with one slider per value.

    Parameters
    ----------
    draw : callable
        ``draw(fig, **values)`` draws on the matplotlib Figure ``fig`` (empty
        at each call) and returns a one-line readout (str) of the numbers
        the figure shows, or None.
    name : str
        Identifies the explorer in the page and in the widget model ids:
        letters, digits and ``-`` only, unique within a notebook.
    alt : str or callable
        Alt text of a frame: a format string filled with the values (for
        example ``"Secant of slope {slope} at h = {h}"``) or a function
        ``alt(**values) -> str``. Say what the figure shows.
    sliders : dict
        Slider name -> sequence of values (each slider moves through these,
        in this order). At most :data:`MAX_FRAMES` combinations in all.
    labels : dict, optional
        Slider name -> label shown next to it (default: the name).
    formats : dict, optional
        Slider name -> format string or function for a value's label
        (default ``"{:g}"`` for numbers, ``str`` for anything else).
    defaults : dict, optional
        Slider name -> the value shown first (default: the first value).
    figsize : tuple of float, inches
    dpi : int, resolution of the frames
    """

    def __init__(self, draw, name, alt, sliders, labels=None, formats=None,
                 defaults=None, figsize=(6.4, 3.2), dpi=72):
        if not callable(draw):
            raise TypeError(f"draw must be callable, got {type(draw).__name__}.")
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9-]+", name):
            raise ValueError(
                f"name must be letters, digits and '-' only, got {name!r}.")
        if not isinstance(sliders, dict) or not sliders:
            raise ValueError("sliders must be a non-empty dict: slider name -> "
                             f"sequence of values, got {sliders!r}.")
        self.draw, self.name, self.alt = draw, name, alt
        self.figsize, self.dpi = figsize, dpi
        self.values = {}
        for key, values in sliders.items():
            if not isinstance(key, str) or not key.isidentifier():
                raise ValueError("slider names must be Python names (they are "
                                 f"draw's keyword arguments), got {key!r}.")
            values = list(values)
            if not values:
                raise ValueError(f"slider {key!r} has no values.")
            self.values[key] = values
        n_frames = 1
        for values in self.values.values():
            n_frames *= len(values)
        if n_frames > MAX_FRAMES:
            raise ValueError(f"the sliders give {n_frames} combinations of "
                             f"values; at most {MAX_FRAMES} frames are stored.")
        self.labels = {k: (labels or {}).get(k, k) for k in self.values}
        self.formats = {k: (formats or {}).get(k) for k in self.values}
        self.defaults = {}
        for key, values in self.values.items():
            value = (defaults or {}).get(key, values[0])
            if value not in values:
                raise ValueError(f"default of slider {key!r} must be one of "
                                 f"its values {values}, got {value!r}.")
            self.defaults[key] = value
        self._frames = None

    # --- drawing --------------------------------------------------------
    def render(self, **values):
        """Draw one frame: returns (PNG bytes, readout str, alt str)."""
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=self.figsize, dpi=self.dpi)
        try:
            readout = self.draw(fig, **values)
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=self.dpi)
        finally:
            plt.close(fig)
        alt = (self.alt(**values) if callable(self.alt)
               else self.alt.format(**values))
        return buffer.getvalue(), readout or "", alt

    def text(self):
        """One line that names the explorer and its sliders (text/plain)."""
        return (f"Explorer {self.name!r}: "
                + ", ".join(f"{self.labels[k]} ({len(v)} values)"
                            for k, v in self.values.items()))

    def frames(self):
        """Every frame, in the order of ``itertools.product`` of the values."""
        if self._frames is None:
            keys = list(self.values)
            self._frames = [self.render(**dict(zip(keys, combo)))
                            for combo in itertools.product(*self.values.values())]
        return self._frames

    # --- the static page ------------------------------------------------
    def _index(self, picks):
        # Frame index of a choice of value positions (row-major, as product).
        index = 0
        for key in self.values:
            index = index * len(self.values[key]) + picks[key]
        return index

    def html(self):
        """The static explorer: frames, sliders and a small script."""
        frames = self.frames()
        picks = {k: self.values[k].index(v) for k, v in self.defaults.items()}
        first = self._index(picks)
        png, readout, alt = frames[first]
        uid = f"nnbook-explorer-{self.name}"
        esc = html.escape
        controls = []
        for key, values in self.values.items():
            labels = [_format(v, self.formats[key]) for v in values]
            controls.append(
                f'<label for="{uid}-{key}">{esc(self.labels[key])}</label> '
                f'<input type="range" id="{uid}-{key}" data-key="{esc(key)}" '
                f'min="0" max="{len(values) - 1}" step="1" value="{picks[key]}" '
                f'aria-valuetext="{esc(labels[picks[key]])}" '
                f"data-labels='{esc(json.dumps(labels))}'> "
                f'<output for="{uid}-{key}">{esc(labels[picks[key]])}</output>')
        # The first frame shown is the <img>'s src; its place in "frames" is
        # null (the script shows the src again), so no PNG is stored twice.
        data = {"keys": list(self.values),
                "sizes": [len(v) for v in self.values.values()],
                "frames": [None if i == first else _data_uri(f[0])
                           for i, f in enumerate(frames)],
                "readouts": [f[1] for f in frames],
                "alts": [f[2] for f in frames]}
        return (
            f'<div class="nnbook-explorer" id="{uid}">\n'
            f'<img src="{_data_uri(png)}" alt="{esc(alt)}">\n'
            f'<p class="nnbook-explorer-readout" aria-live="polite">'
            f'{esc(readout)}</p>\n'
            + "<br>\n".join(controls) + "\n"
            f'<script type="application/json">{_json_in_html(data)}</script>\n'
            f"<script>{_SCRIPT.replace('UID', uid)}</script>\n"
            "</div>")

    # --- JupyterLab -----------------------------------------------------
    def widget(self):
        """The live explorer: sliders that redraw through ``draw``."""
        import ipywidgets as widgets

        # A cell run again builds the explorer again: close the widgets of
        # the last build, and number the new ids (a model id is used once).
        count = _shown.get(self.name, 0) + 1
        _shown[self.name] = count
        for old in _live.pop(self.name, []):
            old.close()
        prefix = f"nnbook-{self.name}" + ("" if count == 1 else f"-{count}")
        made = _live[self.name] = []

        def make(cls, part, **kwargs):
            # Fixed model ids (and for the parts each widget makes itself:
            # layout, style) so the stored output is the same on every run.
            kwargs["layout"] = widgets.Layout(model_id=f"{prefix}-{part}-layout")
            made.append(kwargs["layout"])
            style = cls.class_traits().get("style")
            if style is not None:
                kwargs["style"] = style.klass(model_id=f"{prefix}-{part}-style")
                made.append(kwargs["style"])
            made.append(cls(model_id=f"{prefix}-{part}", **kwargs))
            return made[-1]

        def img(png, alt):
            # An <img> in an HTML widget, not an Image widget: it carries the
            # alt text (an Image widget with a tooltip fails to draw in Lab).
            return f'<img src="{_data_uri(png)}" alt="{html.escape(alt)}">'

        png, readout, alt = self.render(**self.defaults)
        image = make(widgets.HTML, "image", value=img(png, alt))
        text = make(widgets.HTML, "readout", value=html.escape(readout))
        sliders = {}
        for key, values in self.values.items():
            options = [(_format(v, self.formats[key]), v) for v in values]
            sliders[key] = make(
                widgets.SelectionSlider, f"slider-{key}", options=options,
                value=self.defaults[key], description=self.labels[key],
                continuous_update=False)

        def update(_change=None):
            values = {k: s.value for k, s in sliders.items()}
            png, readout, alt = self.render(**values)
            image.value, text.value = img(png, alt), html.escape(readout)

        for slider in sliders.values():
            slider.observe(update, names="value")
        return make(widgets.VBox, "box", children=[*sliders.values(), image, text])

    def _repr_mimebundle_(self, include=None, exclude=None):
        # What a notebook stores as the cell's output: the page's HTML, the
        # text, and (with a kernel) the live widget's view.
        bundle = {"text/plain": self.text(), "text/html": self.html()}
        if _in_kernel():
            try:
                import ipywidgets  # noqa: F401
            except ImportError:
                return bundle
            view = self.widget()._repr_mimebundle_()
            bundle["application/vnd.jupyter.widget-view+json"] = view[
                "application/vnd.jupyter.widget-view+json"]
        return bundle

    def __repr__(self):
        return self.text()


def explore(draw, name, alt, **sliders):
    """Build an :class:`Explorer` with one slider per keyword argument.

    ``explore(draw, "secant", "Secant at h = {h}", h=[1, 0.1, 0.01])`` is
    ``Explorer(draw, "secant", "Secant at h = {h}", {"h": [1, 0.1, 0.01]})``.
    For labels, formats and defaults, use :class:`Explorer`.
    """
    return Explorer(draw, name, alt, sliders)


def _data_uri(png):
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _json_in_html(data):
    # JSON inside <script>: "</" must not close the element.
    return json.dumps(data, separators=(",", ":")).replace("</", "<\\/")


# The static page's player: the sliders pick a frame, row-major over the
# sliders in order. UID is replaced by the explorer's element id.
_SCRIPT = """(function () {
  var root = document.getElementById("UID");
  if (!root) { return; }
  var data = JSON.parse(root.querySelector('script[type="application/json"]').textContent);
  var img = root.querySelector("img");
  var first = img.getAttribute("src");     // the frame shown at first
  var readout = root.querySelector(".nnbook-explorer-readout");
  var inputs = root.querySelectorAll('input[type="range"]');
  function show() {
    var index = 0;
    inputs.forEach(function (input, i) {
      var labels = JSON.parse(input.dataset.labels);
      var label = labels[Number(input.value)];
      input.setAttribute("aria-valuetext", label);
      input.nextElementSibling.textContent = label;
      index = index * data.sizes[i] + Number(input.value);
    });
    img.src = data.frames[index] || first;
    img.alt = data.alts[index];
    readout.textContent = data.readouts[index];
  }
  inputs.forEach(function (input) { input.addEventListener("input", show); });
})();"""
