"""nnbook.explorer: its checks, the static page's HTML, and the live widget.

No kernel and no browser here: the HTML is parsed with the standard
library, the widgets are built without a kernel (ipywidgets then uses a
comm that goes nowhere), and the page's script runs in Node.js on a small
stand-in for the few DOM calls it makes (skipped without Node.js).
``tests/test_browser.py`` moves the sliders of the real pages.
"""

import base64
import itertools
import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser

import matplotlib
import pytest

from nnbook import explorer
from nnbook.explorer import MAX_FRAMES, Explorer, _data_uri as data_uri, explore

A, B = [1, 2], [3, 4, 5]


@pytest.fixture
def plt():
    matplotlib.use("Agg")                  # set here, never through MPLBACKEND
    from matplotlib import pyplot
    pyplot.close("all")
    yield pyplot
    pyplot.close("all")


@pytest.fixture
def fresh(monkeypatch):
    # Each test starts with no explorer built before (model-id counters), and
    # closes its widgets at the end, so the next test may use the same ids.
    monkeypatch.setattr(explorer, "_shown", {})
    monkeypatch.setattr(explorer, "_live", {})
    yield
    for live in explorer._live.values():
        for widget in live:
            widget.close()


def draw_ab(fig, a, b):
    ax = fig.subplots()
    ax.plot([0, 1], [0, a * b])
    ax.set(ylim=(0, 10), xlabel="x", ylabel="y", title=f"a = {a}, b = {b}")
    return f"a={a} b={b} ab={a * b}"


def make(**kwargs):
    options = dict(labels={"a": "slope a"}, formats={"b": "b={:.1f}"})
    options.update(kwargs)
    return Explorer(draw_ab, "ab", "Line of slope {a} times {b}",
                    {"a": A, "b": B}, **options)


