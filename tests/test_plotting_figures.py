"""What the plotting helpers draw: the data, the classes, the colours, the labels.

``plot_decision_boundary`` is checked through the calls it makes on the
Axes (recorded, then passed on to matplotlib): the grid it asks ``predict``
about, the class of every grid point, and how each class of points is drawn.
A point drawn in another class's colour, or a boundary shaded from the wrong
threshold, is a wrong figure in the book.
"""

import matplotlib
import numpy as np
import pytest

from nnbook import plotting

MARKERS = "os^vDP*o"     # 7 markers cycle against 8 colours


@pytest.fixture
def plt():
    matplotlib.use("Agg")                  # set here, never through MPLBACKEND
    from matplotlib import pyplot
    yield pyplot
    pyplot.close("all")


class Spy:
    """Records the calls of some methods of an Axes and passes them on."""

    def __init__(self, ax, *names):
        self.calls = {name: [] for name in names}
        for name in names:
            setattr(ax, name, self._wrap(name, getattr(ax, name)))

    def _wrap(self, name, method):
        def wrapped(*args, **kwargs):
            self.calls[name].append((args, kwargs))
            return method(*args, **kwargs)
        return wrapped


def draw(plt, predict, X, y, **kwargs):
    _, ax = plt.subplots()
    spy = Spy(ax, "contourf", "scatter")
    asked = []

    def recording_predict(points):
        asked.append(points.copy())
        return predict(points)

    out = plotting.plot_decision_boundary(recording_predict, X, y, ax=ax,
                                          **kwargs)
    assert out is ax
    assert len(asked) == 1
    return ax, spy, asked[0]


X3 = np.array([[0.0, 10.0], [2.0, 14.0], [1.0, 11.0], [0.5, 12.0]])


def test_the_grid_covers_the_data_with_a_margin(plt):
    _, spy, points = draw(plt, lambda p: p[:, :1] * 0, X3, [0, 1, 0, 1],
                          resolution=7)
    assert points.shape == (49, 2)
    np.testing.assert_allclose(np.unique(points[:, 0]),
                               np.linspace(-0.5, 2.5, 7))
    np.testing.assert_allclose(np.unique(points[:, 1]),
                               np.linspace(9.5, 14.5, 7))
    (grid_x, grid_y, classes), _ = spy.calls["contourf"][0]
    assert grid_x.shape == grid_y.shape == classes.shape == (7, 7)
    np.testing.assert_array_equal(np.c_[grid_x.ravel(), grid_y.ravel()],
                                  points)


def test_the_default_resolution_is_200(plt):
    _, _, points = draw(plt, lambda p: p[:, 0] * 0, X3, [0, 1, 0, 1])
    assert points.shape == (200 * 200, 2)


@pytest.mark.parametrize("shape", ["column", "flat"])
def test_one_score_per_point_is_class_1_above_one_half(plt, shape):
    def predict(points):                      # 0.5 exactly on the left half
        score = np.where(points[:, 0] < 1.0, 0.5, 0.7)
        return score[:, None] if shape == "column" else score

    _, spy, points = draw(plt, predict, X3, [0, 1, 0, 1], resolution=5)
    (_, _, classes), kwargs = spy.calls["contourf"][0]
    np.testing.assert_array_equal(classes.ravel(),
                                  (points[:, 0] >= 1.0).astype(int))
    assert np.issubdtype(classes.dtype, np.integer)
    np.testing.assert_array_equal(kwargs["levels"], [-0.5, 0.5, 1.5])


