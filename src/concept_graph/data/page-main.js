/* Wiring: this script's own page root, the parts made in order, one update() that keeps them in
 * step with the state, and the hook for tools outside the project (root.cg). Runs last. */
var root = document.currentScript.parentElement;
var index = Array.prototype.indexOf.call(document.querySelectorAll(".cg-root"), root);
var data = JSON.parse(root.querySelector("script.cg-data").textContent);
var options = data.options || {};
var app = {
  // A slide deck that holds the page keeps the address for its own slide number (options.ownHash).
  root: root, data: data, uid: "cg" + index + "-", ownsHash: index === 0 && options.ownHash !== false, lastExport: null,
  motion: !(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches)
};
var api = { stable: false, stableAt: null };
app.dom = cgDom(root);
app.model = cgModel(data);
app.state = cgState(app);
app.articles = cgArticles(app);
app.layout = cgLayout();
var q = app.dom.q, model = app.model;

/* The line under the graph says whether every concept shown is named, and how to read the rest. */
app.onDrawn = function (placed) {
  var n = placed.unnamed, shown = app.view.shown().nodes.size;
  var text = n ? "+" + n + " more " + (n === 1 ? "concept" : "concepts") + " not named here: zoom in (+) or pick one to read " +
                 (n === 1 ? "its name" : "their names")
               : "All " + app.dom.plural(shown, "concept") + " named.";
  if (q("more").textContent !== text) q("more").textContent = text;
};
app.onStable = function () {
  api.stable = true;
  api.stableAt = performance.now();
  root.setAttribute("data-cg-stable", "true");
  app.embed.ready();
};

app.view = cgView(app);
app.legend = cgLegend(app);
app.details = cgDetails(app);
app.lecture = cgLecture(app);
app.story = cgStory(app);
app.path = cgPath(app);
app.search = cgSearch(app);
app.keyboard = cgKeyboard(app);
app.exporter = cgExport(app);
app.textview = cgTextView(app);
app.embed = cgEmbed(app);

var wasPresent = false, detailsFor = null;

/* Bring every part in line with the state: the frame around the graph first (it sets the
   canvas's size), then the graph, then the controls and the fragment. */
app.update = function (opts) {
  opts = opts || {};
  var s = app.state.get();
  root.classList.toggle("cg-present", s.present);
  q("present").setAttribute("aria-pressed", String(s.present));
  q("present-exit").hidden = !s.present;
  var caption = q("caption");
  caption.hidden = !s.present || s.lecture > 0;
  if (!caption.hidden) {
    app.dom.clear(caption);
    var ends = s.path.length > 1 ? [model.concepts.get(s.path[0]).label, model.concepts.get(s.path[s.path.length - 1]).label] : null;
    var heading = ends ? "From " + ends[0] + " to " + ends[1]
      : s.focus ? "Around " + model.concepts.get(s.focus).label
      : s.section ? model.sectionName(s.section) : data.graph.title;
    caption.appendChild(app.dom.bdi(heading));
    caption.appendChild(app.dom.el("small", { text: ends || s.focus || s.section ? data.graph.title : subtitle }));
  }
  app.lecture.sync();
  var want = s.present ? null : s.selected ? "c:" + s.selected : s.relation && !s.quiet ? "r:" + s.relation : null;
  if (want !== detailsFor) {
    detailsFor = want;
    if (!want) app.details.close();
    else if (s.selected) app.details.showConcept(s.selected);
    else app.details.showRelation(s.relation);
  }
  app.story.sync();
  app.path.sync();
  if (s.present !== wasPresent) { wasPresent = s.present; app.view.resized(); }
  var visible = app.state.visible();
  app.view.apply(visible, app.state.lit(visible), opts);
  app.legend.sync();
  app.articles.sync();
  if (opts.hash !== false) app.state.writeHash();
};

/* The step of the current lecture that first shows a concept, when the lecture has not reached it
   yet, as words ("section 3", "step 5"); "" otherwise. */
app.comesIn = function (id) {
  var s = app.state.get();
  if (!s.lecture) return "";
  if (s.board) {
    var at = model.boards.get(s.board).firstStep.get(id);
    return at > s.lecture ? "step " + at : "";
  }
  var first = model.firstSection(model.concepts.get(id));
  return first > s.lecture ? "section " + first : "";
};

