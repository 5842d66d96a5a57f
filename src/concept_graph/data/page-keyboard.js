/* The keyboard, scoped to this page's own root: when two pages share a document, a key goes to
 * the page that holds the focus, or (focus on the document's body) to the page last used, never to
 * both. Lecture keys and Escape anywhere in the page; on the focused graph the arrow keys move
 * between related concepts, Enter opens one, + and - zoom, Shift+arrows pan, 0 fits. What is
 * chosen is announced in a live region. The toolbar is one Tab stop (arrow keys inside). */
function cgKeyboard(app) {
  var dom = app.dom, model = app.model, root = app.root, q = dom.q;
  var canvas = q("canvas");
  var DIRECTIONS = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

  function activate() {
    Array.prototype.forEach.call(document.querySelectorAll(".cg-root[data-cg-active]"), function (other) {
      if (other !== root) other.removeAttribute("data-cg-active");
    });
    root.setAttribute("data-cg-active", "");
  }
  root.addEventListener("pointerdown", activate, true);
  root.addEventListener("focusin", activate);
  if (!document.querySelector(".cg-root[data-cg-active]")) activate();

  function mine(target) {
    if (target && target.nodeType === 1 && target !== document.body && target !== document.documentElement) {
      return root.contains(target);
    }
    return root.hasAttribute("data-cg-active");
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.defaultPrevented || ev.altKey || ev.ctrlKey || ev.metaKey || !mine(ev.target)) return;
    if (handle(ev)) ev.preventDefault();
  });

  function handle(ev) {
    var s = app.state.get(), key = ev.key;
    var control = /^(INPUT|SELECT|TEXTAREA)$/.test(ev.target.tagName || "");
    if (key === "Escape") {
      if (app.search.isOpen()) { app.search.close(); return true; }
      if (app.lecture.menuOpen()) { app.lecture.closeMenu(true); return true; }
      if (s.present) { app.setPresent(false); return true; }
      if (s.lecture) { app.lecture.go(0); return true; }
      if (s.selected || s.relation) { app.clearSelection(); return true; }
      return false;
    }
    if (control) return false;
    if (s.lecture) {
      if (key === "ArrowRight" || key === "PageDown") { app.lecture.next(); return true; }
      if (key === "ArrowLeft" || key === "PageUp") { app.lecture.prev(); return true; }
      if (key === "Home" && ev.target !== canvas) { app.lecture.go(1); return true; }
      if (key === "End" && ev.target !== canvas) { app.lecture.go(app.lecture.count()); return true; }
    }
    if (ev.target !== canvas) return false;
    if (key === "+" || key === "=") { app.view.zoomBy(1.25); return true; }
    if (key === "-" || key === "_") { app.view.zoomBy(0.8); return true; }
    if (key === "0") { app.view.fit(true); return true; }
    var direction = DIRECTIONS[key];
    if (direction && ev.shiftKey) { app.view.panBy(direction[0] * 80, direction[1] * 80); return true; }
    if (direction) { move(direction); return true; }
    if (key === "Enter") {
      if (!s.selected) { move(null); return true; }
      app.details.showConcept(s.selected);
      app.details.focusHeading();
      return true;
    }
    return false;
  }

  /* To the related concept that lies most nearly in ``direction`` of the selected one (or, with
     none that way, the nearest concept that way); with nothing selected, to the most important. */
  function move(direction) {
    var s = app.state.get(), shown = app.view.shown(), body = app.view.network.body;
    if (!s.selected || !shown.nodes.has(s.selected) || !direction) {
      var first = app.view.snapshot().order[0];
      if (first) app.select(first, { keep: true });
      return;
    }
    var from = body.nodes[s.selected], best = null, bestScore = Infinity, related = new Map();
    model.relationsOf(s.selected).forEach(function (r) {
      if (shown.edges.has(r.id)) related.set(model.otherEnd(r, s.selected), r);
    });
    function score(id) {
      var to = body.nodes[id], dx = to.x - from.x, dy = to.y - from.y;
      var along = dx * direction[0] + dy * direction[1], across = Math.abs(dx * direction[1] - dy * direction[0]);
      return along > 0 ? Math.sqrt(dx * dx + dy * dy) * (1 + 2 * across / along) : Infinity;
    }
    related.forEach(function (r, id) {
      var value = score(id);
      if (value < bestScore) { best = id; bestScore = value; }
    });
    var via = best ? related.get(best) : null;
    if (!best) {
      shown.nodes.forEach(function (id) {
        if (id === s.selected) return;
        var value = score(id);
        if (value < bestScore) { best = id; bestScore = value; }
      });
    }
    if (!best) { app.announce("Nothing further that way."); return; }
    app.select(best, { keep: true, via: via, from: s.selected });
  }

  // The toolbar: one Tab stop, Left/Right (Home/End) between its buttons.
  var toolbar = q("toolbar");
  function buttons() {
    return Array.prototype.filter.call(toolbar.querySelectorAll("button"), function (b) { return !b.disabled; });
  }
  function rove(target) { buttons().forEach(function (b) { b.tabIndex = b === target ? 0 : -1; }); }
  toolbar.addEventListener("focusin", function (ev) { if (ev.target.tagName === "BUTTON") rove(ev.target); });
  toolbar.addEventListener("keydown", function (ev) {
    // In a lecture, Left and Right step through the sections wherever the focus is.
    if (app.state.get().lecture && (ev.key === "ArrowLeft" || ev.key === "ArrowRight")) return;
    var all = buttons(), at = all.indexOf(ev.target);
    var next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: all.length - 1 }[ev.key];
    if (at < 0 || next === undefined) return;
    next = (next + all.length) % all.length;
    rove(all[next]);
    all[next].focus();
    ev.preventDefault();
    ev.stopPropagation();
  });
  rove(buttons()[0]);

  return { move: move };
}
