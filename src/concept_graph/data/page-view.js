/* The drawing. vis-network draws the concepts and relations where this part puts them (no physics
 * in the browser: the map comes from the build, a part of the graph gets a short bounded layout of
 * its own), and handles the mouse. This part styles them for the state, moves between views, fits
 * the camera, and draws the labels itself, in screen pixels, hiding those that would collide. */
function cgView(app) {
  var dom = app.dom, model = app.model, layout = app.layout, data = app.data;
  var FONT = "system-ui, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
  var REF = { width: 1000, height: 620 };  // the map is scaled to about this many pixels
  var INK = "#14181c", MUTED = "#5b6570";
  var DIM_NODE = { background: "#e9edf0", border: "#cdd5dc" }, DIM_EDGE = "#dfe4e8";
  var NEW_GLOW = { enabled: true, color: "rgba(245, 168, 0, 0.95)", size: 22, x: 0, y: 0 };
  var MOVE_MS = 450;
  var container = dom.q("canvas");

  // A big graph draws its relations thinner and lighter, so the concepts and labels stay readable.
  var many = data.relations.length > 600;
  var EDGE = { width: many ? 0.8 : 1.6, opacity: many ? 0.55 : 1, arrow: many ? 0.35 : 0.6 };
  var map = normalisedMap();
  var nodes = new vis.DataSet(data.concepts.map(nodeItem));
  var edges = new vis.DataSet(data.relations.map(edgeItem));
  var big = data.concepts.length > 500;
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, {
    autoResize: true,
    physics: { enabled: false },
    layout: { improvedLayout: false, randomSeed: 7 },
    interaction: { hover: true, tooltipDelay: 250, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
                   keyboard: false, multiselect: false, navigationButtons: false, zoomSpeed: 0.6,
                   zoomView: (data.options || {}).wheel !== "focus" },
    nodes: { borderWidth: 1.5, borderWidthSelected: 3, shape: "dot", size: 10 },
    edges: { width: EDGE.width, selectionWidth: 1.5, hoverWidth: 1, smooth: false, color: { inherit: false },
             arrowStrikethrough: false }
  });
  var body = network.body;
  var canvasElement = container.querySelector("canvas");
  var measureContext = document.createElement("canvas").getContext("2d");

  var applied = { nodes: new Map(), edges: new Map() };
  var shown = { nodes: new Set(), edges: new Set(), lit: new Set() };
  var frame = null, viewKey = null, moving = 0, drawPending = true, stable = false, atFrame = true;
  var labelInfo = new Map(), labelOrder = [], verbEdges = [], lastPlacement = null;
  var widthCache = new Map();

  // ---- the items ----------------------------------------------------------------------------------
  /* The map from the build, scaled to about REF pixels, so that its sizes read as pixels. */
  function normalisedMap() {
    var out = {}, lowX = Infinity, lowY = Infinity, highX = -Infinity, highY = -Infinity;
    data.concepts.forEach(function (c) {
      lowX = Math.min(lowX, c.at[0]); highX = Math.max(highX, c.at[0]);
      lowY = Math.min(lowY, c.at[1]); highY = Math.max(highY, c.at[1]);
    });
    var scale = Math.min(REF.width / Math.max(highX - lowX, 1), REF.height / Math.max(highY - lowY, 1));
    var cx = (lowX + highX) / 2, cy = (lowY + highY) / 2;
    data.concepts.forEach(function (c) {
      out[c.id] = { x: Math.round((c.at[0] - cx) * scale), y: Math.round((c.at[1] - cy) * scale) };
    });
    return out;
  }

  function isolate(text) { return "\u2068" + text + "\u2069"; }
  function clip(text, limit) {
    text = text.replace(/\s+/g, " ").trim();
    return text.length <= limit ? text : text.slice(0, limit - 1).trim() + "\u2026";
  }

  function nodeColour(c) {
    var category = model.categories.get(c.category);
    var border = darker(category.color);
    return { background: category.color, border: border, highlight: { background: category.color, border: INK },
             hover: { background: category.color, border: INK } };
  }

  function darker(colour) {
    var rgb = [1, 3, 5].map(function (i) { return Math.round(parseInt(colour.slice(i, i + 2), 16) * 0.7); });
    return "#" + rgb.map(function (v) { return (v < 16 ? "0" : "") + v.toString(16); }).join("");
  }

  function nodeItem(c) {
    var category = model.categories.get(c.category);
    var hover = [isolate(c.label), isolate(category.label)];
    if (c.synonyms.length) hover.push("also: " + c.synonyms.map(isolate).join(", "));
    hover.push(isolate(clip(c.definition, 240)));
    return { id: c.id, x: map[c.id].x, y: map[c.id].y, shape: category.shape, color: nodeColour(c),
             title: hover.join("\n"), size: 10 };
  }

  function edgeItem(r) {
    var t = model.types.get(r.type), family = model.family(r.type);
    var item = {
      id: r.id, from: r.subject, to: r.object, dashes: family.dashes,
      color: { color: family.color, highlight: family.color, hover: family.color, opacity: EDGE.opacity },
      arrows: { to: { enabled: !t.symmetric, type: family.arrow, scaleFactor: EDGE.arrow } },
      title: isolate(model.concepts.get(r.subject).label) + " " + isolate(t.label) + " " +
             isolate(model.concepts.get(r.object).label) + "\n\u201c" + isolate(clip(r.evidence[0].quote, 240)) + "\u201d"
    };
    if (r.bend) item.smooth = { enabled: true, type: r.bend > 0 ? "curvedCW" : "curvedCCW", roundness: Math.abs(r.bend) };
    return item;
  }

  // ---- applying the state ----------------------------------------------------------------------------
  function queue(seen, updates, update) {
    var key = JSON.stringify(update);
    if (seen.get(update.id) !== key) { seen.set(update.id, key); updates.push(update); }
  }

  /* Show ``visible`` for the current state: styles, label emphasis, and, when what is shown changed,
     the positions and the camera. */
  function apply(visible, lit, opts) {
    opts = opts || {};
    var st = app.state.get(), compact = app.state.compact(), lesson = app.state.lesson();
    var chain = new Set(lesson.chain);
    var degree = new Map();
    visible.nodes.forEach(function (id) { degree.set(id, 0); });
    visible.edges.forEach(function (id) {
      var r = model.relations.get(id);
      degree.set(r.subject, degree.get(r.subject) + 1);
      degree.set(r.object, degree.get(r.object) + 1);
    });
    var maxDegree = 1;
    degree.forEach(function (d) { maxDegree = Math.max(maxDegree, d); });
    var area = compact ? Math.max(container.clientWidth * container.clientHeight, 1e5) : REF.width * REF.height;
    var density = Math.max(0.35, Math.min(1.3, Math.sqrt(area / Math.max(visible.nodes.size, 1)) / 60));
    var nodeUpdates = [], edgeUpdates = [];
    model.concepts.forEach(function (c) {
      var hidden = !visible.nodes.has(c.id);
      var dim = lit.size > 0 && !lit.has(c.id);
      // In a lecture, what is new glows and what earlier steps brought is faded, except what the
      // step is about (a storyboard's focus, highlights and path stops).
      var fresh = lesson.newConcepts.has(c.id), about = lesson.about.has(c.id);
      var old = lesson.glow && !fresh && !about && !lesson.told.has(c.id);
      var size = hidden ? 10 : Math.round((5 + 9 * Math.sqrt(degree.get(c.id) / maxDegree)) * density * 10) / 10;
      queue(applied.nodes, nodeUpdates, {
        id: c.id, hidden: hidden, size: size,
        color: dim ? { background: DIM_NODE.background, border: DIM_NODE.border, highlight: DIM_NODE, hover: DIM_NODE }
                   : nodeColour(c),
        borderWidth: c.id === st.focus || about ? 3.5 : fresh && lesson.glow ? 3 : 1.5,
        opacity: old ? 0.45 : 1,
        shadow: fresh && lesson.glow ? NEW_GLOW : { enabled: false }
      });
    });
    model.relations.forEach(function (r) {
      var family = model.family(r.type);
      var hidden = !visible.edges.has(r.id);
      var touches = r.subject === st.selected || r.object === st.selected || r.id === st.relation;
      var dim = lit.size > 0 && !touches && !(st.highlight.has(r.subject) && st.highlight.has(r.object));
      var fresh = lesson.newRelations.has(r.id), along = chain.has(r.id) || lesson.quoted.has(r.id);
      var old = lesson.glow && !fresh && !along;
      var colour = dim ? DIM_EDGE : family.color;
      queue(applied.edges, edgeUpdates, {
        id: r.id, hidden: hidden,
        color: { color: colour, highlight: colour, hover: colour, opacity: old ? 0.35 : touches ? 1 : EDGE.opacity },
        width: touches || along || (fresh && lesson.glow) ? 3 : EDGE.width
      });
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
    shown = { nodes: visible.nodes, edges: visible.edges, lit: lit };
    emphasis(visible, lit, degree, maxDegree, compact, lesson);
    var key = Array.from(visible.nodes).sort().join(",") + (compact ? "|part" : "") + (st.present ? "|present" : "");
    if (key !== viewKey) {
      viewKey = key;
      arrange(visible, opts.animate !== false && app.motion);
    } else {
      changed();
    }
  }

  /* Which labels matter most, how big each is drawn, and which edges carry their verb. */
  function emphasis(visible, lit, degree, maxDegree, compact, lesson) {
    var st = app.state.get();
    var base = st.present ? 19 : compact ? 15 : 14, spread = st.present ? 9 : 6;
    if (compact && crowded(visible.nodes, base + spread / 2)) {
      // Too many labels for the screen at that size: every one at the smallest readable size
      // names more of them than a few big ones would.
      base = st.present ? 17 : 14;
      spread = st.present ? 3 : 2;
    }
    labelInfo = new Map();
    visible.nodes.forEach(function (id) {
      var c = model.concepts.get(id);
      var fresh = lesson.newConcepts.has(id), about = lesson.about.has(id);
      var dim = lit.size > 0 && !lit.has(id);
      var rank = degree.get(id) / maxDegree;
      if (id === st.selected) rank += 1000;
      else if (st.relation && (model.relations.get(st.relation).subject === id || model.relations.get(st.relation).object === id)) rank += 900;
      else if (id === st.focus || about) rank += 800;
      else if (lit.has(id)) rank += 500;
      else if (fresh) rank += 300;
      else if (dim) rank -= 10;
      var strong = id === st.selected || id === st.focus || about;
      labelInfo.set(id, {
        lines: layout.wrap(c.label), rank: rank,
        px: Math.round(base + spread * Math.sqrt(degree.get(id) / maxDegree)) + (strong ? 2 : 0),
        weight: strong ? "700" : (fresh || lit.has(id) ? "600" : "400"),
        // In a lecture, what earlier steps brought is context: its names are quieter.
        color: dim || (lesson.glow && !fresh && !about && !lesson.told.has(id) && !lit.has(id)) ? MUTED : INK
      });
    });
    labelOrder = Array.from(visible.nodes).sort(function (a, b) {
      return labelInfo.get(b).rank - labelInfo.get(a).rank || model.order.get(a) - model.order.get(b);
    });
    // Verbs on the edges: every edge of a small view or a neighbourhood, what a lecture step brings
    // (the relations it quotes and its chain first), and the relations of the selected concept.
    var all = visible.edges.size <= 24 || !!st.focus || (app.data.graph.focus && !st.lecture);
    var chain = new Set(lesson.chain);
    verbEdges = [];
    visible.edges.forEach(function (id) {
      var r = model.relations.get(id);
      var touches = r.subject === st.selected || r.object === st.selected || id === st.relation;
      var fresh = lesson.newRelations.has(id), told = lesson.quoted.has(id) || chain.has(id);
      if (touches || fresh || told || all) {
        verbEdges.push({ id: id, rank: id === st.relation ? 4 : touches ? 3 : told ? 2 : fresh ? 1 : 0 });
      }
    });
    verbEdges.sort(function (a, b) { return b.rank - a.rank || (a.id < b.id ? -1 : 1); });
  }

  /* Whether the labels of ``ids`` at ``px`` would cover more than 45% of the canvas. */
  function crowded(ids, px) {
    var size = canvasSize(), area = 0;
    ids.forEach(function (id) {
      var lines = layout.wrap(model.concepts.get(id).label), width = 0;
      lines.forEach(function (line) { width = Math.max(width, textWidth(line, px, "400")); });
      area += (width + 10) * (lines.length * px * 1.18 + 26);
    });
    return area > 0.45 * size.width * size.height;
  }

  // ---- positions ---------------------------------------------------------------------------------------
  function canvasSize() {
    return { width: Math.max(container.clientWidth, 200), height: Math.max(container.clientHeight, 160) };
  }

  function textWidth(text, px, weight) {
    var key = weight + "|" + text;
    var unit = widthCache.get(key);
    if (unit === undefined) {
      measureContext.font = weight + " 100px " + FONT;
      unit = measureContext.measureText(text).width / 100;
      widthCache.set(key, unit);
    }
    return unit * px;
  }

  function labelSize(info) {
    var width = 0;
    info.lines.forEach(function (line) { width = Math.max(width, textWidth(line, info.px, info.weight)); });
    return { width: width + 6, height: info.lines.length * Math.round(info.px * 1.18) + 2 };
  }

  /* Where the visible concepts go: the map for the whole graph, a relaid part otherwise. */
  function arrange(visible, animate) {
    var ids = Array.from(visible.nodes).sort(function (a, b) { return model.order.get(a) - model.order.get(b); });
    var target = {}, start = null;
    if (!app.state.compact()) {
      ids.forEach(function (id) { target[id] = map[id]; });
      frame = bounds(ids, target, labelMargins());
    } else {
      var size = canvasSize(), boxes = {};
      start = startPositions(ids);
      ids.forEach(function (id) {
        var label = labelSize(labelInfo.get(id));
        boxes[id] = [nodes.get(id).size, label.width, label.height];
      });
      var pairs = Array.from(visible.edges).map(function (id) {
        var r = model.relations.get(id);
        return [r.subject, r.object];
      });
      var held = new Set(ids.filter(function (id) { return wasShown.has(id); }));
      target = layout.relax(ids, start, pairs, size.width, size.height, boxes, held);
      if (ids.length > layout.RELAX_LIMIT) frame = bounds(ids, target, labelMargins());
      else frame = { x0: 0, y0: 0, x1: size.width, y1: size.height };
    }
    moveNodes(target, start || target, animate);
  }

  /* Room around the outermost concepts for their labels (map units read as pixels). */
  function labelMargins() { return { left: 70, right: 70, top: 18, bottom: 46 }; }

  function bounds(ids, at, margin) {
    var b = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
    ids.forEach(function (id) {
      b.x0 = Math.min(b.x0, at[id].x); b.x1 = Math.max(b.x1, at[id].x);
      b.y0 = Math.min(b.y0, at[id].y); b.y1 = Math.max(b.y1, at[id].y);
    });
    if (!ids.length) b = { x0: 0, y0: 0, x1: 1, y1: 1 };
    return { x0: b.x0 - margin.left, y0: b.y0 - margin.top, x1: b.x1 + margin.right, y1: b.y1 + margin.bottom };
  }

  /* A part starts from what is on screen: concepts already shown where they are, a newcomer where
     the map puts it, moved (scaled and shifted) like the shown ones. Placing a newcomer beside the
     shown concepts it is related to, in any direction, shuffled the shown ones once many came at
     once (a neighbourhood opened to depth 2); the map's direction keeps their order. */
  function startPositions(ids) {
    var previous = new Set(), start = {};
    ids.forEach(function (id) { if (wasShown.has(id)) previous.add(id); });
    if (previous.size < 2) {
      ids.forEach(function (id) { start[id] = map[id]; });
      return start;
    }
    // Map -> screen as a scale and shift, fitted on the concepts shown before and now.
    var mx = 0, my = 0, sx = 0, sy = 0, n = previous.size;
    previous.forEach(function (id) { mx += map[id].x; my += map[id].y; sx += body.nodes[id].x; sy += body.nodes[id].y; });
    mx /= n; my /= n; sx /= n; sy /= n;
    var num = 0, den = 0;
    previous.forEach(function (id) {
      var ax = map[id].x - mx, ay = map[id].y - my;
      num += ax * (body.nodes[id].x - sx) + ay * (body.nodes[id].y - sy);
      den += ax * ax + ay * ay;
    });
    var s = den > 0 ? Math.max(num / den, 0.05) : 1;
    ids.forEach(function (id) {
      start[id] = previous.has(id) ? { x: body.nodes[id].x, y: body.nodes[id].y }
        : { x: sx + (map[id].x - mx) * s, y: sy + (map[id].y - my) * s };
    });
    return start;
  }

  var wasShown = new Set();

  /* Move the concepts to ``target`` (gliding, unless the reader asked for reduced motion) and the
     camera to the view's frame; nothing moves afterwards. */
  function moveNodes(target, origin, animate) {
    var ids = Object.keys(target), before = wasShown;
    wasShown = new Set(ids);
    var camera = cameraFor(frame);
    if (!animate) {
      nodes.update(ids.map(function (id) { return { id: id, x: target[id].x, y: target[id].y }; }));
      network.moveTo({ position: camera.position, scale: camera.scale, animation: false });
      changed();
      return;
    }
    var from = {};
    // A concept glides from where it is; a newcomer from where it starts, not where it was hidden.
    ids.forEach(function (id) {
      from[id] = before.has(id) ? { x: body.nodes[id].x, y: body.nodes[id].y } : origin[id];
    });
    var started = performance.now(), token = ++moving;
    busy(true);
    glide(camera);
    function step(now) {
      if (token !== moving) return;
      var t = Math.min(1, (now - started) / MOVE_MS), e = t < 0.5 ? 2 * t * t : 1 - Math.pow(-2 * t + 2, 2) / 2;
      ids.forEach(function (id) {
        var node = body.nodes[id];
        node.x = from[id].x + (target[id].x - from[id].x) * e;
        node.y = from[id].y + (target[id].y - from[id].y) * e;
      });
      if (t < 1) { network.redraw(); requestAnimationFrame(step); return; }
      nodes.update(ids.map(function (id) { return { id: id, x: target[id].x, y: target[id].y }; }));
      gliding = false;
      network.moveTo({ position: camera.position, scale: camera.scale, animation: false });
      moving = 0;
      changed();
    }
    requestAnimationFrame(step);
  }

  function cameraFor(f) {
    atFrame = true;
    var size = canvasSize();
    var scale = Math.min(size.width / Math.max(f.x1 - f.x0, 1), size.height / Math.max(f.y1 - f.y0, 1));
    return { position: { x: (f.x0 + f.x1) / 2, y: (f.y0 + f.y1) / 2 }, scale: Math.max(0.02, Math.min(scale, 2.5)) };
  }

  function fit(animate) {
    if (!frame) return;
    var camera = cameraFor(frame);
    if (animate && app.motion) glide(camera);
    else network.moveTo({ position: camera.position, scale: camera.scale, animation: false });
    changed();
  }

  var gliding = false;
  function glide(camera) {
    gliding = true;
    network.moveTo({ position: camera.position, scale: camera.scale,
                     animation: { duration: MOVE_MS, easingFunction: "easeInOutQuad" } });
  }

  /* Centre a concept, zoomed so that its lit neighbours fit around it as far as they can. */
  function centre(id, animate) {
    if (!body.nodes[id]) return;
    var size = canvasSize(), at = body.nodes[id], reach = { x: 80, y: 60 };
    shown.lit.forEach(function (other) {
      var o = body.nodes[other];
      reach.x = Math.max(reach.x, Math.abs(o.x - at.x) + 90);
      reach.y = Math.max(reach.y, Math.abs(o.y - at.y) + 50);
    });
    atFrame = false;
    var camera = { position: { x: at.x, y: at.y },
                   scale: Math.max(0.3, Math.min(size.width / 2 / reach.x, size.height / 2 / reach.y, 1.6)) };
    if (animate && app.motion) glide(camera);
    else network.moveTo({ position: camera.position, scale: camera.scale, animation: false });
    changed();
  }

  /* Pan (keeping the zoom) when a concept chosen from the keyboard lies near or past the edge. */
  function keepOnScreen(id) {
    var node = body.nodes[id], view = screen();
    if (!node) return;
    var x = view.x(node.x), y = view.y(node.y);
    if (x > 60 && y > 40 && x < view.width - 60 && y < view.height - 60) return;
    atFrame = false;
    network.moveTo({ position: { x: node.x, y: node.y }, scale: view.scale, animation: false });
    changed();
  }

  function zoomBy(factor) {
    atFrame = false;
    network.moveTo({ position: network.getViewPosition(), scale: network.getScale() * factor, animation: false });
    changed();
  }

  function panBy(dx, dy) {
    atFrame = false;
    var scale = network.getScale(), at = network.getViewPosition();
    network.moveTo({ position: { x: at.x + dx / scale, y: at.y + dy / scale }, scale: scale, animation: false });
    changed();
  }

  /* After any change the page is busy until the next frame is drawn, so a test (or a slide deck)
     that waits for data-cg-busy to go reads what is on screen. */
  function changed() {
    drawPending = true;
    busy(true);
    network.redraw();
  }

  function busy(on) {
    if (on) app.root.setAttribute("data-cg-busy", "true");
    else app.root.removeAttribute("data-cg-busy");
  }

  /* A panel opened or closed beside the canvas: resize now and draw, before anything centres on a
     node (vis-network's own resize observer comes a frame later and, finding the size already
     right, would not draw: the canvas stayed blank until the mouse moved). */
  function resized() {
    network.setSize("100%", "100%");
    // A view the reader has not zoomed or panned stays fitted: nothing of it slides off the edge.
    if (atFrame && frame) {
      var camera = cameraFor(frame);
      network.moveTo({ position: camera.position, scale: camera.scale, animation: false });
    }
    changed();
  }

  // ---- labels -------------------------------------------------------------------------------------------
  function screen() {
    var size = { width: canvasElement.clientWidth, height: canvasElement.clientHeight };
    var scale = network.getScale(), at = network.getViewPosition();
    return { width: size.width, height: size.height, scale: scale,
             x: function (wx) { return (wx - at.x) * scale + size.width / 2; },
             y: function (wy) { return (wy - at.y) * scale + size.height / 2; } };
  }

  /* Place the labels of what is on screen now. */
  function placeLabels(view) {
    var st = app.state.get(), items = [], verbs = [];
    var offscreen = 0;
    labelOrder.forEach(function (id) {
      var node = body.nodes[id];
      var info = labelInfo.get(id), x = view.x(node.x), y = view.y(node.y);
      if (x < -40 || y < -40 || x > view.width + 40 || y > view.height + 40) { offscreen++; return; }
      var size = labelSize(info);
      items.push({ id: id, x: x, y: y, r: (node.options.size || 10) * view.scale + 1, lines: info.lines, px: info.px,
                   weight: info.weight, color: info.color, width: size.width, height: size.height });
    });
    var verbPx = st.present ? 17 : 14;
    verbEdges.forEach(function (v) {
      var edge = body.edges[v.id];
      if (!edge || !edge.edgeType) return;
      var r = model.relations.get(v.id), t = model.types.get(r.type), family = model.family(r.type);
      var point = edge.edgeType.getPoint(0.5);
      var dim = shown.lit.size > 0 && v.rank === 0;
      verbs.push({ id: v.id, x: view.x(point.x), y: view.y(point.y), lines: [t.label], px: verbPx, plate: true,
                   weight: "italic 400", color: dim ? MUTED : family.color,
                   width: textWidth(t.label, verbPx, "italic 400") + 6, height: Math.round(verbPx * 1.18) + 2 });
    });
    var placed = layout.place(items, verbs, view.width, view.height);
    placed.unnamed = placed.hidden.length + offscreen;
    return placed;
  }

  function drawText(ctx, entry) {
    var it = entry.item;
    if (it.plate) {
      // A verb sits on its edge: a pale plate keeps the line from striking through it.
      ctx.fillStyle = "rgba(255, 255, 255, 0.88)";
      ctx.fillRect(entry.box[0] + 1, entry.box[1] + 1, entry.box[2] - entry.box[0] - 2, entry.box[3] - entry.box[1] - 2);
    }
    ctx.font = it.weight + " " + it.px + "px " + FONT;
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    ctx.lineWidth = Math.max(3, it.px / 4);
    ctx.strokeStyle = "rgba(255, 255, 255, 0.95)";
    ctx.fillStyle = it.color;
    var line = Math.round(it.px * 1.18), x = (entry.box[0] + entry.box[2]) / 2;
    it.lines.forEach(function (text, i) {
      ctx.strokeText(text, x, entry.box[1] + 1 + i * line);
      ctx.fillText(text, x, entry.box[1] + 1 + i * line);
    });
  }

  network.on("afterDrawing", function (ctx) {
    var view = screen();
    var placed = placeLabels(view);
    var ratio = canvasElement.width / Math.max(canvasElement.clientWidth, 1);
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    placed.verbs.forEach(function (entry) { drawText(ctx, entry); });
    placed.labels.forEach(function (entry) { drawText(ctx, entry); });
    ctx.restore();
    lastPlacement = placed;
    app.onDrawn(placed);
    if (drawPending && !moving && !gliding) {
      drawPending = false;
      busy(false);
    }
    if (!stable && !moving) {
      stable = true;
      app.onStable();
    }
  });
  network.on("animationFinished", function () { gliding = false; changed(); });
  network.on("zoom", function () { atFrame = false; });
  network.on("dragEnd", function (p) {
    if (!p.nodes.length) { atFrame = false; return; }
    nodes.update(p.nodes.map(function (id) { return { id: id, x: body.nodes[id].x, y: body.nodes[id].y }; }));
  });

  /* The labels drawn now, in CSS pixels of the page: the test hook cg.labels(). */
  function labels() {
    if (!lastPlacement) return [];
    var rect = canvasElement.getBoundingClientRect();
    return lastPlacement.labels.map(function (entry) {
      return { id: entry.item.id, text: entry.item.lines.join(" "), x: rect.left + entry.box[0],
               y: rect.top + entry.box[1], width: entry.box[2] - entry.box[0], height: entry.box[3] - entry.box[1],
               px: entry.item.px };
    });
  }

  function verbs() {
    if (!lastPlacement) return [];
    return lastPlacement.verbs.map(function (entry) { return { id: entry.item.id, text: entry.item.lines[0] }; });
  }

  /* What the exporter draws: the visible concepts and relations as they are now. */
  function snapshot() {
    var st = app.state.get();
    return {
      nodes: Array.from(shown.nodes).map(function (id) {
        var node = body.nodes[id], item = nodes.get(id);
        return { id: id, x: node.x, y: node.y, size: item.size, shape: item.shape, color: item.color,
                 opacity: item.opacity, borderWidth: item.borderWidth, info: labelInfo.get(id) };
      }),
      edges: Array.from(shown.edges).map(function (id) {
        var r = model.relations.get(id), item = edges.get(id);
        return { id: id, from: r.subject, to: r.object, color: item.color, width: item.width,
                 family: model.family(r.type), symmetric: model.types.get(r.type).symmetric,
                 bend: r.bend || 0, verb: model.types.get(r.type).label };
      }),
      order: labelOrder.slice(), verbs: verbEdges.map(function (v) { return v.id; }), present: st.present
    };
  }

  return {
    network: network, nodes: nodes, edges: edges, apply: apply, fit: fit, centre: centre, zoomBy: zoomBy,
    keepOnScreen: keepOnScreen,
    panBy: panBy, resized: resized, labels: labels, verbs: verbs, snapshot: snapshot, textWidth: textWidth,
    shown: function () { return shown; }, mapPositions: function () { return map; }, FONT: FONT
  };
}
