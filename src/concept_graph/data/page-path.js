/* The path view from the legend: pick where the chain starts and ends, and the graph shows the
 * chain of relations between them while the band reads each relation's quote in order (the
 * article's argument, read along the graph). The lists of concepts are filled the first time they
 * are used, so a big graph's page does not pay for them at load. */
function cgPath(app) {
  var dom = app.dom, model = app.model, q = dom.q, el = dom.el;
  var from = q("path-from"), to = q("path-to"), filled = false;

  function fill() {
    if (filled) return;
    filled = true;
    var ids = Array.from(model.concepts.keys()).sort(function (a, b) {
      return model.concepts.get(a).label.localeCompare(model.concepts.get(b).label) || (a < b ? -1 : 1);
    });
    [from, to].forEach(function (select) {
      var chosen = select.value;
      ids.forEach(function (id) { select.appendChild(el("option", { value: id, text: model.concepts.get(id).label })); });
      select.value = chosen;
    });
  }

  /* Show the chain between two concepts (leaving a lecture: the path is its own view). */
  function show(start, end) {
    var s = app.state.get();
    s.path = [start, end];
    s.lecture = 0;
    s.board = "";
    s.selected = null;
    s.relation = null;
    app.update();
    if (!model.chain(s.path)) {
      app.toast("No chain of relations links \u201c" + model.concepts.get(start).label + "\u201d and \u201c" +
                model.concepts.get(end).label + "\u201d.");
    }
  }

  /* Start a path at a concept: the "to" list takes the focus, to choose where it ends. */
  function startAt(id) {
    fill();
    from.value = id;
    var side = q("sidepanel");
    if (side.hidden) q("side").click();
    to.focus();
  }

  function sync() {
    var s = app.state.get();
    if (s.path.length > 1) {
      fill();
      from.value = s.path[0];
      to.value = s.path[s.path.length - 1];
    }
    q("path-clear").disabled = s.path.length < 2;
  }

  [from, to].forEach(function (select) {
    select.addEventListener("focus", fill);
    select.addEventListener("pointerdown", fill);
  });
  q("path-show").addEventListener("click", function () {
    if (!from.value || !to.value || from.value === to.value) {
      app.toast("Choose two concepts: where the path starts and where it ends.");
      return;
    }
    show(from.value, to.value);
  });
  q("path-clear").addEventListener("click", function () {
    app.state.get().path = [];
    app.update();
  });

  return { show: show, startAt: startAt, sync: sync };
}