/* A concept the current view hides: clear what hides it, or, in a lecture, say when it comes. */
function reveal(id) {
  var s = app.state.get(), c = model.concepts.get(id);
  if (app.state.visible().nodes.has(id)) return true;
  var later = app.comesIn(id);
  if (later) {
    app.toast("\u201c" + c.label + "\u201d comes in " + later + " of the lecture: step on to meet it.");
    return false;
  }
  s.lecture = 0;
  s.board = "";
  s.section = 0;
  s.focus = null;
  s.path = [];
  s.top = 0;
  s.hiddenCategories.delete(c.category);
  app.articles.reveal(c, s);
  app.toast("Filters cleared to show \u201c" + c.label + "\u201d");
  return true;
}

app.select = function (id, opts) {
  opts = opts || {};
  if (!model.concepts.has(id) || !reveal(id)) return;
  var s = app.state.get();
  s.selected = id;
  s.relation = null;
  app.update();
  app.view.network.selectNodes([id]);
  if (opts.center) app.view.centre(id, true);
  else if (opts.keep) app.view.keepOnScreen(id);
  if (opts.focusPanel) app.details.focusHeading();
  var c = model.concepts.get(id), rels = model.relationsOf(id).length;
  var how = opts.via ? app.model.concepts.get(opts.from).label + " " + model.verbFrom(opts.via, opts.from) + " " + c.label + ". " : "";
  app.announce(how + c.label + ", " + model.categories.get(c.category).label + ", " + rels + " relation" +
               (rels === 1 ? "" : "s") + ". Arrow keys: related concepts; Enter: details.");
};

app.selectRelation = function (id, opts) {
  if (!model.relations.has(id)) return;
  var s = app.state.get();
  s.relation = id;
  s.quiet = false;
  s.selected = null;
  app.update();
  if (app.view.shown().edges.has(id)) app.view.network.selectEdges([id]);
  if (opts && opts.focusPanel) app.details.focusHeading();
};

app.clearSelection = function () {
  var s = app.state.get();
  s.selected = null;
  s.relation = null;
  app.view.network.unselectAll();
  app.update();
};

app.setPresent = function (on) {
  app.state.get().present = !!on;
  app.update();
};

/* The mouse wheel, when the page is embedded in a document that scrolls (options.wheel "focus"):
   it scrolls that document until the graph is clicked or focused, then zooms the graph until the
   pointer and the focus have left it. A wheel turned before the click says so once. */
if (options.wheel === "focus") {
  var zooming = false, told = false;
  var zoom = function (on) {
    if (on === zooming) return;
    zooming = on;
    app.view.network.setOptions({ interaction: { zoomView: on } });
  };
  // A click on the canvas can also move the focus out of the page (the canvas takes none), and
  // that focusout must not undo the click: while the pointer is inside, it keeps the wheel.
  var inside = false;
  root.addEventListener("pointerenter", function () { inside = true; });
  root.addEventListener("pointerdown", function () { inside = true; zoom(true); });
  root.addEventListener("focusin", function () { zoom(true); });
  root.addEventListener("pointerleave", function () {
    inside = false;
    if (!root.contains(document.activeElement)) zoom(false);
  });
  root.addEventListener("focusout", function (ev) { if (!inside && !root.contains(ev.relatedTarget)) zoom(false); });
  window.addEventListener("blur", function () { if (!inside) zoom(false); });
  q("canvas").addEventListener("wheel", function () {
    if (zooming || told) return;
    told = true;
    app.toast("Click the graph to zoom it with the wheel; until then the wheel scrolls.");
  }, { passive: true });
}

/* Open a view from a fragment ("#section=3"): a deep link, a changed address, a slide deck's goto. */
app.open = function (fragment, opts) {
  var parsed = app.state.parse(fragment);
  app.state.set(parsed.state);
  app.search.clear();
  app.view.network.unselectAll();
  notice(parsed.notices);
  app.update(opts || {});
  var s = app.state.get();
  if (s.selected && app.view.shown().nodes.has(s.selected)) {
    app.view.network.selectNodes([s.selected]);
    app.view.centre(s.selected, false);
  } else if (s.relation && app.view.shown().edges.has(s.relation)) {
    app.view.network.selectEdges([s.relation]);
  }
  return parsed.notices;
};

