"""Accessibility fixes of the HTML that Sphinx and myst-nb write for the book.

A local Sphinx extension (``_config.yml``: ``sphinx.local_extensions`` puts
this folder on the path; ``sphinx.config.extensions`` loads it, last). It
changes how two kinds of node are written, nothing else; the browser tests
(``tests/test_browser.py``, axe-core) check the result.

- The bibliography (sphinxcontrib-bibtex's citations, written by docutils'
  HTML5 writer): docutils 0.21 puts each entry, ``role="doc-biblioentry"``,
  in a ``<div role="list">``. That role is deprecated in DPUB-ARIA 1.1 and is
  no list item, so the list has no items (axe: aria-required-children, a
  critical violation; aria-deprecated-role). Here each entry is a
  ``role="listitem"``. (The other list styles of ``{bibliography}``, bullet
  and enumerated, would be real lists, but citations cannot link to them.)
- A cell with the ``hide-input`` tag (myst-nb): its ``<summary>`` carried
  ``aria-label="Toggle hidden content"``, a name that does not contain the
  visible text "Show code cell source" (axe: label-content-name-mismatch).
  Without the label, the summary is named by what it shows.
"""

from html import escape

from docutils import nodes


def visit_citation(self, node):
    # As docutils' HTMLTranslator.visit_citation, with role="listitem".
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname],
                                   role="listitem"))


def depart_citation(self, node):
    # As docutils' HTMLTranslator.depart_citation.
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), type(node)):
        self.body.append("</div>\n")


def visit_hide_cell(self, node):
    # As myst_nb.sphinx_.visit_HideCellInput, without the summary's aria-label.
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n')
    self.body.append("<summary>\n")
    self.body.append(
        f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n')
    self.body.append(
        f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


def depart_hide_cell(self, node):
    self.body.append("</details>\n")


def setup(app):
    app.setup_extension("myst_nb")  # so that its node is overridden, not ours
    from myst_nb.sphinx_ import HideCodeCellNode

    app.add_node(nodes.citation, override=True,
                 html=(visit_citation, depart_citation))
    app.add_node(HideCodeCellNode, override=True,
                 html=(visit_hide_cell, depart_hide_cell))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
