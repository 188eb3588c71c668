"""Draw the book's logo and favicon, and the figure on its home page.

    .venv/bin/python tools/make_site_images.py

writes, from this one script (the outputs are committed):

- ``_static/logo.svg``: a tiny network (two inputs, three hidden units, one
  output) with the backward pass as an arrow from the output back to the
  inputs; the theme's logo (``logo:`` in _config.yml) and the favicon
  (``html_favicon``);
- ``_extra/favicon.ico``: the same drawing at 16, 32 and 48 pixels, copied
  to the root of the built site (``html_extra_path``), for browsers that ask
  for /favicon.ico;
- ``book/figures/landing_moons.png``: the two-moons network of
  book/09_training.ipynb, trained the same way with nnbook, and how it
  splits the plane: the figure on the home page (book/intro.md).

Nothing is random: the drawing is fixed and the training is seeded, so a
re-run rewrites the same images (up to the PNG encoder's version).
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# --- the drawing, in a 64 x 64 box --------------------------------------------
SIZE = 64
INPUTS = [(14, 19), (14, 39)]
HIDDEN = [(32, 11), (32, 29), (32, 47)]
OUTPUT = [(50, 29)]
RADIUS = 6
EDGE = "#8c96a3"  # grey-blue: visible on the light and the dark theme
NODE = "#2f7fc1"
NODE_EDGE = "#1d4f7a"
ARROW = "#ee7a24"  # the backward pass
ARROW_Y, ARROW_X0, ARROW_X1 = 59, 52, 11  # from the output side to the inputs


def _edges():
    return [(a, b) for a in INPUTS for b in HIDDEN] + [
        (a, b) for a in HIDDEN for b in OUTPUT
    ]


def logo_svg():
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" '
        f'viewBox="0 0 {SIZE} {SIZE}" role="img" aria-labelledby="title">',
        "<title>nnbook: a small network and its backward pass</title>",
        f'<g stroke="{EDGE}" stroke-width="2" stroke-linecap="round">',
    ]
    lines += [f'<line x1="{a[0]}" y1="{a[1]}" x2="{b[0]}" y2="{b[1]}"/>'
              for a, b in _edges()]
    lines.append("</g>")
    lines.append(f'<g fill="{NODE}" stroke="{NODE_EDGE}" stroke-width="1.5">')
    lines += [f'<circle cx="{x}" cy="{y}" r="{RADIUS}"/>'
              for x, y in INPUTS + HIDDEN + OUTPUT]
    lines.append("</g>")
    head = ARROW_X1 + 9
    lines += [
        f'<line x1="{ARROW_X0}" y1="{ARROW_Y}" x2="{head - 1}" y2="{ARROW_Y}" '
        f'stroke="{ARROW}" stroke-width="4" stroke-linecap="round"/>',
        f'<polygon points="{ARROW_X1},{ARROW_Y} {head},{ARROW_Y - 6} '
        f'{head},{ARROW_Y + 6}" fill="{ARROW}"/>',
        "</svg>",
    ]
    return "\n".join(lines) + "\n"


def favicon_ico(path):
    """The same drawing with Pillow, 4x oversampled, saved as an .ico."""
    from PIL import Image, ImageDraw

    scale = 4 * 48 / SIZE  # draw at 192 px, then let Pillow scale down

    def s(*values):
        return [v * scale for v in values]

    img = Image.new("RGBA", (round(SIZE * scale),) * 2, (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    for a, b in _edges():
        draw.line(s(*a, *b), fill=EDGE, width=round(2.5 * scale))
    for x, y in INPUTS + HIDDEN + OUTPUT:
        draw.ellipse(s(x - RADIUS, y - RADIUS, x + RADIUS, y + RADIUS),
                     fill=NODE, outline=NODE_EDGE, width=round(1.5 * scale))
    head = ARROW_X1 + 9
    draw.line(s(ARROW_X0, ARROW_Y, head, ARROW_Y), fill=ARROW,
              width=round(4.5 * scale))
    draw.polygon(s(ARROW_X1, ARROW_Y, head, ARROW_Y - 6.5, head, ARROW_Y + 6.5),
                 fill=ARROW)
    big = img.resize((48, 48), Image.LANCZOS)
    big.save(path, format="ICO", sizes=[(16, 16), (32, 32), (48, 48)])


def landing_figure(path):
    """The two-moons network of the training chapter and its test points."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    import nnbook as nb
    from nnbook.datasets import moons
    from nnbook.plotting import plot_decision_boundary, setup

    setup()
    # As in book/09_training.ipynb.
    moon = moons()
    rng = np.random.default_rng(4)
    net = nb.Sequential([
        nb.Dense(2, 16, init="xavier", rng=rng), nb.Tanh(),
        nb.Dense(16, 16, init="xavier", rng=rng), nb.Tanh(),
        nb.Dense(16, 1, init="xavier", rng=rng), nb.Sigmoid()])
    nb.fit(net, nb.BinaryCrossEntropy(), nb.SGD(0.1, momentum=0.9),
           moon.X_train, moon.y_train, epochs=200, batch_size=32, rng=rng)
    acc = np.mean((net.predict(moon.X_test) > 0.5) == (moon.y_test > 0.5))
    fig, ax = plt.subplots(figsize=(5, 4.2))
    plot_decision_boundary(net.predict, moon.X_test, moon.y_test, ax=ax,
                           title=f"Two moons: {acc:.0%} of test points right")
    fig.tight_layout()
    fig.savefig(path, dpi=100, metadata={"Software": None})
    plt.close(fig)
    return acc


def main():
    (ROOT / "_static" / "logo.svg").write_text(logo_svg(), encoding="utf-8")
    favicon_ico(ROOT / "_extra" / "favicon.ico")
    acc = landing_figure(ROOT / "book" / "figures" / "landing_moons.png")
    print(f"wrote the logo, the favicon and the home page figure "
          f"(test accuracy {acc:.3f})")


if __name__ == "__main__":
    main()