@pytest.mark.parametrize("n_classes", [2, 3])
def test_several_scores_per_point_are_read_by_argmax(plt, n_classes):
    def predict(points):                      # class = which third of x
        scores = np.zeros((len(points), n_classes))
        scores[np.arange(len(points)),
               np.minimum((points[:, 0] + 0.5) // 1.01, n_classes - 1)
               .astype(int)] = 0.4            # all scores below one half
        return scores

    labels = [0, 1, 0, 1] if n_classes == 2 else [0, 2, 1, 1]
    _, spy, points = draw(plt, predict, X3, labels, resolution=6)
    (_, _, classes), kwargs = spy.calls["contourf"][0]
    np.testing.assert_array_equal(classes.ravel(),
                                  predict(points).argmax(axis=1))
    np.testing.assert_array_equal(kwargs["levels"],
                                  np.arange(n_classes + 1) - 0.5)
    assert kwargs["alpha"] == 0.25
    assert list(kwargs["cmap"].colors) == plotting.PALETTE[:n_classes]


def test_each_class_is_drawn_at_its_points_in_its_colour_and_marker(plt):
    y = np.array([2, 0, 1, 2])
    ax, spy, _ = draw(plt, lambda p: np.c_[p[:, 0], -p[:, 0], p[:, 1] * 0],
                      X3, y.reshape(-1, 1), resolution=4)
    calls = spy.calls["scatter"]
    assert len(calls) == 3
    for k, (args, kwargs) in enumerate(calls):
        np.testing.assert_array_equal(args[0], X3[y == k, 0])
        np.testing.assert_array_equal(args[1], X3[y == k, 1])
        assert kwargs == {"c": plotting.PALETTE[k], "marker": MARKERS[k],
                          "edgecolors": "black", "linewidths": 0.5,
                          "label": f"class {k}"}
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "class 0", "class 1", "class 2"]


def test_axis_labels_and_default_title(plt):
    ax, _, _ = draw(plt, lambda p: p[:, 0] > 1, X3, [0, 1, 0, 1],
                    resolution=3)
    assert ax.get_xlabel() == "$x_1$" and ax.get_ylabel() == "$x_2$"
    assert ax.get_title() == "Decision boundary"


def test_without_axes_a_new_figure_is_made(plt):
    ax = plotting.plot_decision_boundary(lambda p: p[:, 0] > 1, X3,
                                         [0, 1, 0, 1], resolution=3)
    assert len(plt.get_fignums()) == 1 and ax.figure.axes == [ax]


def test_the_validation_loss_is_dashed_over_the_same_epochs(plt):
    ax = plotting.plot_loss({"loss": [3.0, 2.0, 1.5],
                             "val_loss": [3.5, 2.5, 2.0]})
    train, val = ax.get_lines()
    assert train.get_linestyle() == "-" and val.get_linestyle() == "--"
    np.testing.assert_array_equal(val.get_xdata(), [1, 2, 3])
    assert val.get_label() == "validation loss"


def test_setup_fixes_every_setting_it_promises(plt):
    saved = np.get_printoptions()
    try:
        with matplotlib.rc_context():
            plotting.setup()
            rc = matplotlib.rcParams
            assert rc["figure.facecolor"] == rc["savefig.facecolor"] == \
                rc["axes.facecolor"] == "white"
            assert tuple(rc["figure.figsize"]) == (6.4, 4.0)
            assert rc["figure.dpi"] == 100
            assert rc["axes.grid"] is True and rc["grid.alpha"] == 0.3
            assert rc["svg.hashsalt"] == "nnbook"
            assert rc["image.cmap"] == "cividis"
            fig, _ = plt.subplots()
            assert repr(fig) == "<Figure size 640x400 with 1 Axes>"
        options = np.get_printoptions()
        assert options["precision"] == 4 and options["suppress"] is True
        assert np.array2string(np.array([1e-9, 0.123456])) == "[0.     0.1235]"
    finally:
        np.set_printoptions(**saved)


def one_hot_by_x(n_classes):
    """A predict that gives class round(x_1), clipped to the classes."""
    return lambda p: np.eye(n_classes)[np.clip(p[:, 0].round(), 0,
                                               n_classes - 1).astype(int)]


def test_eight_classes_get_eight_colours_and_markers(plt):
    X = np.c_[np.arange(8.0), np.arange(8.0) % 3]
    _, spy, _ = draw(plt, one_hot_by_x(8), X, np.arange(8), resolution=4)
    calls = spy.calls["scatter"]
    assert [kw["marker"] for _, kw in calls] == list(MARKERS)
    assert [kw["c"] for _, kw in calls] == plotting.PALETTE


def test_twelve_classes_get_distinct_colour_and_marker_pairs(plt):
    X = np.c_[np.arange(12.0), np.arange(12.0) % 3]
    _, spy, _ = draw(plt, one_hot_by_x(12), X, np.arange(12), resolution=4)
    pairs = [(kw["c"], kw["marker"]) for _, kw in spy.calls["scatter"]]
    assert len(pairs) == len(set(pairs)) == 12
