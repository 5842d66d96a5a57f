/* Lecture mode: step through the article section by section, or through a storyboard (a lecture
 * told with the graph, from the graph folder's lecture.yaml). A step of the sections adds what the
 * next section grounds; a storyboard's step shows its own view. Either names what is new and shows
 * its heading; the graph takes the legend's room. With storyboards, the Lecture button offers
 * them beside the article's sections. */
function cgLecture(app) {
  var dom = app.dom, model = app.model, q = dom.q, el = dom.el;
  var sections = model.sections;
  var legendBefore = null;
  var menu = q("lecture-menu"), button = q("lecture");

  /* Counts of what a step brings. */
  function brings(step) {
    var out = { concepts: 0, relations: 0 };
    model.concepts.forEach(function (c) { if (model.firstSection(c) === step) out.concepts++; });
    model.relations.forEach(function (r) { if (model.firstSection(r) === step) out.relations++; });
    return out;
  }

  function sync() {
    var s = app.state.get(), story = app.state.step();
    q("banner").hidden = !s.lecture;
    room(s.lecture > 0);
    button.setAttribute("aria-pressed", String(s.lecture > 0));
    if (!s.lecture) return;
    var count = app.state.steps(), fresh, heading;
    if (story) {
      fresh = { concepts: story.newConcepts.length, relations: story.newRelations.length };
      heading = story.title;
      q("step").textContent = "Step " + s.lecture + " of " + count + " \u00b7 " + model.boards.get(s.board).title +
        " \u00b7 +" + dom.plural(fresh.concepts, "concept") + ", +" + dom.plural(fresh.relations, "relation");
    } else {
      fresh = brings(s.lecture);
      heading = sections[s.lecture - 1].heading;
      q("step").textContent = "Section " + s.lecture + " of " + count + " \u00b7 +" +
        dom.plural(fresh.concepts, "concept") + ", +" + dom.plural(fresh.relations, "relation");
    }
    q("step-heading").textContent = heading;
    q("prev").disabled = s.lecture <= 1;
    q("next").disabled = s.lecture >= count;
    q("prev").setAttribute("aria-label", story ? "Previous step" : "Previous section");
    q("next").setAttribute("aria-label", story ? "Next step" : "Next section");
  }

  /* Lecture mode hides the legend; leaving it brings the legend back as it was. */
  function room(on) {
    var side = q("sidepanel");
    if (on && legendBefore === null) {
      legendBefore = !side.hidden;
      side.hidden = true;
    } else if (!on && legendBefore !== null) {
      side.hidden = !legendBefore;
      legendBefore = null;
    } else {
      return;
    }
    q("side").setAttribute("aria-pressed", String(!side.hidden));
    app.view.resized();
  }

  /* Go to a step (0 leaves lecture mode) of the current lecture, or of the storyboard ``board``
     ("" for the article's sections). */
  function go(step, board) {
    var s = app.state.get();
    if (board !== undefined) s.board = model.boards.has(board) ? board : "";
    if (!step) s.board = "";
    s.lecture = Math.max(0, Math.min(step, app.state.steps()));
    if (s.lecture) {
      s.section = 0;
      s.path = [];
      if (s.board) {
        // A storyboard's step is its own view: what a link or the legend narrowed it to goes.
        s.focus = null;
        s.highlight = new Set();
        s.top = 0;
      }
    }
    s.selected = null;
    s.relation = null;
    app.details.close();
    app.view.network.unselectAll();
    app.update();
  }

  function next() {
    var s = app.state.get();
    go(s.lecture ? Math.min(app.state.steps(), s.lecture + 1) : 1);
  }

  function prev() {
    var s = app.state.get();
    go(s.lecture ? Math.max(1, s.lecture - 1) : 1);
  }

  function count() { return app.state.steps(); }

  // ---- the menu of lectures --------------------------------------------------------------------------
  function buildMenu() {
    function item(title, detail, board) {
      return el("button", { type: "button", role: "menuitem", "data-board": board,
                            onclick: function () { closeMenu(); go(1, board); } },
                [el("span", { className: "cg-menu-title", text: title }), el("span", { className: "cg-menu-detail", text: detail })]);
    }
    menu.appendChild(item("The article\u2019s sections", dom.plural(sections.length, "step") + ", in the article\u2019s order", ""));
    model.boards.forEach(function (board, name) {
      menu.appendChild(item(board.title, dom.plural(board.steps.length, "step") + " \u00b7 " + name, name));
    });
  }

  function items() { return Array.prototype.slice.call(menu.querySelectorAll("button")); }

  function openMenu() {
    var bar = button.closest(".cg-bar").getBoundingClientRect(), at = button.getBoundingClientRect();
    menu.style.left = Math.max(8, Math.min(at.left - bar.left, bar.width - 340)) + "px";
    menu.hidden = false;
    button.setAttribute("aria-expanded", "true");
    items()[0].focus();
  }

  function closeMenu(refocus) {
    if (menu.hidden) return;
    menu.hidden = true;
    button.setAttribute("aria-expanded", "false");
    if (refocus) button.focus();
  }

  function menuOpen() { return !menu.hidden; }

  if (model.boards.size) {
    buildMenu();
    button.setAttribute("aria-haspopup", "menu");
    button.setAttribute("aria-expanded", "false");
    menu.addEventListener("keydown", function (ev) {
      var all = items(), at = all.indexOf(document.activeElement);
      var to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: all.length - 1 }[ev.key];
      if (ev.key === "Escape" || ev.key === "Tab") { closeMenu(ev.key === "Escape"); if (ev.key === "Escape") ev.preventDefault(); return; }
      if (to === undefined) return;
      all[(to + all.length) % all.length].focus();
      ev.preventDefault();
      ev.stopPropagation();
    });
    document.addEventListener("pointerdown", function (ev) {
      if (!menu.contains(ev.target) && ev.target !== button) closeMenu(false);
    }, true);
  }

  button.addEventListener("click", function () {
    if (app.state.get().lecture) go(0);
    else if (!model.boards.size) go(1, "");
    else if (menuOpen()) closeMenu(false);
    else openMenu();
  });
  q("prev").addEventListener("click", prev);
  q("next").addEventListener("click", next);
  q("lecture-end").addEventListener("click", function () { go(0); });

  return { sync: sync, go: go, next: next, prev: prev, count: count, menuOpen: menuOpen, closeMenu: closeMenu };
}
