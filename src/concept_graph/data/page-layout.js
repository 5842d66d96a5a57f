/* Geometry without the DOM: the bounded relayout of a part of the graph (the twin of
 * concept_graph.layout.relax in Python, same steps and constants), wrapping labels into lines, and
 * placing labels by importance so that none covers another. */
function cgLayout() {
  var RELAX_LIMIT = 400, RELAX_ITERATIONS = 60, MARGIN = 24, ANCHOR = 0.5, HELD_ANCHOR = 3, SEPARATE_PASSES = 60;
  var GOLDEN = 2.399963229728653;

  /* Positions for ``ids`` filling a width x height view, from where they ``start``.

     The start is scaled to fill the view; a short force layout with a pull back to the start
     gathers related concepts and evens out crowding; a last pass pushes apart concepts whose
     disc-and-label boxes (``boxes[id] = [radius, labelWidth, labelHeight]``) overlap. Bounded:
     a part of more than RELAX_LIMIT concepts keeps its (scaled) start. Concepts in ``held`` (a
     Set: those already on screen) are pulled back harder, so a view change moves them least. */
  function relax(ids, start, edges, width, height, boxes, held) {
    var n = ids.length, out = {};
    if (!n) return out;
    var p = ids.map(function (id) { return [start[id].x, start[id].y]; });
    var lowX = Infinity, lowY = Infinity, highX = -Infinity, highY = -Infinity;
    p.forEach(function (xy) {
      lowX = Math.min(lowX, xy[0]); highX = Math.max(highX, xy[0]);
      lowY = Math.min(lowY, xy[1]); highY = Math.max(highY, xy[1]);
    });
    var innerW = Math.max(width - 2 * MARGIN, 1), innerH = Math.max(height - 2 * MARGIN, 1);
    var spanX = Math.max(highX - lowX, 1e-9), spanY = Math.max(highY - lowY, 1e-9);
    var scale = Math.max(highX - lowX, highY - lowY) > 0 ? Math.min(innerW / spanX, innerH / spanY) : 0;
    var cx = (lowX + highX) / 2, cy = (lowY + highY) / 2;
    p = p.map(function (xy, i) {
      // Concepts that start on one point get a small nudge apart, the same for every run.
      return [(xy[0] - cx) * scale + width / 2 + 0.5 * Math.cos(GOLDEN * i),
              (xy[1] - cy) * scale + height / 2 + 0.5 * Math.sin(GOLDEN * i)];
    });
    var lo = [], hi = [];
    ids.forEach(function (id, i) {
      var b = boxes[id];
      lo.push([Math.max(b[1] / 2, b[0]) + 4, b[0] + 4]);
      hi.push([Math.max(width - lo[i][0], lo[i][0]), Math.max(height - b[0] - b[2] - 4, lo[i][1])]);
    });
    if (n <= RELAX_LIMIT) {
      var index = new Map(ids.map(function (id, i) { return [id, i]; }));
      var pairs = [], seen = new Set();
      edges.forEach(function (e) {
        var a = index.get(e[0]), b = index.get(e[1]), key = a + "," + b;
        if (a === undefined || b === undefined || a === b || seen.has(key)) return;
        seen.add(key);
        pairs.push([a, b]);
      });
      // Labels are wide and short: the forces work in a space squeezed sideways by the labels'
      // mean shape, so concepts spread out more across than down.
      var wide = 0, tall = 0;
      ids.forEach(function (id) { wide += Math.max(boxes[id][1], 2 * boxes[id][0]); tall += 2 * boxes[id][0] + boxes[id][2]; });
      var sx = clamp(wide / tall, 1, 4);
      var q = p.map(function (xy) { return [xy[0] / sx, xy[1]]; });
      var anchor = q.map(function (xy) { return xy.slice(); });
      var pull = ids.map(function (id) { return held && held.has(id) ? HELD_ANCHOR : ANCHOR; });
      var roomW = innerW / sx, roomH = innerH;
      var k = 0.9 * Math.sqrt(roomW * roomH / n);
      for (var step = 0; step < RELAX_ITERATIONS; step++) {
        var heat = 0.1 * Math.min(roomW, roomH) * (1 - step / RELAX_ITERATIONS);
        var push = q.map(function () { return [0, 0]; });
        for (var i = 0; i < n; i++) {
          for (var j = 0; j < n; j++) {
            if (i === j) continue;
            var dx = q[i][0] - q[j][0], dy = q[i][1] - q[j][1];
            var dist = Math.max(Math.sqrt(dx * dx + dy * dy), 0.01), f = k * k / dist / dist;
            push[i][0] += dx * f; push[i][1] += dy * f;
          }
        }
        pairs.forEach(function (pair) {
          var a = pair[0], b = pair[1];
          var dx = q[a][0] - q[b][0], dy = q[a][1] - q[b][1];
          var length = Math.max(Math.sqrt(dx * dx + dy * dy), 0.01), f = length / k;
          push[a][0] -= dx * f; push[a][1] -= dy * f;
          push[b][0] += dx * f; push[b][1] += dy * f;
        });
        for (i = 0; i < n; i++) {
          var mx = push[i][0] + pull[i] * (anchor[i][0] - q[i][0]);
          var my = push[i][1] + pull[i] * (anchor[i][1] - q[i][1]);
          var size = Math.max(Math.sqrt(mx * mx + my * my), 1e-9), move = Math.min(size, heat) / size;
          q[i][0] = clamp(q[i][0] + mx * move, lo[i][0] / sx, hi[i][0] / sx);
          q[i][1] = clamp(q[i][1] + my * move, lo[i][1], hi[i][1]);
        }
      }
      p = q.map(function (xy) { return [xy[0] * sx, xy[1]]; });
      separate(ids, p, boxes, lo, hi);
    }
    ids.forEach(function (id, i) { out[id] = { x: Math.round(p[i][0] * 10) / 10, y: Math.round(p[i][1] * 10) / 10 }; });
    return out;
  }

  function clamp(v, low, high) { return v < low ? low : v > high ? high : v; }

  /* Push apart concepts whose disc-and-label boxes overlap, along the shorter overlap. Each pass
     finds the overlapping pairs, then settles them one by one in order (a pair an earlier move
     already parted is skipped); pairs a move makes overlap wait for the next pass. */
  function separate(ids, p, boxes, lo, hi) {
    var n = ids.length;
    var halfW = ids.map(function (id) { return Math.max(boxes[id][0], boxes[id][1] / 2) + 2; });
    var top = ids.map(function (id) { return boxes[id][0] + 1; });
    var bottom = ids.map(function (id) { return boxes[id][0] + boxes[id][2] + 1; });
    function overlap(i, j) {
      var ox = halfW[i] + halfW[j] - Math.abs(p[i][0] - p[j][0]);
      var oy = p[i][1] <= p[j][1] ? (p[i][1] + bottom[i]) - (p[j][1] - top[j])
                                  : (p[j][1] + bottom[j]) - (p[i][1] - top[i]);
      return [ox, oy];
    }
    for (var pass = 0; pass < SEPARATE_PASSES; pass++) {
      var found = [];
      for (var i = 0; i < n; i++) {
        for (var j = i + 1; j < n; j++) {
          var o = overlap(i, j);
          if (o[0] > 0 && o[1] > 0) found.push([i, j]);
        }
      }
      if (!found.length) break;
      found.forEach(function (pair) {
        var i = pair[0], j = pair[1], o = overlap(i, j);
        if (o[0] <= 0 || o[1] <= 0) return;
        var axis = o[0] < o[1] ? 0 : 1, shift = o[axis] / 2 + 0.5;
        var sign = p[i][axis] >= p[j][axis] ? 1 : -1;
        p[i][axis] += sign * shift;
        p[j][axis] -= sign * shift;
      });
      for (i = 0; i < n; i++) {
        p[i][0] = clamp(p[i][0], lo[i][0], hi[i][0]);
        p[i][1] = clamp(p[i][1], lo[i][1], hi[i][1]);
      }
    }
  }

  /* A label in lines of about ``width`` characters, at most ``most`` (3); a longer one ends in an ellipsis
     (the details, the hover title and the text view carry it whole). */
  function wrap(label, width, most) {
    width = width || 18;
    most = most || 3;
    var words = label.split(/\s+/), lines = [], line = "";
    words.forEach(function (word) {
      if (line && line.length + 1 + word.length > width) { lines.push(line); line = word; }
      else line = line ? line + " " + word : word;
    });
    if (line) lines.push(line);
    if (lines.length > most) {
      lines = lines.slice(0, most - 1).concat([lines.slice(most - 1).join(" ").slice(0, width - 1) + "\u2026"]);
    }
    return lines;
  }

  /* A uniform grid of boxes [x0, y0, x1, y1], to ask quickly whether a box hits any placed one. */
  function Grid(cell) {
    var cells = new Map();
    function each(box, fn) {
      for (var gx = Math.floor(box[0] / cell); gx <= Math.floor(box[2] / cell); gx++) {
        for (var gy = Math.floor(box[1] / cell); gy <= Math.floor(box[3] / cell); gy++) {
          if (fn(gx + "," + gy) === true) return true;
        }
      }
      return false;
    }
    this.add = function (box) {
      each(box, function (key) {
        var list = cells.get(key);
        if (!list) cells.set(key, list = []);
        list.push(box);
      });
    };
    this.hits = function (box) {
      return each(box, function (key) {
        var list = cells.get(key);
        if (!list) return false;
        for (var i = 0; i < list.length; i++) {
          var o = list[i];
          if (box[0] < o[2] && o[0] < box[2] && box[1] < o[3] && o[1] < box[3]) return true;
        }
        return false;
      });
    };
  }

  /* Labels placed in the order given (most important first), each at the first of four spots
     around its concept (below, above, right, left) that stays on screen and covers no label placed
     before it and no concept more important than its own; a spot that covers no concept at all
     is preferred. The rest are hidden. Each item has x, y, r (screen px), lines, px, width,
     height; verbs (edge labels) follow where room is left. */
  function place(items, verbs, width, height) {
    var grid = new Grid(48), discs = new Grid(48), labels = [], hidden = [];
    items.forEach(function (it) { discs.add([it.x - it.r, it.y - it.r, it.x + it.r, it.y + it.r]); });
    items.forEach(function (it) {
      var w = it.width, h = it.height, x = it.x, y = it.y, r = it.r;
      var spots = [[x - w / 2, y + r + 2], [x - w / 2, y - r - 2 - h], [x + r + 4, y - h / 2], [x - r - 4 - w, y - h / 2]];
      var boxes = spots.map(function (s) { return [s[0], s[1], s[0] + w, s[1] + h]; }).filter(function (b) {
        return b[0] >= 0 && b[1] >= 0 && b[2] <= width && b[3] <= height && !grid.hits(b);
      });
      var box = boxes.filter(function (b) { return !discs.hits(b); })[0] || boxes[0] || null;
      if (box) {
        grid.add(box);
        labels.push({ item: it, box: box });
      } else {
        hidden.push(it.id);
      }
      grid.add([x - r, y - r, x + r, y + r]);
    });
    var written = [];
    verbs.forEach(function (v) {
      var w = v.width, h = v.height;
      var spots = [[v.x - w / 2, v.y - h / 2], [v.x - w / 2, v.y - h - 2], [v.x - w / 2, v.y + 2]];
      for (var i = 0; i < spots.length; i++) {
        var b = [spots[i][0], spots[i][1], spots[i][0] + w, spots[i][1] + h];
        if (b[0] < 0 || b[1] < 0 || b[2] > width || b[3] > height || grid.hits(b)) continue;
        grid.add(b);
        written.push({ item: v, box: b });
        break;
      }
    });
    return { labels: labels, hidden: hidden, verbs: written };
  }

  return { relax: relax, wrap: wrap, place: place, RELAX_LIMIT: RELAX_LIMIT };
}