class Page(HTMLParser):
    """The tags (with their attributes) and the text inside each tag."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags, self._open = [], []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": ""}
        self.tags.append(element)
        if tag not in ("img", "input", "br"):
            self._open.append(element)

    def handle_endtag(self, tag):
        assert self._open and self._open[-1]["tag"] == tag, f"stray </{tag}>"
        self._open.pop()

    def handle_data(self, data):
        if self._open:
            self._open[-1]["text"] += data

    def all(self, tag, **attrs):
        return [t for t in self.tags if t["tag"] == tag
                and all(t["attrs"].get(k) == v for k, v in attrs.items())]

    def data(self):
        (script,) = self.all("script", type="application/json")
        return json.loads(script["text"])


def png_of(uri):
    prefix = "data:image/png;base64,"
    assert uri.startswith(prefix)
    return base64.b64decode(uri[len(prefix):])


# --- checks of the arguments ------------------------------------------------

@pytest.mark.parametrize("name", ["", "a b", "a_b", "x</script>", 3, None])
def test_bad_name(name):
    with pytest.raises(ValueError, match=r"name must be letters, digits and '-'"
                                         rf" only, got {name!r:.3}"):
        Explorer(draw_ab, name, "alt", {"a": A})


def test_draw_must_be_callable():
    with pytest.raises(TypeError, match="draw must be callable, got str"):
        Explorer("draw", "x", "alt", {"a": A})


@pytest.mark.parametrize("sliders", [{}, None, [("a", A)]])
def test_sliders_must_be_a_non_empty_dict(sliders):
    with pytest.raises(ValueError, match="^sliders must be a non-empty dict: "
                                         "slider name -> sequence of values"):
        Explorer(draw_ab, "x", "alt", sliders)


def test_slider_without_values():
    with pytest.raises(ValueError, match="slider 'b' has no values"):
        Explorer(draw_ab, "x", "alt", {"a": A, "b": []})


@pytest.mark.parametrize("key", ["a b", "1a", ""])
def test_slider_names_are_python_names(key):
    with pytest.raises(ValueError, match=f"^slider names must be Python names.*"
                                         f"got {key!r}"):
        Explorer(draw_ab, "x", "alt", {key: A})


def test_too_many_frames_fails_before_drawing():
    calls = []
    with pytest.raises(ValueError, match=f"the sliders give {MAX_FRAMES + 1} "
                                         f"combinations of values; at most "
                                         f"{MAX_FRAMES} frames"):
        Explorer(lambda fig, **v: calls.append(v), "x", "alt",
                 {"a": range(MAX_FRAMES + 1), "b": [0]})
    assert calls == []
    Explorer(draw_ab, "x", "alt", {"a": range(8), "b": range(8)})  # 64: fine
    assert MAX_FRAMES == 64


def test_default_must_be_one_of_the_values():
    with pytest.raises(ValueError, match=r"default of slider 'b' must be one "
                                         r"of its values \[3, 4, 5\], got 3.5"):
        make(defaults={"b": 3.5})


def test_defaults_labels_formats():
    e = make(defaults={"b": 5})
    assert e.defaults == {"a": 1, "b": 5}
    assert e.labels == {"a": "slope a", "b": "b"}
    assert e.formats == {"a": None, "b": "b={:.1f}"}
    assert e.values == {"a": A, "b": B}
    assert (e.figsize, e.dpi) == ((6.4, 3.2), 72)


def test_default_format_is_g_for_numbers_and_str_for_text():
    assert [explorer._format(v, None) for v in (0.001, 1e-12, 3, 2.5)] == [
        "0.001", "1e-12", "3", "2.5"]
    assert explorer._format("tanh", None) == "tanh"
    # {:g}, not str: 3.0 -> "3", 1234567.0 -> "1.23457e+06"
    assert [explorer._format(v, None) for v in (3.0, 1234567.0)] == [
        "3", "1.23457e+06"]
    e = Explorer(lambda fig, act: act, "act", "{act}", {"act": ["relu", "tanh"]})
    assert 'data-labels=\'["relu", "tanh"]\'' in e.html().replace("&quot;", '"')


def test_explore_is_explorer_with_a_dict_of_sliders():
    e = explore(draw_ab, "ab", "alt {a}", a=A, b=(v for v in B))
    assert isinstance(e, Explorer)
    assert (e.draw, e.name, e.alt) == (draw_ab, "ab", "alt {a}")
    assert e.values == {"a": A, "b": B}                  # a generator is listed
    assert e.labels == {"a": "a", "b": "b"}
    assert e.defaults == {"a": 1, "b": 3}


def test_text_names_the_sliders():
    assert repr(make()) == "Explorer 'ab': slope a (2 values), b (3 values)"


# --- drawing --------------------------------------------------------------

def test_render_returns_png_readout_alt_and_closes_its_figure(plt):
    e = make(figsize=(3, 2), dpi=50)
    png, readout, alt = e.render(a=2, b=4)
    assert png.startswith(b"\x89PNG")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (150, 100)                 # figsize x dpi
    assert readout == "a=2 b=4 ab=8"
    assert alt == "Line of slope 2 times 4"
    assert plt.get_fignums() == []


def test_render_closes_the_figure_when_draw_fails(plt):
    def broken(fig, a):
        fig.subplots()
        raise RuntimeError("drawing failed")

    with pytest.raises(RuntimeError, match="drawing failed"):
        Explorer(broken, "x", "alt", {"a": A}).render(a=1)
    assert plt.get_fignums() == []


def test_readout_none_and_alt_function(plt):
    e = Explorer(lambda fig, a: None, "x", lambda a: f"alt of {a * 10}", {"a": A})
    _, readout, alt = e.render(a=2)
    assert (readout, alt) == ("", "alt of 20")


def test_frames_are_row_major_and_drawn_once(plt):
    calls = []

    def draw(fig, a, b):
        calls.append((a, b))
        return draw_ab(fig, a, b)

    e = Explorer(draw, "x", "{a},{b}", {"a": A, "b": B})
    frames = e.frames()
    assert calls == list(itertools.product(A, B))     # b moves fastest
    assert [f[1] for f in frames] == [f"a={a} b={b} ab={a * b}"
                                      for a, b in itertools.product(A, B)]
    assert [f[2] for f in frames] == [f"{a},{b}" for a, b in itertools.product(A, B)]
    e.frames()
    e.html()
    assert len(calls) == len(A) * len(B)               # cached
    assert plt.get_fignums() == []


# --- the static page ------------------------------------------------------

def test_html_structure(plt):
    e = make(defaults={"b": 4})
    page = Page(e.html())
    frames = e.frames()
    first = 1                                           # a = 1 (0), b = 4 (1)

    (root,) = page.all("div")
    assert root["attrs"] == {"class": "nnbook-explorer", "id": "nnbook-explorer-ab"}
    (img,) = page.all("img")
    assert img["attrs"]["alt"] == "Line of slope 1 times 4" == frames[first][2]
    assert png_of(img["attrs"]["src"]) == frames[first][0]
    (readout,) = page.all("p", **{"class": "nnbook-explorer-readout"})
    assert readout["attrs"]["aria-live"] == "polite"
    assert readout["text"] == "a=1 b=4 ab=4"

    inputs = page.all("input")
    assert len(inputs) == 2
    expected = {"a": ("slope a", "1", ["1", "2"], "0"),
                "b": ("b", "b=4.0", ["b=3.0", "b=4.0", "b=5.0"], "1")}
    for attrs in (i["attrs"] for i in inputs):
        key = attrs["data-key"]
        label, valuetext, labels, value = expected.pop(key)
        assert attrs["type"] == "range"
        assert attrs["id"] == f"nnbook-explorer-ab-{key}"
        (for_label,) = page.all("label", **{"for": attrs["id"]})
        assert for_label["text"] == label
        (output,) = page.all("output", **{"for": attrs["id"]})
        assert output["text"] == valuetext
        assert attrs["aria-valuetext"] == valuetext
        assert json.loads(attrs["data-labels"]) == labels
        assert (attrs["min"], attrs["max"], attrs["step"], attrs["value"]) == (
            "0", str(len(labels) - 1), "1", value)
    assert expected == {}
    assert len(page.all("script")) == 2
    assert '{"keys":["a","b"],"sizes":[2,3],' in e.html()   # compact JSON


def test_html_data_has_every_frame_once(plt):
    e = make(defaults={"a": 2, "b": 5})
    data = Page(e.html()).data()
    frames = e.frames()
    first = len(frames) - 1
    assert data["keys"] == ["a", "b"] and data["sizes"] == [2, 3]
    assert len(data["frames"]) == len(data["readouts"]) == len(data["alts"]) == 6
    assert data["frames"][first] is None               # it is the <img>'s src
    for i, (png, readout, alt) in enumerate(frames):
        if i != first:
            assert png_of(data["frames"][i]) == png
        assert data["readouts"][i] == readout and data["alts"][i] == alt
    # The page's rule (index = index * size + position, slider by slider)
    # finds the frame of every choice of values.
    for (i, a), (j, b) in itertools.product(enumerate(A), enumerate(B)):
        index = i * data["sizes"][1] + j
        assert data["readouts"][index] == f"a={a} b={b} ab={a * b}"
        assert data["alts"][index] == f"Line of slope {a} times {b}"


def test_html_escapes_text_and_closing_tags(plt):
    tricky = 'x < y & "z" </script><b>'

    def draw(fig, a):
        fig.subplots().set_title("t")
        return f"{tricky} {a}"

    text = Explorer(draw, "x", "alt " + tricky + " {a}", {"a": A},
                    labels={"a": "<i>a</i>"}).html()
    assert text.count("</script>") == 2                 # only the two real ends
    start = text.index('<script type="application/json">')
    outside = text[:start] + text[text.index("</script>", start):]
    assert "<b>" not in outside and "<i>" not in outside  # HTML-escaped there
    page = Page(text)
    assert page.all("p")[0]["text"] == f"{tricky} 1"
    assert page.all("img")[0]["attrs"]["alt"] == f"alt {tricky} 1"
    assert page.all("label")[0]["text"] == "<i>a</i>"
    data = page.data()
    assert data["readouts"] == [f"{tricky} 1", f"{tricky} 2"]
    assert data["alts"] == [f"alt {tricky} 1", f"alt {tricky} 2"]


def test_page_script_is_parametrized_by_the_id(plt):
    text = make().html()
    (script,) = [t for t in Page(text).all("script") if not t["attrs"]]
    assert 'document.getElementById("nnbook-explorer-ab")' in script["text"]
    assert "UID" not in script["text"]


NODE_HARNESS = r"""
const page = JSON.parse(require("fs").readFileSync(0, "utf8"));
function element(attrs) {
  const el = {attrs: Object.assign({}, attrs), listeners: {}, textContent: "",
              dataset: {}, value: attrs.value};
  el.setAttribute = (k, v) => { el.attrs[k] = String(v); };
  el.getAttribute = (k) => (k in el.attrs ? el.attrs[k] : null);
  el.addEventListener = (type, f) => { (el.listeners[type] ||= []).push(f); };
  return el;
}
const img = element(page.img);
img.src = page.img.src; img.alt = page.img.alt;
const readout = element({}); readout.textContent = page.readout;
const inputs = page.inputs.map((attrs) => {
  const input = element(attrs);
  input.dataset.labels = attrs["data-labels"];
  input.nextElementSibling = element({});
  return input;
});
inputs.forEach = Array.prototype.forEach.bind(inputs);
const json = {textContent: page.json};
const root = {querySelector: (s) => ({'script[type="application/json"]': json,
                                      "img": img,
                                      ".nnbook-explorer-readout": readout})[s],
              querySelectorAll: (s) => (s === 'input[type="range"]' ? inputs : [])};
