/* The concept-graph page: draws the graph with vis-network and lets a reader explore it.
 *
 * Everything hangs off this script's own .cg-root, so two pages pasted into one document do not
 * collide. Text from the graph is only ever set with textContent (never innerHTML), and vis-network
 * 9 shows string titles as plain text. The state lives in the URL fragment (#focus=...&types=...),
 * so any view can be linked from a slide; only the first graph of a document owns the fragment.
 */
(function () {
  "use strict";

  var root = document.currentScript.parentElement;
  var index = Array.prototype.indexOf.call(document.querySelectorAll(".cg-root"), root);
  var uid = "cg" + index + "-";
  var ownsHash = index === 0;
  var data = JSON.parse(root.querySelector("script.cg-data").textContent);
  var motion = !(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  var LABELLED_EDGES = 24;   // up to this many visible relations, every edge shows its verb
  var DIM_NODE = { background: "#e9edf0", border: "#cdd5dc" };
  var DIM_EDGE = "#e3e7ea";
  var EDGE_FONT = data.vis.options.edges.font;
  var LABEL = data.vis.options.nodes.scaling.label;
  var NEW_GLOW = { enabled: true, color: "rgba(245, 168, 0, 0.95)", size: 24, x: 0, y: 0 };

  function q(name) { return root.querySelector('[data-cg="' + name + '"]'); }

  /* Build an element; string children become text nodes, so data is never parsed as HTML. */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) return;
        if (key === "className") node.className = value;
        else if (key === "text") node.textContent = value;
        else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), value);
        else node.setAttribute(key, value === true ? "" : String(value));
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      // A string goes into <bdi>: a direction mark in a label cannot reorder the text around it.
      node.appendChild(typeof child === "string" ? bdi(child) : child);
    });
    return node;
  }

  function bdi(text) {
    var node = document.createElement("bdi");
    node.textContent = text;
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  // ---- the model, indexed ------------------------------------------------------------------
  var concepts = new Map(), relations = new Map(), types = new Map(), categories = new Map();
  var outgoing = new Map(), incoming = new Map();
  data.categories.forEach(function (c) { categories.set(c.id, c); });
  data.types.forEach(function (t) { types.set(t.id, t); });
  data.concepts.forEach(function (c) { concepts.set(c.id, c); outgoing.set(c.id, []); incoming.set(c.id, []); });
  data.relations.forEach(function (r) {
    relations.set(r.id, r);
    outgoing.get(r.subject).push(r);
    incoming.get(r.object).push(r);
  });
  var sections = data.sections;

  function sectionName(number) {
    var s = sections[number - 1];
    return s ? "Section " + number + ": " + s.heading : "Section " + number;
  }

  // ---- state ---------------------------------------------------------------------------------
  var state;
  function freshState() {
    return { focus: null, depth: 1, section: 0, hiddenTypes: new Set(), hiddenCategories: new Set(),
             highlight: new Set(), selected: null, relation: null, lecture: 0 };
  }
  state = freshState();

  // ---- vis-network ----------------------------------------------------------------------------
  var baseNode = new Map(), baseEdge = new Map();
  data.vis.nodes.forEach(function (n) { baseNode.set(n.id, { color: n.color, borderWidth: n.borderWidth || 2 }); });
  data.vis.edges.forEach(function (e) { baseEdge.set(e.id, { color: e.color, width: 2.5 }); });
  var nodes = new vis.DataSet(data.vis.nodes);
  var edges = new vis.DataSet(data.vis.edges);
  // Grow nodes and labels with the root of their degree, so mid-sized hubs are named too, not just the largest.
  data.vis.options.nodes.scaling.customScalingFunction = function (min, max, total, value) {
    return max === min ? 0.5 : Math.sqrt((value - min) / (max - min));
  };
  var network = new vis.Network(q("canvas"), { nodes: nodes, edges: edges }, data.vis.options);
  var frozen = false, stable = false, exporting = false;
  var applied = { nodes: new Map(), edges: new Map(), visibleKey: "" };

  network.on("beforeDrawing", function (ctx) {
    // A white ground, so an exported PNG is not transparent on a dark slide.
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
  });
  network.on("afterDrawing", function (ctx) {
    if (!exporting) return;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    var ratio = window.devicePixelRatio || 1;
    ctx.font = Math.round(18 * ratio) + "px system-ui, sans-serif";
    ctx.fillStyle = "#14181c";
    ctx.textBaseline = "top";
    ctx.fillText(caption(), 12 * ratio, 10 * ratio);
    ctx.restore();
  });
  network.on("stabilizationProgress", function (p) {
    if (!stable) status("Laying out the graph\u2026 " + Math.round(100 * p.iterations / p.total) + "%");
  });
  network.on("stabilizationIterationsDone", function () { if (!stable) settle(); else if (relayingOut) relaidOut(); });
  network.once("stabilized", function () { if (!stable) settle(); });
  network.on("click", function (p) {
    if (p.nodes.length) selectConcept(p.nodes[0], {});
    else if (p.edges.length) selectRelation(p.edges[0]);
    else clearSelection();
  });

  /* The whole graph has its seeded layout: keep it as the map, stop physics, show the view. */
  function settle() {
    if (stable) return;
    stable = true;
    mapPositions = network.getPositions();
    network.setOptions({ physics: { enabled: false, stabilization: { fit: false } } });
    setFrozen(true);
    status("");
    api.stable = true;
    api.stableAt = performance.now();
    root.setAttribute("data-cg-stable", "true");
    arrange(false);
  }

  // ---- layout of a part: lecture steps, sections, neighbourhoods ----------------------------------
  // The whole graph keeps its map positions. A part of it (one section, the steps of a lecture,
  // a neighbourhood) is laid out again on its own, so it fills the screen with readable labels;
  // each lecture step starts from the previous one, so the graph grows in place.
  var RELAYOUT_ITERATIONS = 250;
  var MAP_SOLVER = data.vis.options.physics.solver;
  var mapPositions = null, moved = false, relayingOut = false, placed = new Set(), animateFit = false;

  function compactView() { return state.lecture > 0 || !!state.focus || state.section > 0; }

  function arrange(animate) {
    animateFit = animate;
    if (compactView()) { relayout(); return; }
    if (moved) restoreMap();
    fitVisible(animate);
  }

  function restoreMap() {
    nodes.update(keys(concepts).map(function (id) {
      return { id: id, x: mapPositions[id].x, y: mapPositions[id].y, physics: true };
    }));
    edges.update(keys(relations).map(function (id) { return { id: id, physics: true }; }));
    network.setOptions({ physics: { solver: MAP_SOLVER } });
    moved = false;
    placed = new Set();
  }

  function relayout() {
    var positions = network.getPositions();
    var nodeUpdates = [], k = 0;
    concepts.forEach(function (c, id) {
      var shown = current.nodes.has(id);
      var update = { id: id, physics: shown };
      if (shown && placed.size && !placed.has(id)) {
        // A newcomer starts beside the concepts it is linked to that are already on screen.
        var near = outgoing.get(id).map(function (r) { return r.object; })
          .concat(incoming.get(id).map(function (r) { return r.subject; }))
          .filter(function (other) { return placed.has(other) && current.nodes.has(other); });
        if (near.length) {
          var angle = 2.39996 * ++k;
          update.x = near.reduce(function (sum, o) { return sum + positions[o].x; }, 0) / near.length + 60 * Math.cos(angle);
          update.y = near.reduce(function (sum, o) { return sum + positions[o].y; }, 0) / near.length + 60 * Math.sin(angle);
        }
      }
      nodeUpdates.push(update);
    });
    nodes.update(nodeUpdates);
    edges.update(keys(relations).map(function (id) { return { id: id, physics: current.edges.has(id) }; }));
    placed = new Set(current.nodes);
    moved = true;
    relayingOut = true;
    root.setAttribute("data-cg-busy", "true");
    // A small part (a neighbourhood) is laid out by Barnes-Hut, which counts only the edges on
    // screen: forceAtlas2 weighs a node by all its edges, hidden ones too, and a hub of the whole
    // graph would push a small part askew. A large part (a lecture step) keeps the map's solver.
    if (current.nodes.size <= 40) {
      network.setOptions({ physics: { enabled: true, solver: "barnesHut", barnesHut: {
        gravitationalConstant: -4000, centralGravity: 0.2, springConstant: 0.04, damping: 0.3,
        avoidOverlap: 0.2, springLength: 170 } } });
    } else {
      network.setOptions({ physics: { enabled: true, solver: MAP_SOLVER } });
    }
    network.stabilize(RELAYOUT_ITERATIONS);
  }

  function relaidOut() {
    relayingOut = false;
    if (frozen) network.setOptions({ physics: { enabled: false } });
    fitVisible(animateFit);
    root.removeAttribute("data-cg-busy");
  }

  // ---- visibility and emphasis ----------------------------------------------------------------
  function firstSection(item) { return item.sections.length ? item.sections[0] : Infinity; }

  function computeVisible() {
    var shown = new Set(), links = new Set();
    concepts.forEach(function (c) {
      if (state.hiddenCategories.has(c.category)) return;
      if (state.lecture && firstSection(c) > state.lecture) return;
      if (!state.lecture && state.section && c.sections.indexOf(state.section) < 0) return;
      shown.add(c.id);
    });
    relations.forEach(function (r) {
      if (state.hiddenTypes.has(r.type) || !shown.has(r.subject) || !shown.has(r.object)) return;
      if (state.lecture && firstSection(r) > state.lecture) return;
      if (!state.lecture && state.section && r.sections.indexOf(state.section) < 0) return;
      links.add(r.id);
    });
    if (state.focus && concepts.has(state.focus)) {
      shown.add(state.focus);
      var near = neighbours(state.focus, state.depth, links);
      shown.forEach(function (id) { if (!near.has(id)) shown.delete(id); });
      links.forEach(function (id) {
        var r = relations.get(id);
        if (!shown.has(r.subject) || !shown.has(r.object)) links.delete(id);
      });
    }
    return { nodes: shown, edges: links };
  }

  function neighbours(start, depth, links) {
    var seen = new Set([start]), frontier = [start];
    for (var d = 0; d < depth && frontier.length; d++) {
      var next = [];
      frontier.forEach(function (id) {
        outgoing.get(id).concat(incoming.get(id)).forEach(function (r) {
          if (!links.has(r.id)) return;
          var other = r.subject === id ? r.object : r.subject;
          if (!seen.has(other)) { seen.add(other); next.push(other); }
        });
      });
      frontier = next;
    }
    return seen;
  }

  function litSet(visible) {
    var lit = new Set();
    state.highlight.forEach(function (id) { if (visible.nodes.has(id)) lit.add(id); });
    if (state.selected && visible.nodes.has(state.selected)) {
      neighbours(state.selected, 1, visible.edges).forEach(function (id) { lit.add(id); });
    }
    if (state.relation && visible.edges.has(state.relation)) {
      var r = relations.get(state.relation);
      lit.add(r.subject);
      lit.add(r.object);
    }
    return lit;
  }

  var current = { nodes: new Set(), edges: new Set(), lit: new Set() };

  /* Push the state into vis: hidden flags, dimming, lecture glow, edge labels; then the fragment. */
  function refresh(opts) {
    opts = opts || {};
    var visible = computeVisible();
    var lit = litSet(visible);
    var nodeUpdates = [], edgeUpdates = [];
    concepts.forEach(function (c) {
      var base = baseNode.get(c.id);
      var hidden = !visible.nodes.has(c.id);
      var dim = lit.size > 0 && !lit.has(c.id);
      var fresh = state.lecture > 0 && firstSection(c) === state.lecture;
      // From the second lecture step on, what earlier sections brought stays, faded, as context.
      var old = state.lecture > 1 && !fresh;
      var update = {
        id: c.id, hidden: hidden,
        color: dim ? { background: DIM_NODE.background, border: DIM_NODE.border,
                       highlight: DIM_NODE, hover: DIM_NODE } : base.color,
        font: { color: dim ? "#ccd3d9" : "#14181c" },
        borderWidth: fresh && state.lecture > 1 ? 4 : base.borderWidth,
        opacity: old ? 0.45 : 1,
        // What a lecture step brings, and what a selection lights up, is always named, and larger.
        scaling: { label: fresh || (lit.has(c.id) && lit.size)
          ? { min: LABEL.min + 6, max: LABEL.max, drawThreshold: 3 }
          : { min: LABEL.min, max: LABEL.max, drawThreshold: LABEL.drawThreshold } },
        shadow: fresh && state.lecture > 1 ? NEW_GLOW : { enabled: false }
      };
      queue(applied.nodes, nodeUpdates, update);
    });
    var labelAll = visible.edges.size <= LABELLED_EDGES;
    relations.forEach(function (r) {
      var base = baseEdge.get(r.id);
      var hidden = !visible.edges.has(r.id);
      var touches = r.subject === state.selected || r.object === state.selected || r.id === state.relation;
      var dim = lit.size > 0 && !touches && !(state.highlight.has(r.subject) && state.highlight.has(r.object));
      var fresh = state.lecture > 0 && firstSection(r) === state.lecture;
      var old = state.lecture > 1 && !fresh;
      var colour = dim ? { color: DIM_EDGE, highlight: DIM_EDGE, hover: DIM_EDGE } : base.color;
      var update = {
        id: r.id, hidden: hidden,
        color: { color: colour.color, highlight: colour.highlight, hover: colour.hover, opacity: old ? 0.35 : 1 },
        width: fresh && state.lecture > 1 ? 4.5 : (touches ? 3.5 : base.width),
        label: !hidden && !dim && (labelAll || touches) ? types.get(r.type).label : " ",
        font: { size: EDGE_FONT.size, strokeWidth: EDGE_FONT.strokeWidth, strokeColor: EDGE_FONT.strokeColor,
                align: EDGE_FONT.align, color: dim ? "#b9c2ca" : EDGE_FONT.color }
      };
      queue(applied.edges, edgeUpdates, update);
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
    current = { nodes: visible.nodes, edges: visible.edges, lit: lit };
    var key = Array.from(visible.nodes).sort().join(",") + (compactView() ? "|part" : "");
    if (key !== applied.visibleKey) {
      applied.visibleKey = key;
      if (stable) arrange(motion);
    }
    syncControls();
    if (opts.hash !== false) writeHash();
  }

  function queue(seen, updates, update) {
    var key = JSON.stringify(update);
    if (seen.get(update.id) !== key) { seen.set(update.id, key); updates.push(update); }
  }

  function animation(on) { return on ? { duration: 450, easingFunction: "easeInOutQuad" } : false; }

  function fitVisible(animate) {
    var ids = Array.from(current.nodes);
    if (!ids.length) return;
    // Zoom in on a small view, but not beyond the point where the largest label gets huge.
    network.fit({ nodes: ids, animation: animation(animate), maxZoomLevel: Math.min(1.6, 34 / LABEL.max) });
  }

  // ---- the URL fragment -----------------------------------------------------------------------
  function idList(value, known) {
    return (value || "").split(",").map(function (s) { return s.trim(); })
      .filter(function (s) { return s && known.has(s); });
  }

  function readHash() {
    if (!ownsHash) return;
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    var next = freshState();
    if (concepts.has(params.get("focus"))) next.focus = params.get("focus");
    var depth = parseInt(params.get("depth"), 10);
    if (depth >= 1) next.depth = Math.min(depth, 9);
    var section = parseInt(params.get("section"), 10);
    if (section >= 1 && section <= sections.length) next.section = section;
    if (params.has("types")) {
      var keep = new Set(idList(params.get("types"), types));
      types.forEach(function (t, id) { if (!keep.has(id)) next.hiddenTypes.add(id); });
    }
    if (params.has("categories")) {
      var keepC = new Set(idList(params.get("categories"), categories));
      categories.forEach(function (c, id) { if (!keepC.has(id)) next.hiddenCategories.add(id); });
    }
    next.highlight = new Set(idList(params.get("highlight"), concepts));
    if (concepts.has(params.get("select"))) next.selected = params.get("select");
    if (relations.has(params.get("relation"))) next.relation = params.get("relation");
    var lecture = parseInt(params.get("lecture"), 10);
    if (lecture >= 1 && sections.length) next.lecture = Math.min(lecture, sections.length);
    state = next;
    if (state.selected) showConcept(state.selected);
    else if (state.relation) showRelation(state.relation);
    else closeDetails();
  }

  function writeHash() {
    if (!ownsHash) return;
    var parts = [];
    function add(key, value) { parts.push(key + "=" + value); }
    function ids(set) { return Array.from(set).map(encodeURIComponent).join(","); }
    if (state.focus) { add("focus", encodeURIComponent(state.focus)); if (state.depth !== 1) add("depth", state.depth); }
    if (state.section) add("section", state.section);
    if (state.hiddenTypes.size) add("types", ids(keys(types).filter(function (id) { return !state.hiddenTypes.has(id); })));
    if (state.hiddenCategories.size) add("categories", ids(keys(categories).filter(function (id) { return !state.hiddenCategories.has(id); })));
    if (state.highlight.size) add("highlight", ids(state.highlight));
    if (state.selected) add("select", encodeURIComponent(state.selected));
    if (state.relation) add("relation", encodeURIComponent(state.relation));
    if (state.lecture) add("lecture", state.lecture);
    var hash = parts.length ? "#" + parts.join("&") : "";
    if (hash === location.hash || (!hash && !location.hash)) return;
    try {
      history.replaceState(history.state, "", location.href.split("#")[0] + (hash || "#"));
    } catch (err) {
      // A sandboxed frame may refuse; the view still works, it just cannot be linked.
    }
  }

  function keys(map) { return Array.from(map.keys()); }

  window.addEventListener("hashchange", function () {
    if (!ownsHash) return;
    readHash();
    refresh({ hash: false });
    showLecture();
  });

  // ---- status line ------------------------------------------------------------------------------
  var toastTimer = null;
  function status(text) { q("status").textContent = text; q("status").classList.remove("cg-toast"); }
  function toast(text) {
    status(text);
    q("status").classList.add("cg-toast");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { if (stable) status(""); }, 3500);
  }

  // ---- legend and filters -------------------------------------------------------------------------
  var SVG = "http://www.w3.org/2000/svg";
  var SHAPE_POINTS = {
    diamond: "8,1 15,8 8,15 1,8", triangle: "8,1.5 15,14.5 1,14.5", triangleDown: "1,1.5 15,1.5 8,14.5",
    hexagon: "8,1 14.5,4.5 14.5,11.5 8,15 1.5,11.5 1.5,4.5",
    star: "8,1 9.9,6 15,6 10.9,9.2 12.5,14.5 8,11.3 3.5,14.5 5.1,9.2 1,6 6.1,6"
  };

  function shapeSwatch(category) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("aria-hidden", "true");
    var shape;
    if (category.shape === "square") {
      shape = document.createElementNS(SVG, "rect");
      [["x", 2], ["y", 2], ["width", 12], ["height", 12]].forEach(function (a) { shape.setAttribute(a[0], a[1]); });
    } else if (SHAPE_POINTS[category.shape]) {
      shape = document.createElementNS(SVG, "polygon");
      shape.setAttribute("points", SHAPE_POINTS[category.shape]);
    } else {
      shape = document.createElementNS(SVG, "circle");
      [["cx", 8], ["cy", 8], ["r", 6.5]].forEach(function (a) { shape.setAttribute(a[0], a[1]); });
    }
    shape.setAttribute("fill", category.color);
    shape.setAttribute("stroke", "#333");
    shape.setAttribute("stroke-width", "1");
    svg.appendChild(shape);
    return el("span", { className: "cg-swatch" }, [svg]);
  }

  function lineSwatch(type) {
    var line = el("span", { className: "cg-line", "aria-hidden": "true" });
    line.style.borderTopColor = type.color;
    if (type.dashes) line.style.borderTopStyle = type.dashes[0] < 5 ? "dotted" : "dashed";
    return line;
  }

  function buildLegend() {
    var catList = q("categories");
    data.categories.forEach(function (c) {
      var box = el("input", { type: "checkbox", checked: true, "data-category": c.id,
                              onchange: function () { toggle(state.hiddenCategories, c.id, !box.checked); } });
      catList.appendChild(el("li", { title: c.definition || null }, [el("label", null, [
        box, shapeSwatch(c), el("span", { className: "cg-name", text: c.label }),
        el("span", { className: "cg-count", text: String(c.count) })])]));
    });
    var typeList = q("types");
    data.types.forEach(function (t) {
      var box = el("input", { type: "checkbox", checked: true, "data-type": t.id,
                              onchange: function () { toggle(state.hiddenTypes, t.id, !box.checked); } });
      var item = el("li", { title: t.definition || null }, [el("label", null, [
        box, lineSwatch(t), el("span", { className: "cg-name", text: t.label }),
        el("span", { className: "cg-count", text: String(t.count) })])]);
      if (!t.count) item.style.opacity = "0.55";
      typeList.appendChild(item);
    });
    var select = q("section");
    select.appendChild(el("option", { value: "0", text: "All sections" }));
    sections.forEach(function (s) {
      select.appendChild(el("option", { value: String(s.number), text: s.number + ". " + s.heading }));
    });
    select.addEventListener("change", function () { state.section = parseInt(select.value, 10) || 0; refresh(); });
    q("depth").addEventListener("change", function () {
      var depth = parseInt(q("depth").value, 10);
      state.depth = depth >= 1 ? Math.min(depth, 9) : 1;
      refresh();
    });
    q("near-clear").addEventListener("click", function () { state.focus = null; refresh(); });
    q("types-all").addEventListener("click", function () { state.hiddenTypes.clear(); refresh(); });
    q("types-none").addEventListener("click", function () {
      types.forEach(function (t, id) { state.hiddenTypes.add(id); });
      refresh();
    });
  }

  function toggle(set, id, on) {
    if (on) set.add(id); else set.delete(id);
    refresh();
  }

  function syncControls() {
    root.querySelectorAll("input[data-category]").forEach(function (box) {
      box.checked = !state.hiddenCategories.has(box.getAttribute("data-category"));
    });
    root.querySelectorAll("input[data-type]").forEach(function (box) {
      box.checked = !state.hiddenTypes.has(box.getAttribute("data-type"));
    });
    q("section").value = String(state.section);
    q("section").disabled = state.lecture > 0;
    q("depth").value = String(state.depth);
    var near = q("near");
    clear(near);
    if (state.focus) {
      near.appendChild(document.createTextNode("around "));
      near.appendChild(el("strong", { text: concepts.get(state.focus).label }));
    } else {
      near.appendChild(document.createTextNode("Open a concept, then \u201cNeighbourhood\u201d."));
    }
    q("near-clear").disabled = !state.focus;
    q("lecture").setAttribute("aria-pressed", String(state.lecture > 0));
  }

  // ---- details panel --------------------------------------------------------------------------------
  function conceptLink(id) {
    var c = concepts.get(id);
    return el("button", { type: "button", className: "cg-link", text: c.label,
                          onclick: function () { selectConcept(id, { center: true, focusPanel: true }); } });
  }

  function citation(evidence) {
    return el("p", { className: "cg-cite", text: sectionName(evidence.section) });
  }

  function quote(evidence) {
    return el("blockquote", { className: "cg-quote" }, ["\u201c" + evidence.quote + "\u201d"]);
  }

  function openDetails(title) {
    var panel = q("details"), body = q("details-body");
    clear(body);
    panel.hidden = false;
    panel.setAttribute("aria-label", "Details: " + title);
    resized();
    return body;
  }

  function closeDetails() {
    q("details").hidden = true;
    clear(q("details-body"));
    resized();
  }

  /* Tell vis now that a panel changed the canvas's width, before anything centres on a node;
     its own ResizeObserver would come a frame later and shrink the zoom after us. */
  function resized() {
    if (network) network.setSize("100%", "100%");
  }

  function showConcept(id) {
    var c = concepts.get(id);
    var category = categories.get(c.category);
    var body = openDetails(c.label);
    body.appendChild(el("p", { className: "cg-kind" }, [shapeSwatch(category), category.label]));
    body.appendChild(el("h2", { tabindex: "-1", text: c.label }));
    if (c.synonyms.length) body.appendChild(el("p", null, [el("em", { text: "Also called: " }), c.synonyms.join(", ")]));
    body.appendChild(el("p", { text: c.definition }));
    if (c.evidence) {
      body.appendChild(el("h3", { text: "Grounded in" }));
      body.appendChild(quote(c.evidence));
      body.appendChild(citation(c.evidence));
    }
    body.appendChild(el("div", { className: "cg-actions" }, [
      el("button", { type: "button", text: "Neighbourhood", title: "Show only the concepts near this one",
                     onclick: function () { state.focus = id; refresh(); } }),
      el("button", { type: "button", text: "Centre",
                     onclick: function () { centre(id); } })
    ]));
    var rels = outgoing.get(id).concat(incoming.get(id));
    body.appendChild(el("h3", { text: "Relations (" + rels.length + ")" }));
    if (!rels.length) body.appendChild(el("p", { className: "cg-note", text: "The article states no relation of this concept." }));
    var list = el("ul", { className: "cg-rels" });
    rels.forEach(function (r) { list.appendChild(relationItem(r, id)); });
    body.appendChild(list);
    if (c.sections.length) {
      body.appendChild(el("h3", { text: "Appears in" }));
      body.appendChild(el("ul", { className: "cg-rels" }, c.sections.map(function (n) {
        return el("li", { text: sectionName(n) });
      })));
    }
  }

  /* One relation read from the side of ``from``: outgoing with its label, incoming with the inverse. */
  function relationItem(r, from) {
    var t = types.get(r.type);
    var line;
    if (r.subject === from) {
      line = [lineSwatch(t), el("span", { className: "cg-verb", text: t.label }), conceptLink(r.object)];
    } else if (t.inverse || t.symmetric) {
      line = [lineSwatch(t), el("span", { className: "cg-verb", text: t.inverse || t.label }), conceptLink(r.subject)];
    } else {
      line = [lineSwatch(t), conceptLink(r.subject), el("span", { className: "cg-verb", text: t.label }),
              el("span", { text: "this concept" })];
    }
    var item = el("li", null, [el("div", { className: "cg-rel-line" }, line)]);
    r.evidence.forEach(function (e) { item.appendChild(quote(e)); item.appendChild(citation(e)); });
    item.appendChild(el("button", { type: "button", text: "Read in context",
                                    onclick: function () { selectRelation(r.id, { focusPanel: true }); } }));
    return item;
  }

  function showRelation(id) {
    var r = relations.get(id), t = types.get(r.type);
    var subject = concepts.get(r.subject), object = concepts.get(r.object);
    var body = openDetails(subject.label + " " + t.label + " " + object.label);
    body.appendChild(el("p", { className: "cg-kind" }, [lineSwatch(t), "Relation: " + t.label]));
    body.appendChild(el("h2", { tabindex: "-1" }, [conceptLink(r.subject), " ",
      el("span", { className: "cg-verb", text: t.label }), " ", conceptLink(r.object)]));
    if (t.definition) body.appendChild(el("p", { className: "cg-note" }, [el("em", { text: t.label + ": " }), t.definition]));
    body.appendChild(el("h3", { text: r.evidence.length > 1 ? "In the article (" + r.evidence.length + " passages)" : "In the article" }));
    r.evidence.forEach(function (e) {
      body.appendChild(citation(e));
      body.appendChild(el("blockquote", { className: "cg-context" }, [
        e.before, el("mark", { text: e.quote }), e.after]));
    });
    if (r.note) body.appendChild(el("p", { className: "cg-note" }, [el("em", { text: "Note: " }), r.note]));
  }

  function focusPanelHeading() {
    var heading = q("details-body").querySelector("h2");
    if (heading) heading.focus();
  }

  function reveal(id) {
    var visible = computeVisible();
    if (visible.nodes.has(id)) return;
    state.lecture = 0;
    state.section = 0;
    state.focus = null;
    state.hiddenCategories.delete(concepts.get(id).category);
    showLecture();
    toast("Filters cleared to show \u201c" + concepts.get(id).label + "\u201d");
  }

  function selectConcept(id, opts) {
    if (!concepts.has(id)) return;
    reveal(id);
    state.selected = id;
    state.relation = null;
    showConcept(id);
    refresh();
    network.selectNodes([id]);
    if (opts.center) centre(id);
    if (opts.focusPanel) focusPanelHeading();
  }

  function selectRelation(id, opts) {
    if (!relations.has(id)) return;
    state.relation = id;
    state.selected = null;
    showRelation(id);
    refresh();
    if (current.edges.has(id)) network.selectEdges([id]);
    if (opts && opts.focusPanel) focusPanelHeading();
  }

  function clearSelection() {
    state.selected = null;
    state.relation = null;
    closeDetails();
    network.unselectAll();
    refresh();
  }

  /* Centre a concept, zoomed so that its lit neighbours fit around it as far as they can. */
  function centre(id) {
    var canvas = q("canvas"), positions = network.getPositions(Array.from(current.lit).concat([id]));
    var reach = { x: 80, y: 60 };
    Object.keys(positions).forEach(function (other) {
      reach.x = Math.max(reach.x, Math.abs(positions[other].x - positions[id].x) + 90);
      reach.y = Math.max(reach.y, Math.abs(positions[other].y - positions[id].y) + 40);
    });
    var scale = Math.min(canvas.clientWidth / 2 / reach.x, canvas.clientHeight / 2 / reach.y);
    network.focus(id, { scale: Math.max(0.35, Math.min(scale, 1.2)), animation: animation(motion) });
  }

  // ---- search with completion ------------------------------------------------------------------------
  var input = q("search"), suggest = q("suggest");
  var matches = [], active = -1;
  suggest.id = uid + "suggest";
  input.setAttribute("aria-controls", suggest.id);

  function findConcepts(text) {
    var needle = text.trim().toLowerCase();
    if (!needle) return [];
    var found = [];
    concepts.forEach(function (c) {
      var best = null;
      [c.label].concat(c.synonyms).forEach(function (name, i) {
        var at = name.toLowerCase().indexOf(needle);
        if (at < 0) return;
        var wordStart = at === 0 || /[\s\-(]/.test(name.charAt(at - 1));
        var score = (i === 0 ? 0 : 1) + (at === 0 ? 0 : wordStart ? 2 : 4);
        if (!best || score < best.score) best = { id: c.id, label: c.label, via: i === 0 ? null : name, score: score };
      });
      if (best) found.push(best);
    });
    found.sort(function (a, b) { return a.score - b.score || a.label.localeCompare(b.label); });
    return found.slice(0, 12);
  }

  function renderSuggestions() {
    matches = findConcepts(input.value);
    active = matches.length ? 0 : -1;
    clear(suggest);
    matches.forEach(function (m, i) {
      var option = el("li", { role: "option", id: uid + "opt" + i, "data-id": m.id,
                              onmousedown: function (ev) { ev.preventDefault(); pick(m.id); } },
                      [m.label, m.via ? el("span", { className: "cg-via", text: " \u2014 also \u201c" + m.via + "\u201d" }) : null]);
      suggest.appendChild(option);
    });
    if (!matches.length && input.value.trim()) {
      suggest.appendChild(el("li", { role: "option", "aria-disabled": "true", text: "No concept of that name" }));
    }
    var open = suggest.childNodes.length > 0;
    suggest.hidden = !open;
    input.setAttribute("aria-expanded", String(open));
    markActive();
  }

  function markActive() {
    Array.prototype.forEach.call(suggest.children, function (li, i) {
      li.setAttribute("aria-selected", String(i === active));
    });
    if (active >= 0) {
      input.setAttribute("aria-activedescendant", uid + "opt" + active);
      suggest.children[active].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function closeSuggestions() {
    suggest.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function pick(id) {
    closeSuggestions();
    input.value = concepts.get(id).label;
    selectConcept(id, { center: true });
  }

  input.addEventListener("input", renderSuggestions);
  input.addEventListener("blur", function () { setTimeout(closeSuggestions, 150); });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (suggest.hidden) renderSuggestions();
      if (matches.length) active = (active + (ev.key === "ArrowDown" ? 1 : matches.length - 1)) % matches.length;
      markActive();
      ev.preventDefault();
    } else if (ev.key === "Enter") {
      if (!matches.length) matches = findConcepts(input.value);
      if (matches.length) pick(matches[Math.max(active, 0)].id);
      ev.preventDefault();
    } else if (ev.key === "Escape") {
      closeSuggestions();
    }
  });

  // ---- lecture mode -------------------------------------------------------------------------------------
  function showLecture() {
    var banner = q("banner");
    banner.hidden = !state.lecture;
    lectureRoom(state.lecture > 0);
    if (!state.lecture) return;
    var fresh = { concepts: 0, relations: 0 };
    concepts.forEach(function (c) { if (firstSection(c) === state.lecture) fresh.concepts++; });
    relations.forEach(function (r) { if (firstSection(r) === state.lecture) fresh.relations++; });
    q("step").textContent = "Section " + state.lecture + " of " + sections.length + " \u00b7 +" +
      plural(fresh.concepts, "concept") + ", +" + plural(fresh.relations, "relation");
    q("step-heading").textContent = sections[state.lecture - 1].heading;
    q("prev").disabled = state.lecture <= 1;
    q("next").disabled = state.lecture >= sections.length;
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  /* Lecture mode gives the graph the legend's room; leaving it brings the legend back. */
  var legendBeforeLecture = null;
  function lectureRoom(on) {
    var side = q("sidepanel");
    if (on && legendBeforeLecture === null) {
      legendBeforeLecture = !side.hidden;
      side.hidden = true;
    } else if (!on && legendBeforeLecture !== null) {
      side.hidden = !legendBeforeLecture;
      legendBeforeLecture = null;
    } else {
      return;
    }
    q("side").setAttribute("aria-pressed", String(!side.hidden));
    resized();
  }

  function lecture(step) {
    state.lecture = Math.max(0, Math.min(step, sections.length));
    lectureRoom(state.lecture > 0);
    if (state.lecture) state.section = 0;
    state.selected = null;
    state.relation = null;
    closeDetails();
    network.unselectAll();
    showLecture();
    refresh();
  }

  q("lecture").addEventListener("click", function () { lecture(state.lecture ? 0 : 1); });
  q("prev").addEventListener("click", function () { lecture(Math.max(1, state.lecture - 1)); });
  q("next").addEventListener("click", function () { lecture(Math.min(sections.length, state.lecture + 1)); });
  q("lecture-end").addEventListener("click", function () { lecture(0); });
  document.addEventListener("keydown", function (ev) {
    if (!state.lecture || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    var tag = (ev.target && ev.target.tagName) || "";
    if (/^(INPUT|SELECT|TEXTAREA)$/.test(tag)) return;
    var step = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 }[ev.key];
    if (ev.key === "Home") lecture(1);
    else if (ev.key === "End") lecture(sections.length);
    else if (step) lecture(Math.max(1, Math.min(sections.length, state.lecture + step)));
    else return;
    ev.preventDefault();
  });

  // ---- tools ----------------------------------------------------------------------------------------------
  function setFrozen(value) {
    frozen = value;
    q("physics").setAttribute("aria-pressed", String(frozen));
  }

  q("physics").addEventListener("click", function () {
    setFrozen(!frozen);
    network.setOptions({ physics: { enabled: !frozen } });
    if (!frozen) network.startSimulation();
  });
  q("fit").addEventListener("click", function () { fitVisible(motion); });
  q("side").addEventListener("click", function () {
    var side = q("sidepanel");
    side.hidden = !side.hidden;
    q("side").setAttribute("aria-pressed", String(!side.hidden));
    resized();
  });
  q("details-close").addEventListener("click", clearSelection);
  q("reset").addEventListener("click", function () {
    state = freshState();
    input.value = "";
    closeSuggestions();
    closeDetails();
    network.unselectAll();
    showLecture();
    refresh();
    fitVisible(motion);
  });
  q("png").addEventListener("click", exportPng);

  function caption() {
    var text = data.graph.title;
    if (state.lecture) text += " \u2014 " + sectionName(state.lecture);
    else if (state.section) text += " \u2014 " + sectionName(state.section);
    return text;
  }

  function exportPng() {
    var canvas = q("canvas").querySelector("canvas");
    exporting = true;
    network.redraw();
    var url;
    try { url = canvas.toDataURL("image/png"); } finally { exporting = false; network.redraw(); }
    var name = data.graph.id + (state.lecture ? "-section-" + state.lecture : state.focus ? "-" + state.focus : "") + ".png";
    var link = el("a", { href: url, download: name, hidden: true });
    root.appendChild(link);
    link.click();
    root.removeChild(link);
    api.lastExport = url;
  }

  // ---- text view ---------------------------------------------------------------------------------------------
  var textBuilt = false;
  function buildTextView() {
    var view = q("textview");
    var anchors = new Map();
    data.concepts.forEach(function (c, i) { anchors.set(c.id, uid + "c" + i); });
    view.appendChild(el("h2", { text: "Text view: " + data.graph.title }));
    view.appendChild(el("p", { text: data.concepts.length + " concepts and " + data.relations.length +
      " relations, each relation quoted from the article \u201c" + data.graph.article + "\u201d. " +
      "Concept names are links to their entries." }));
    view.appendChild(el("p", null, [el("button", { type: "button", text: "Back to the graph", onclick: function () { showText(false); } })]));
    data.categories.forEach(function (category) {
      var members = data.concepts.filter(function (c) { return c.category === category.id; });
      if (!members.length) return;
      view.appendChild(el("h3", { text: category.label + " (" + members.length + ")" }));
      members.forEach(function (c) {
        var entry = el("section", { "aria-labelledby": anchors.get(c.id) });
        entry.appendChild(el("h4", { id: anchors.get(c.id), tabindex: "-1", text: c.label }));
        if (c.synonyms.length) entry.appendChild(el("p", null, [el("em", { text: "Also called: " }), c.synonyms.join(", ")]));
        entry.appendChild(el("p", { text: c.definition }));
        if (c.evidence) {
          entry.appendChild(el("p", { className: "cg-quote" }, ["\u201c" + c.evidence.quote + "\u201d (" + sectionName(c.evidence.section) + ")"]));
        }
        var rels = outgoing.get(c.id).concat(incoming.get(c.id));
        if (rels.length) {
          var list = el("ul", { "aria-label": "Relations of " + c.label });
          rels.forEach(function (r) {
            var t = types.get(r.type);
            var out = r.subject === c.id;
            var other = out ? r.object : r.subject;
            var verb = out ? t.label : (t.inverse || (t.symmetric ? t.label : "is the object of \u201c" + t.label + "\u201d from"));
            var link = el("a", { href: "#select=" + encodeURIComponent(other), text: concepts.get(other).label,
                                 onclick: function (ev) { ev.preventDefault(); jumpTo(other, anchors); } });
            var item = el("li", null, [verb, " ", link, ": "]);
            r.evidence.forEach(function (e, i) {
              item.appendChild(el("q", { text: e.quote }));
              item.appendChild(bdi((i ? "; " : " ") + "(" + sectionName(e.section) + ")"));
            });
            list.appendChild(item);
          });
          entry.appendChild(list);
        } else {
          entry.appendChild(el("p", { className: "cg-note", text: "No relations stated." }));
        }
        view.appendChild(entry);
      });
    });
    textBuilt = true;
  }

  function jumpTo(id, anchors) {
    var heading = document.getElementById(anchors.get(id));
    if (heading) { heading.scrollIntoView({ block: "start" }); heading.focus(); }
    state.selected = id;
    state.relation = null;
    writeHash();
  }

  function showText(on) {
    var view = q("textview");
    if (on && !textBuilt) buildTextView();
    view.hidden = !on;
    q("text").setAttribute("aria-pressed", String(on));
    if (on) view.querySelector("h2").setAttribute("tabindex", "-1");
    if (on) view.querySelector("h2").focus();
    else q("text").focus();
  }

  q("text").addEventListener("click", function () { showText(q("textview").hidden); });
  q("skip").addEventListener("click", function () { showText(true); });

  // ---- start ---------------------------------------------------------------------------------------------------
  var api = {
    network: network, nodes: nodes, edges: edges, stable: false, stableAt: null, lastExport: null,
    state: function () { return state; },
    visibleNodes: function () { return Array.from(current.nodes).sort(); },
    visibleEdges: function () { return Array.from(current.edges).sort(); },
    litNodes: function () { return Array.from(current.lit).sort(); },
    select: function (id) { selectConcept(id, { center: true }); },
    lecture: lecture
  };
  root.cg = api;

  // A narrow frame (an embed in a slide) starts with the graph only; the Legend button brings the panel.
  if (root.clientWidth < 720) {
    q("sidepanel").hidden = true;
    q("side").setAttribute("aria-pressed", "false");
  }
  root.querySelector(".cg-title").textContent = data.graph.title;
  var subtitle = data.concepts.length + " concepts \u00b7 " + data.relations.length + " relations \u00b7 from the article \u201c" + data.graph.article + "\u201d";
  root.querySelector(".cg-subtitle").textContent = subtitle;
  buildLegend();
  readHash();
  showLecture();
  refresh({ hash: false });
  if (!data.concepts.length) settle();
})();
