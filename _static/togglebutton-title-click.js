/*
 * sphinx-togglebutton 0.4.5: make a click anywhere on a collapsible title
 * safe.
 *
 * Its click handler works out the toggle button from click.target and only
 * knows the title itself, the button and the chevron's <polyline>. A click on
 * anything else in the title -- the "Exercise 2.1" link of a sphinx-exercise
 * solution, or the chevron's <path> -- leaves its undeclared `button` unset:
 * "ReferenceError: button is not defined" (or, after an earlier click, it
 * toggles the solution clicked before).
 *
 * This replacement takes the button from the element the handler is attached
 * to (event.currentTarget: the title, or the button where there is no title),
 * which togglebutton.js gives a data-button attribute naming its button.
 * togglebutton.js loads first and binds its handler by name on
 * DOMContentLoaded, so reassigning the global before then is enough. The
 * link's own default action (going to the exercise) is left alone.
 *
 * jupyter-book injects every *.js under the root _static/ folder into every
 * page (after the extensions' scripts): no entry in _config.yml is needed.
 */
if (typeof toggleClickHandler !== "undefined" && typeof toggleHidden === "function") {
  toggleClickHandler = (event) => {
    const id = event.currentTarget && event.currentTarget.dataset.button;
    const button = id && document.getElementById(id);
    if (button) {
      toggleHidden(button);
    }
  };
}