global.document = {getElementById: (id) => (id === page.id ? root : null)};
eval(page.script);
const seen = [];
for (const moves of page.moves) {
  moves.forEach((value, i) => { inputs[i].value = String(value); });
  inputs[0].listeners.input.forEach((f) => f());
  seen.push({src: img.src, alt: img.alt, readout: readout.textContent,
             valuetexts: inputs.map((i) => i.attrs["aria-valuetext"]),
             outputs: inputs.map((i) => i.nextElementSibling.textContent)});
}
process.stdout.write(JSON.stringify(seen));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
def test_page_script_shows_the_frame_the_sliders_pick(plt):
    e = make(defaults={"b": 4})
    page = Page(e.html())
    (img,), (readout,) = page.all("img"), page.all("p")
    (script,) = [t for t in page.all("script") if not t["attrs"]]
    (json_script,) = page.all("script", type="application/json")
    moves = [[1, 2], [0, 0], [0, 1], [1, 0]]            # (0, 1) is the <img>'s
    stdin = json.dumps({
        "id": "nnbook-explorer-ab", "img": img["attrs"], "readout": readout["text"],
        "inputs": [i["attrs"] for i in page.all("input")],
        "json": json_script["text"], "script": script["text"], "moves": moves})
    result = subprocess.run(["node", "-e", NODE_HARNESS], input=stdin, text=True,
                            capture_output=True, timeout=60, check=True)
    seen = json.loads(result.stdout)
    frames = e.frames()
    labels_b = ["b=3.0", "b=4.0", "b=5.0"]
    for (i, j), shown in zip(moves, seen):
        png, text, alt = frames[i * 3 + j]
        assert png_of(shown["src"]) == png
        assert (shown["readout"], shown["alt"]) == (text, alt)
        assert shown["valuetexts"] == shown["outputs"] == [str(A[i]), labels_b[j]]