app.reset = function () {
  var present = app.state.get().present;
  app.state.set(app.state.fresh());
  app.state.get().present = present;
  app.search.clear();
  app.view.network.unselectAll();
  notice([]);
  app.update();
  app.view.fit(true);
};

// ---- messages to the reader ----------------------------------------------------------------------
var toastTimer = null;
app.toast = function (text) {
  var status = q("status");
  status.textContent = text;
  status.classList.add("cg-toast");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(function () { status.textContent = ""; }, 4000);
};

function notice(lines) {
  q("notice-text").textContent = lines.join(" ");
  q("notice").hidden = !lines.length;
}
q("notice-close").addEventListener("click", function () { notice([]); });

app.announce = function (text) { q("announce").textContent = text; };

// ---- the canvas and the toolbar -------------------------------------------------------------------
app.view.network.on("click", function (p) {
  if (p.nodes.length) app.select(p.nodes[0], {});
  else if (p.edges.length) app.selectRelation(p.edges[0]);
  else app.clearSelection();
});
q("fit").addEventListener("click", function () { app.view.fit(true); });
q("present").addEventListener("click", function () { app.setPresent(!app.state.get().present); });
q("present-exit").addEventListener("click", function () { app.setPresent(false); });
q("reset").addEventListener("click", app.reset);
q("side").addEventListener("click", function () {
  var side = q("sidepanel");
  side.hidden = !side.hidden;
  q("side").setAttribute("aria-pressed", String(!side.hidden));
  app.view.resized();
});
window.addEventListener("hashchange", function () {
  if (app.ownsHash) app.open(location.hash, { hash: false });
});

// ---- the hook for tools outside the project --------------------------------------------------------
api.network = app.view.network;
api.nodes = app.view.nodes;
api.edges = app.view.edges;
api.state = function () { return app.state.get(); };
api.view = function () { return app.state.fragment(); };
api.visibleNodes = function () { return Array.from(app.view.shown().nodes).sort(); };
api.visibleEdges = function () { return Array.from(app.view.shown().edges).sort(); };
api.litNodes = function () { return Array.from(app.view.shown().lit).sort(); };
api.labels = app.view.labels;
api.verbs = app.view.verbs;
api.select = function (id) { app.select(id, { center: true }); };
api.lecture = function (step, board) { app.lecture.go(step, board); };
api.lectures = function () {
  return Array.from(model.boards.values()).map(function (b) { return { name: b.name, title: b.title, steps: b.steps.length }; });
};
api.chain = function (stops) { return (model.chain(stops) || []).map(function (r) { return r.id; }); };
api.present = app.setPresent;
api.open = function (fragment) { return app.open(fragment); };
api.relax = app.layout.relax;  // the part layout, the twin of concept_graph.layout.relax
api.exportSvg = app.exporter.svg;
api.exportPng = function (width) { return app.exporter.png(width); };
api.lastExport = function () { return app.lastExport; };
root.cg = api;

// ---- start ----------------------------------------------------------------------------------------
// A narrow frame (a 960x540 embed on a slide, a small window) starts with the graph only; the
// Legend button brings the panel.
if (root.clientWidth < 1000) {
  q("sidepanel").hidden = true;
  q("side").setAttribute("aria-pressed", "false");
}
root.querySelector(".cg-title").textContent = data.graph.title;
var subtitle = app.articles.subtitle() || data.concepts.length + " concepts \u00b7 " + data.relations.length +
  " relations \u00b7 from the article \u201c" + data.graph.article + "\u201d";
root.querySelector(".cg-subtitle").textContent = subtitle;
q("canvas").setAttribute("aria-label", "Map of " + data.concepts.length + " concepts; the text view lists the same graph");
q("canvas").setAttribute("aria-describedby", app.uid + "keys");
q("keys-help").id = app.uid + "keys";
app.articles.build();
app.legend.build();
app.open(app.ownsHash && location.hash ? location.hash : options.view || "", { hash: false, animate: false });
