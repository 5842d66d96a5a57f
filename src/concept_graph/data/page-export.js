/* Export for slides: the current view on a 16:9 picture, every visible concept fitted in (nothing
 * cropped), with a caption bar above the graph and a legend beside it (both cover nothing), as a
 * PNG at 2x (2560 x 1440, or a chosen width) or as SVG. One scene, two painters: a canvas and SVG
 * markup. */
function cgExport(app) {
  var dom = app.dom, model = app.model, layout = app.layout, data = app.data;
  var WIDTH = 1280, HEIGHT = 720, CAPTION = 64, LEGEND = 270, PAD = 16;  // a 16:9 slide
  var INK = "#14181c", MUTED = "#5b6570";

  function caption() {
    var s = app.state.get(), text = data.graph.title, step = app.state.step();
    if (step) return text + " \u2014 " + step.title;
    if (s.lecture) text += " \u2014 " + model.sectionName(s.lecture);
    else if (s.section) text += " \u2014 " + model.sectionName(s.section);
    if (s.focus) text += " \u2014 around " + model.concepts.get(s.focus).label;
    if (s.path.length > 1) {
      text += " \u2014 from " + model.concepts.get(s.path[0]).label + " to " + model.concepts.get(s.path[s.path.length - 1]).label;
    }
    return text;
  }

  /* Everything to draw, in logical pixels of a width x height picture. */
  function scene() {
    var snap = app.view.snapshot();
    var width = WIDTH, height = HEIGHT, graphW = width - LEGEND, graphH = height - CAPTION;
    var byId = new Map(snap.nodes.map(function (n) { return [n.id, n]; }));
    // Fit every visible concept, with room for the labels at the sides and below.
    var b = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
    snap.nodes.forEach(function (n) {
      b.x0 = Math.min(b.x0, n.x); b.x1 = Math.max(b.x1, n.x); b.y0 = Math.min(b.y0, n.y); b.y1 = Math.max(b.y1, n.y);
    });
    if (!snap.nodes.length) b = { x0: 0, y0: 0, x1: 1, y1: 1 };
    var room = { left: 80, right: 80, top: 24, bottom: 56 };
    var scale = Math.min((graphW - room.left - room.right) / Math.max(b.x1 - b.x0, 1),
                         (graphH - room.top - room.bottom) / Math.max(b.y1 - b.y0, 1), 1.6);
    var ox = room.left + (graphW - room.left - room.right - (b.x1 - b.x0) * scale) / 2 - b.x0 * scale;
    var oy = CAPTION + room.top + (graphH - room.top - room.bottom - (b.y1 - b.y0) * scale) / 2 - b.y0 * scale;
    var nodes = snap.nodes.map(function (n) {
      return { id: n.id, x: n.x * scale + ox, y: n.y * scale + oy, r: Math.max(3, n.size * Math.min(scale, 1.2)),
               shape: n.shape, fill: n.color.background, stroke: n.color.border, opacity: n.opacity };
    });
    var at = new Map(nodes.map(function (n) { return [n.id, n]; }));
    var edges = snap.edges.map(function (e) {
      return { id: e.id, from: at.get(e.from), to: at.get(e.to), color: e.color.color, opacity: e.color.opacity,
               width: e.width, dashes: e.family.dashes, arrow: e.symmetric ? null : e.family.arrow, bend: e.bend };
    });
    var items = [];
    snap.order.forEach(function (id) {
      var n = at.get(id), info = byId.get(id).info;
      var w = 0;
      info.lines.forEach(function (line) { w = Math.max(w, app.view.textWidth(line, info.px, info.weight)); });
      items.push({ id: id, x: n.x, y: n.y - CAPTION, r: n.r + 1, lines: info.lines, px: info.px, weight: info.weight,
                   color: info.color, width: w + 6, height: info.lines.length * Math.round(info.px * 1.18) + 2 });
    });
    var verbPx = snap.present ? 17 : 14;
    var verbs = snap.verbs.map(function (id) {
      var e = edges.filter(function (x) { return x.id === id; })[0], r = model.relations.get(id);
      var t = model.types.get(r.type), mid = curvePoint(e, 0.5);
      return { id: id, x: mid.x, y: mid.y - CAPTION, lines: [t.label], px: verbPx, weight: "italic 400", plate: true,
               color: e.color, width: app.view.textWidth(t.label, verbPx, "italic 400") + 6, height: Math.round(verbPx * 1.18) + 2 };
    });
    var placed = layout.place(items, verbs, graphW, graphH);
    [placed.labels, placed.verbs].forEach(function (list) {
      list.forEach(function (entry) { entry.box = [entry.box[0], entry.box[1] + CAPTION, entry.box[2], entry.box[3] + CAPTION]; });
    });
    return { width: width, height: height, graphWidth: graphW, nodes: nodes, edges: edges, labels: placed.labels,
             verbs: placed.verbs, unnamed: placed.hidden.length, caption: caption(), subtitle: subtitle(snap),
             legend: legend(snap) };
  }

  function subtitle(snap) {
    var s = app.state.get(), parts = [];
    if (s.lecture) parts.push("lecture step " + s.lecture + " of " + app.state.steps());
    parts.push(dom.plural(snap.nodes.length, "concept") + ", " + dom.plural(snap.edges.length, "relation"));
    parts.push("from the article \u201c" + data.graph.article + "\u201d");
    return parts.join(" \u00b7 ");
  }

  /* The categories and families that the view shows, with the verbs of each family in it. */
  function legend(snap) {
    var categories = [], families = [], seenC = new Set(), verbs = new Map();
    snap.nodes.forEach(function (n) { seenC.add(model.concepts.get(n.id).category); });
    model.categories.forEach(function (c, id) { if (seenC.has(id)) categories.push(c); });
    snap.edges.forEach(function (e) {
      var f = e.family.id;
      if (!verbs.has(f)) verbs.set(f, new Set());
      verbs.get(f).add(e.verb);
    });
    model.families.forEach(function (f, id) {
      if (verbs.has(id)) families.push({ family: f, verbs: Array.from(verbs.get(id)).sort() });
    });
    return { categories: categories, families: families };
  }

  function curvePoint(e, t) {
    var c = control(e);
    var u = 1 - t;
    return { x: u * u * e.from.x + 2 * u * t * c.x + t * t * e.to.x, y: u * u * e.from.y + 2 * u * t * c.y + t * t * e.to.y };
  }

  /* The control point of a bent (parallel) relation: off the middle, to the right of its direction. */
  function control(e) {
    var dx = e.to.x - e.from.x, dy = e.to.y - e.from.y;
    return { x: (e.from.x + e.to.x) / 2 - dy * e.bend, y: (e.from.y + e.to.y) / 2 + dx * e.bend };
  }

  function shapePoints(shape, x, y, r) {
    function ring(count, start, radius) {
      var out = [];
      for (var i = 0; i < count; i++) {
        var a = start + i * 2 * Math.PI / count;
        out.push([x + radius * Math.cos(a), y + radius * Math.sin(a)]);
      }
      return out;
    }
    if (shape === "square") return [[x - r, y - r], [x + r, y - r], [x + r, y + r], [x - r, y + r]];
    if (shape === "diamond") return [[x, y - r * 1.2], [x + r * 1.2, y], [x, y + r * 1.2], [x - r * 1.2, y]];
    if (shape === "triangle") return ring(3, -Math.PI / 2, r * 1.25);
    if (shape === "triangleDown") return ring(3, Math.PI / 2, r * 1.25);
    if (shape === "hexagon") return ring(6, 0, r * 1.1);
    if (shape === "star") {
      var outer = ring(5, -Math.PI / 2, r * 1.3), inner = ring(5, -Math.PI / 2 + Math.PI / 5, r * 0.55), out = [];
      for (var i = 0; i < 5; i++) { out.push(outer[i]); out.push(inner[i]); }
      return out;
    }
    return null;
  }

  /* Draw a scene with a painter: the same calls make the PNG and the SVG. */
  function paint(sc, p) {
    p.rect(0, 0, sc.width, sc.height, "#ffffff");
    sc.edges.forEach(function (e) {
      var end = e.to, dx, dy;
      var c = e.bend ? control(e) : null;
      var tx = c ? end.x - c.x : end.x - e.from.x, ty = c ? end.y - c.y : end.y - e.from.y;
      var len = Math.max(Math.sqrt(tx * tx + ty * ty), 1e-6);
      dx = tx / len; dy = ty / len;
      var tip = { x: end.x - dx * (end.r + 2), y: end.y - dy * (end.r + 2) };
      var style = { color: e.color, width: e.width, dashes: e.dashes, opacity: e.opacity };
      if (c) p.quad(e.from.x, e.from.y, c.x, c.y, tip.x, tip.y, style);
      else p.line(e.from.x, e.from.y, tip.x, tip.y, style);
      if (!e.arrow) return;
      var size = 6 + 2 * e.width, nx = -dy, ny = dx;
      var solid = { color: e.color, width: e.width, opacity: e.opacity };
      if (e.arrow === "bar") {
        p.line(tip.x + nx * size * 0.7, tip.y + ny * size * 0.7, tip.x - nx * size * 0.7, tip.y - ny * size * 0.7,
               { color: e.color, width: e.width + 1, opacity: e.opacity });
      } else if (e.arrow === "circle") {
        p.circle(tip.x - dx * size * 0.4, tip.y - dy * size * 0.4, size * 0.4, e.color, null, 0, e.opacity);
      } else {
        var back = { x: tip.x - dx * size, y: tip.y - dy * size };
        var wing = [[back.x + nx * size * 0.5, back.y + ny * size * 0.5], [tip.x, tip.y],
                    [back.x - nx * size * 0.5, back.y - ny * size * 0.5]];
        if (e.arrow === "vee") p.polyline(wing, solid);
        else p.polygon(wing, e.color, null, 0, e.opacity);
      }
    });
    sc.nodes.forEach(function (n) {
      var points = shapePoints(n.shape, n.x, n.y, n.r);
      if (points) p.polygon(points, n.fill, n.stroke, 1.2, n.opacity);
      else p.circle(n.x, n.y, n.r, n.fill, n.stroke, 1.2, n.opacity);
    });
    sc.verbs.concat(sc.labels).forEach(function (entry) {
      var it = entry.item, line = Math.round(it.px * 1.18), x = (entry.box[0] + entry.box[2]) / 2;
      if (it.plate) p.rect(entry.box[0] + 1, entry.box[1] + 1, entry.box[2] - entry.box[0] - 2, entry.box[3] - entry.box[1] - 2, "#ffffff");
      it.lines.forEach(function (text, i) {
        p.text(text, x, entry.box[1] + 1 + i * line, { px: it.px, weight: it.weight, color: it.color, align: "center", halo: true });
      });
    });
    // The caption bar, above the graph.
    p.rect(0, 0, sc.width, CAPTION, "#f4f6f8");
    p.line(0, CAPTION - 0.5, sc.width, CAPTION - 0.5, { color: "#d5dbe1", width: 1 });
    p.text(sc.caption, PAD, 10, { px: 22, weight: "700", color: INK, align: "left" });
    p.text(sc.subtitle, PAD, 39, { px: 14, weight: "400", color: MUTED, align: "left" });
    // The legend, beside the graph.
    var x = sc.graphWidth, y = CAPTION + PAD;
    p.rect(x, CAPTION, sc.width - x, sc.height - CAPTION, "#fbfcfd");
    p.line(x + 0.5, CAPTION, x + 0.5, sc.height, { color: "#d5dbe1", width: 1 });
    x += PAD;
    function heading(text) { p.text(text, x, y, { px: 13, weight: "700", color: MUTED, align: "left" }); y += 22; }
    if (sc.legend.categories.length) heading("CONCEPTS");
    sc.legend.categories.forEach(function (c) {
      var points = shapePoints(c.shape, x + 8, y + 8, 6);
      if (points) p.polygon(points, c.color, "#333333", 1, 1); else p.circle(x + 8, y + 8, 6, c.color, "#333333", 1, 1);
      p.text(c.label, x + 24, y, { px: 14, weight: "400", color: INK, align: "left" });
      y += 21;
    });
    if (sc.legend.families.length) { y += 8; heading("RELATIONS"); }
    sc.legend.families.forEach(function (entry) {
      var f = entry.family;
      p.line(x, y + 8, x + 24, y + 8, { color: f.color, width: 2.5, dashes: f.dashes });
      p.text(f.label, x + 32, y, { px: 14, weight: "600", color: f.color, align: "left" });
      y += 19;
      wrapWords(entry.verbs.join(", "), 34).forEach(function (line) {
        p.text(line, x + 32, y, { px: 13, weight: "italic 400", color: INK, align: "left" });
        y += 17;
      });
      y += 5;
    });
    if (sc.unnamed) {
      var note = wrapWords(sc.unnamed + " concepts unnamed here for room; the interactive page names them all.", 36);
      note.forEach(function (line, i) {
        p.text(line, x, sc.height - PAD - (note.length - i) * 16, { px: 12, weight: "400", color: MUTED, align: "left" });
      });
    }
  }

  function wrapWords(text, width) { return layout.wrap(text, width, 99); }

  function CanvasPainter(ctx) {
    function stroke(style) {
      ctx.globalAlpha = style.opacity === undefined ? 1 : style.opacity;
      ctx.strokeStyle = style.color;
      ctx.lineWidth = style.width;
      ctx.setLineDash(style.dashes || []);
    }
    this.rect = function (x, y, w, h, fill) { ctx.globalAlpha = 1; ctx.fillStyle = fill; ctx.fillRect(x, y, w, h); };
    this.line = function (x1, y1, x2, y2, style) {
      stroke(style); ctx.beginPath(); ctx.moveTo(x1, y1); ctx.lineTo(x2, y2); ctx.stroke();
    };
    this.quad = function (x1, y1, cx, cy, x2, y2, style) {
      stroke(style); ctx.beginPath(); ctx.moveTo(x1, y1); ctx.quadraticCurveTo(cx, cy, x2, y2); ctx.stroke();
    };
    this.polyline = function (points, style) {
      stroke(style); ctx.beginPath();
      points.forEach(function (pt, i) { if (i) ctx.lineTo(pt[0], pt[1]); else ctx.moveTo(pt[0], pt[1]); });
      ctx.stroke();
    };
    this.polygon = function (points, fill, line, width, opacity) {
      ctx.globalAlpha = opacity; ctx.setLineDash([]); ctx.beginPath();
      points.forEach(function (pt, i) { if (i) ctx.lineTo(pt[0], pt[1]); else ctx.moveTo(pt[0], pt[1]); });
      ctx.closePath(); ctx.fillStyle = fill; ctx.fill();
      if (line) { ctx.strokeStyle = line; ctx.lineWidth = width; ctx.stroke(); }
    };
    this.circle = function (x, y, r, fill, line, width, opacity) {
      ctx.globalAlpha = opacity; ctx.setLineDash([]); ctx.beginPath(); ctx.arc(x, y, r, 0, 2 * Math.PI);
      ctx.fillStyle = fill; ctx.fill();
      if (line) { ctx.strokeStyle = line; ctx.lineWidth = width; ctx.stroke(); }
    };
    this.text = function (text, x, y, o) {
      ctx.globalAlpha = 1; ctx.setLineDash([]);
      ctx.font = o.weight + " " + o.px + "px " + app.view.FONT;
      ctx.textAlign = o.align; ctx.textBaseline = "top";
      if (o.halo) {
        ctx.lineJoin = "round"; ctx.lineWidth = Math.max(3, o.px / 4); ctx.strokeStyle = "rgba(255, 255, 255, 0.95)";
        ctx.strokeText(text, x, y);
      }
      ctx.fillStyle = o.color; ctx.fillText(text, x, y);
    };
  }

  function escapeXml(text) {
    return String(text).replace(/[&<>"]/g, function (ch) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[ch]; });
  }

  function SvgPainter(parts) {
    function num(v) { return String(Math.round(v * 10) / 10); }
    function strokeAttrs(style) {
      return ' fill="none" stroke="' + style.color + '" stroke-width="' + num(style.width) + '"' +
             (style.dashes ? ' stroke-dasharray="' + style.dashes.join(" ") + '"' : "") +
             (style.opacity !== undefined && style.opacity < 1 ? ' stroke-opacity="' + style.opacity + '"' : "");
    }
    function fillAttrs(fill, line, width, opacity) {
      return ' fill="' + fill + '"' + (line ? ' stroke="' + line + '" stroke-width="' + num(width) + '"' : "") +
             (opacity < 1 ? ' opacity="' + opacity + '"' : "");
    }
    this.rect = function (x, y, w, h, fill) {
      parts.push('<rect x="' + num(x) + '" y="' + num(y) + '" width="' + num(w) + '" height="' + num(h) + '" fill="' + fill + '"/>');
    };
    this.line = function (x1, y1, x2, y2, style) {
      parts.push('<line x1="' + num(x1) + '" y1="' + num(y1) + '" x2="' + num(x2) + '" y2="' + num(y2) + '"' + strokeAttrs(style) + "/>");
    };
    this.quad = function (x1, y1, cx, cy, x2, y2, style) {
      parts.push('<path d="M' + num(x1) + " " + num(y1) + " Q" + num(cx) + " " + num(cy) + " " + num(x2) + " " + num(y2) + '"' + strokeAttrs(style) + "/>");
    };
    this.polyline = function (points, style) {
      parts.push('<polyline points="' + points.map(function (p) { return num(p[0]) + "," + num(p[1]); }).join(" ") + '"' + strokeAttrs(style) + "/>");
    };
    this.polygon = function (points, fill, line, width, opacity) {
      parts.push('<polygon class="cg-node" points="' + points.map(function (p) { return num(p[0]) + "," + num(p[1]); }).join(" ") + '"' +
                 fillAttrs(fill, line, width, opacity) + "/>");
    };
    this.circle = function (x, y, r, fill, line, width, opacity) {
      parts.push('<circle class="cg-node" cx="' + num(x) + '" cy="' + num(y) + '" r="' + num(r) + '"' + fillAttrs(fill, line, width, opacity) + "/>");
    };
    this.text = function (text, x, y, o) {
      var italic = o.weight.indexOf("italic") >= 0, weight = o.weight.replace("italic", "").trim() || "400";
      parts.push('<text x="' + num(x) + '" y="' + num(y + o.px * 0.82) + '" font-size="' + o.px + '" font-weight="' + weight + '"' +
                 (italic ? ' font-style="italic"' : "") + ' fill="' + o.color + '"' +
                 (o.align === "center" ? ' text-anchor="middle"' : "") +
                 (o.halo ? ' stroke="#ffffff" stroke-width="' + num(Math.max(3, o.px / 4)) + '" stroke-linejoin="round" paint-order="stroke"' : "") +
                 ">" + escapeXml(text) + "</text>");
    };
  }

  function svg() {
    var sc = scene(), parts = [];
    paint(sc, new SvgPainter(parts));
    return '<svg xmlns="http://www.w3.org/2000/svg" width="' + sc.width + '" height="' + sc.height + '" viewBox="0 0 ' +
           sc.width + " " + sc.height + '" font-family="' + escapeXml(app.view.FONT) + '">\n<title>' + escapeXml(sc.caption) +
           "</title>\n" + parts.join("\n") + "\n</svg>\n";
  }

  /* A PNG of the view (data URL and size): ``width`` pixels wide, or twice 1280 x 720. */
  function png(width) {
    var sc = scene(), ratio = width ? width / sc.width : 2;
    var canvas = document.createElement("canvas");
    canvas.width = Math.round(sc.width * ratio);
    canvas.height = Math.round(sc.height * ratio);
    var ctx = canvas.getContext("2d");
    ctx.scale(ratio, ratio);
    paint(sc, new CanvasPainter(ctx));
    return { url: canvas.toDataURL("image/png"), width: canvas.width, height: canvas.height };
  }

  function fileName(suffix) {
    var s = app.state.get();
    if (s.board && s.lecture) return data.graph.id + "-" + s.board + "-step-" + s.lecture + suffix;
    return data.graph.id + (s.lecture ? "-section-" + s.lecture : s.section ? "-section-" + s.section : "") +
           (s.focus ? "-" + s.focus : "") + (s.path.length > 1 ? "-path-" + s.path[0] + "-" + s.path[s.path.length - 1] : "") + suffix;
  }

  function download(url, name) {
    var link = dom.el("a", { href: url, download: name, hidden: true });
    app.root.appendChild(link);
    link.click();
    app.root.removeChild(link);
  }

  dom.q("png").addEventListener("click", function () {
    var picture = png();
    download(picture.url, fileName(".png"));
    app.lastExport = picture;
  });
  dom.q("svg").addEventListener("click", function () {
    var text = svg();
    var url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
    download(url, fileName(".svg"));
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    app.lastExport = { svg: text };
  });

  return { svg: svg, png: png, scene: scene };
}