# --- JupyterLab -----------------------------------------------------------

def test_widget_has_fixed_model_ids_and_redraws(plt, fresh):
    e = make()
    box = e.widget()
    *sliders, image, text = box.children
    assert box.model_id == "nnbook-ab-box"
    assert image.model_id == "nnbook-ab-image"
    assert text.model_id == "nnbook-ab-readout"
    assert [s.model_id for s in sliders] == ["nnbook-ab-slider-a", "nnbook-ab-slider-b"]
    assert box.layout.model_id == "nnbook-ab-box-layout"
    assert sliders[0].style.model_id == "nnbook-ab-slider-a-style"
    assert [s.description for s in sliders] == ["slope a", "b"]
    assert [s.continuous_update for s in sliders] == [False, False]
    assert "format" not in image.keys    # an HTML widget: <img> with alt text
    assert sliders[1].options == (("b=3.0", 3), ("b=4.0", 4), ("b=5.0", 5))
    assert text.value == "a=1 b=3 ab=3"
    assert image.value == (f'<img src="{data_uri(e.render(a=1, b=3)[0])}" '
                           'alt="Line of slope 1 times 3">')

    sliders[1].value = 5
    assert text.value == "a=1 b=5 ab=5"
    assert image.value == (f'<img src="{data_uri(e.render(a=1, b=5)[0])}" '
                           'alt="Line of slope 1 times 5">')
    sliders[0].value = 2
    assert text.value == "a=2 b=5 ab=10"
    assert plt.get_fignums() == []


