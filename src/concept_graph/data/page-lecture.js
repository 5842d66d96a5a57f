/* Lecture mode: step through the article section by section; each step adds what the next section
 * grounds, names what is new, and shows the section's heading. The graph takes the legend's room. */
function cgLecture(app) {
  var dom = app.dom, model = app.model, q = dom.q;
  var sections = model.sections;
  var legendBefore = null;

  /* Counts of what a step brings. */
  function brings(step) {
    var out = { concepts: 0, relations: 0 };
    model.concepts.forEach(function (c) { if (model.firstSection(c) === step) out.concepts++; });
    model.relations.forEach(function (r) { if (model.firstSection(r) === step) out.relations++; });
    return out;
  }

  function sync() {
    var s = app.state.get();
    q("banner").hidden = !s.lecture;
    room(s.lecture > 0);
    q("lecture").setAttribute("aria-pressed", String(s.lecture > 0));
    if (!s.lecture) return;
    var fresh = brings(s.lecture);
    q("step").textContent = "Section " + s.lecture + " of " + sections.length + " \u00b7 +" +
      dom.plural(fresh.concepts, "concept") + ", +" + dom.plural(fresh.relations, "relation");
    q("step-heading").textContent = sections[s.lecture - 1].heading;
    q("prev").disabled = s.lecture <= 1;
    q("next").disabled = s.lecture >= sections.length;
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

  /* Go to a step (0 leaves lecture mode). */
  function go(step) {
    var s = app.state.get();
    s.lecture = Math.max(0, Math.min(step, sections.length));
    if (s.lecture) s.section = 0;
    s.selected = null;
    s.relation = null;
    app.details.close();
    app.view.network.unselectAll();
    app.update();
  }

  function next() {
    var s = app.state.get();
    go(s.lecture ? Math.min(sections.length, s.lecture + 1) : 1);
  }

  function prev() {
    var s = app.state.get();
    go(s.lecture ? Math.max(1, s.lecture - 1) : 1);
  }

  q("lecture").addEventListener("click", function () { go(app.state.get().lecture ? 0 : 1); });
  q("prev").addEventListener("click", prev);
  q("next").addEventListener("click", next);
  q("lecture-end").addEventListener("click", function () { go(0); });

  return { sync: sync, go: go, next: next, prev: prev, sections: sections.length };
}