def test_widget_readout_is_escaped(plt, fresh):
    box = Explorer(lambda fig, a: f"<b>{a}</b> & more", "esc", "alt", {"a": A}).widget()
    assert box.children[-1].value == "&lt;b&gt;1&lt;/b&gt; &amp; more"


def test_second_build_of_a_name_gets_new_ids_and_closes_the_first(plt, fresh):
    first = make().widget()
    assert first.comm is not None
    second = make().widget()
    assert second.model_id == "nnbook-ab-2-box"
    assert second.children[0].model_id == "nnbook-ab-2-slider-a"
    assert first.comm is None                           # closed, and all its
    parts = [*first.children, first.layout, first.children[0].style]
    assert all(part.comm is None for part in parts)     # parts too
    # Kept to close: 5 widgets, their 5 layouts, 3 styles (readout, sliders).
    assert len(explorer._live["ab"]) == 14
    third = make().widget()
    assert third.model_id == "nnbook-ab-3-box" and second.comm is None
    other = Explorer(draw_ab, "other", "alt", {"a": A, "b": B}).widget()
    assert other.model_id == "nnbook-other-box"         # counted per name
    assert third.comm is not None


def test_mimebundle_outside_a_kernel_has_no_widget_view(plt, fresh):
    e = make()
    bundle = e._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"}
    assert bundle["text/plain"] == repr(e)
    assert bundle["text/html"] == e.html()
    assert explorer._shown == {}                        # no widget was built


def test_mimebundle_in_a_kernel_adds_the_widget_view(plt, fresh, monkeypatch):
    monkeypatch.setattr(explorer, "_in_kernel", lambda: True)
    e = make()
    bundle = e._repr_mimebundle_()
    view = bundle["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == "nnbook-ab-box"
    assert bundle["text/html"] == e.html()
    assert repr(e) == bundle["text/plain"]
    assert explorer._shown == {"ab": 1}                 # repr() built no widget


def test_not_in_a_kernel_here():
    assert explorer._in_kernel() is False


def test_in_kernel_needs_a_shell_with_a_kernel(monkeypatch):
    import IPython

    class Shell:
        kernel = None

    monkeypatch.setattr(IPython, "get_ipython", lambda: Shell())
    assert explorer._in_kernel() is False               # IPython, no kernel
    Shell.kernel = object()
    assert explorer._in_kernel() is True


def test_a_format_may_be_a_function(plt):
    e = Explorer(draw_ab, "x", "alt", {"a": A, "b": B},
                 formats={"a": lambda v: f"<{v * 10}>"})
    attrs = Page(e.html()).all("input")[0]["attrs"]
    assert json.loads(attrs["data-labels"]) == ["<10>", "<20>"]
    assert attrs["aria-valuetext"] == "<10>"


# --- edges the mutation run found untested ---------------------------------

def test_a_name_may_hold_capitals_digits_and_dashes(plt, fresh):
    assert Explorer(draw_ab, "Secant-2B", "alt", {"a": A}).name == "Secant-2B"


def test_html_ends_the_explorer_and_puts_one_slider_per_line(plt):
    page = make().html()
    assert page.startswith('<div class="nnbook-explorer" id="nnbook-explorer-ab">')
    assert page.endswith("</script>\n</div>")
    assert "</output><br>\n<label" in page          # two sliders, two lines
    assert "</output>\n<script" in page


def test_frames_are_drawn_at_the_explorer_dpi(plt):
    seen = []
    e = Explorer(lambda fig, a: seen.append(fig.dpi), "d", "alt", {"a": A}, dpi=50)
    e.render(a=1)
    assert seen == [50]


def test_not_in_a_kernel_without_ipython_or_its_kernel(monkeypatch):
    import IPython

    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    assert explorer._in_kernel() is False            # a shell without kernel
    monkeypatch.setitem(sys.modules, "IPython", None)   # not installed
    assert explorer._in_kernel() is False


def test_widget_starts_at_the_default_values(plt, fresh):
    box = make(defaults={"b": 5}).widget()
    assert [s.value for s in box.children[:2]] == [1, 5]
    assert box.children[-1].value == "a=1 b=5 ab=5"
