/* The legend and the filters beside the graph: categories, relation types grouped by family (each
 * family one colour, line and arrowhead), the level of detail, the section, the neighbourhood.
 * Each list is one stop of the Tab key; the arrow keys move inside it. */
function cgLegend(app) {
  var dom = app.dom, model = app.model, data = app.data, q = dom.q, el = dom.el;
  var SVG = "http://www.w3.org/2000/svg";
  var SHAPE_POINTS = {
    diamond: "8,1 15,8 8,15 1,8", triangle: "8,1.5 15,14.5 1,14.5", triangleDown: "1,1.5 15,1.5 8,14.5",
    hexagon: "8,1 14.5,4.5 14.5,11.5 8,15 1.5,11.5 1.5,4.5",
    star: "8,1 9.9,6 15,6 10.9,9.2 12.5,14.5 8,11.3 3.5,14.5 5.1,9.2 1,6 6.1,6"
  };

  function svg(width, height) {
    var node = document.createElementNS(SVG, "svg");
    node.setAttribute("width", String(width));
    node.setAttribute("height", String(height));
    node.setAttribute("viewBox", "0 0 " + width + " " + height);
    node.setAttribute("aria-hidden", "true");
    return node;
  }

  function svgChild(parent, tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, String(attrs[key])); });
    parent.appendChild(node);
    return node;
  }

  function shapeSwatch(category) {
    var box = svg(16, 16);
    var attrs = { fill: category.color, stroke: "#333", "stroke-width": 1 };
    if (category.shape === "square") svgChild(box, "rect", Object.assign({ x: 2, y: 2, width: 12, height: 12 }, attrs));
    else if (SHAPE_POINTS[category.shape]) svgChild(box, "polygon", Object.assign({ points: SHAPE_POINTS[category.shape] }, attrs));
    else svgChild(box, "circle", Object.assign({ cx: 8, cy: 8, r: 6.5 }, attrs));
    return el("span", { className: "cg-swatch" }, [box]);
  }

  /* A family's line: its colour, dashes and arrowhead, as drawn on the graph. */
  function lineSwatch(family) {
    var box = svg(30, 10);
    svgChild(box, "line", { x1: 1, y1: 5, x2: 24, y2: 5, stroke: family.color, "stroke-width": 2.5,
                            "stroke-dasharray": family.dashes ? family.dashes.map(function (d) { return d / 2; }).join(" ") : "none" });
    if (family.arrow === "bar") svgChild(box, "line", { x1: 26, y1: 0.5, x2: 26, y2: 9.5, stroke: family.color, "stroke-width": 2.5 });
    else if (family.arrow === "circle") svgChild(box, "circle", { cx: 25.5, cy: 5, r: 3.5, fill: family.color });
    else if (family.arrow === "vee") svgChild(box, "polyline", { points: "21,1 29,5 21,9", fill: "none", stroke: family.color, "stroke-width": 2 });
    else svgChild(box, "polygon", { points: "21,1 29,5 21,9", fill: family.color });
    return el("span", { className: "cg-line" }, [box]);
  }

  /* One Tab stop for a list of controls; Up/Down (and Home/End) move between them. */
  function roving(list) {
    function controls() { return Array.prototype.slice.call(list.querySelectorAll("input")); }
    function current(target) {
      controls().forEach(function (c) { c.tabIndex = c === target ? 0 : -1; });
    }
    list.addEventListener("focusin", function (ev) { if (ev.target.tagName === "INPUT") current(ev.target); });
    list.addEventListener("keydown", function (ev) {
      var all = controls(), at = all.indexOf(ev.target);
      if (at < 0) return;
      var next = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: all.length - 1 }[ev.key];
      if (next === undefined) return;
      next = Math.max(0, Math.min(all.length - 1, next));
      current(all[next]);
      all[next].focus();
      ev.preventDefault();
      ev.stopPropagation();
    });
    var all = controls();
    if (all.length) current(all[0]);
  }

  function count(n) { return el("span", { className: "cg-count", text: String(n) }); }

  function build() {
    var state = app.state;
    var catList = q("categories");
    data.categories.forEach(function (c) {
      var box = el("input", { type: "checkbox", checked: true, "data-category": c.id,
                              onchange: function () { toggle(state.get().hiddenCategories, c.id, !box.checked); } });
      catList.appendChild(el("li", { title: c.definition || null }, [el("label", null, [
        box, shapeSwatch(c), el("span", { className: "cg-name", text: c.label }), count(c.count)])]));
    });
    roving(catList);

    var typeList = q("types");
    data.families.forEach(function (f) {
      var members = data.types.filter(function (t) { return t.family === f.id; });
      if (!members.length) return;
      var total = members.reduce(function (sum, t) { return sum + t.count; }, 0);
      var familyBox = el("input", { type: "checkbox", checked: true, "data-family": f.id,
        "aria-label": "All of the family " + f.label,
        onchange: function () {
          members.forEach(function (t) {
            if (familyBox.checked) state.get().hiddenTypes.delete(t.id); else state.get().hiddenTypes.add(t.id);
          });
          app.update();
        } });
      var inner = el("ul", { "aria-label": f.label });
      members.forEach(function (t) {
        var box = el("input", { type: "checkbox", checked: true, "data-type": t.id,
                                onchange: function () { toggle(state.get().hiddenTypes, t.id, !box.checked); } });
        var item = el("li", { title: t.definition || null }, [el("label", null, [
          box, el("span", { className: "cg-name", text: t.label }), count(t.count)])]);
        if (!t.count) item.style.opacity = "0.6";
        inner.appendChild(item);
      });
      typeList.appendChild(el("li", { className: "cg-family", title: f.definition || null }, [
        el("label", null, [familyBox, lineSwatch(f), el("span", { className: "cg-name", text: f.label }), count(total)]),
        inner]));
    });
    roving(typeList);

    var top = q("top");
    top.max = String(data.concepts.length);
    top.value = String(data.concepts.length);
    top.addEventListener("input", function () {
      var n = parseInt(top.value, 10);
      state.get().top = n >= data.concepts.length ? 0 : n;
      app.update();
    });

    var select = q("section");
    select.appendChild(el("option", { value: "0", text: "All sections" }));
    model.sections.forEach(function (s) {
      select.appendChild(el("option", { value: String(s.number), text: s.number + ". " + s.heading }));
    });
    select.addEventListener("change", function () { state.get().section = parseInt(select.value, 10) || 0; app.update(); });
    q("depth").addEventListener("change", function () {
      var depth = parseInt(q("depth").value, 10);
      state.get().depth = depth >= 1 ? Math.min(depth, 9) : 1;
      app.update();
    });
    q("near-clear").addEventListener("click", function () { state.get().focus = null; app.update(); });
    q("types-all").addEventListener("click", function () { state.get().hiddenTypes.clear(); app.update(); });
    q("types-none").addEventListener("click", function () {
      model.types.forEach(function (t, id) { state.get().hiddenTypes.add(id); });
      app.update();
    });
  }

  function toggle(set, id, hide) {
    if (hide) set.add(id); else set.delete(id);
    app.update();
  }

  function sync() {
    var s = app.state.get();
    app.root.querySelectorAll("input[data-category]").forEach(function (box) {
      box.checked = !s.hiddenCategories.has(box.getAttribute("data-category"));
    });
    app.root.querySelectorAll("input[data-type]").forEach(function (box) {
      box.checked = !s.hiddenTypes.has(box.getAttribute("data-type"));
    });
    app.root.querySelectorAll("input[data-family]").forEach(function (box) {
      var id = box.getAttribute("data-family");
      var members = data.types.filter(function (t) { return t.family === id; });
      var hidden = members.filter(function (t) { return s.hiddenTypes.has(t.id); }).length;
      box.checked = hidden < members.length;
      box.indeterminate = hidden > 0 && hidden < members.length;
    });
    var n = data.concepts.length;
    q("top").value = String(s.top || n);
    q("top-out").textContent = s.top ? s.top + " of " + n + ", the most connected" : "all " + n;
    q("section").value = String(s.section);
    q("section").disabled = s.lecture > 0;
    q("depth").value = String(s.depth);
    var near = q("near");
    dom.clear(near);
    if (s.focus) {
      near.appendChild(document.createTextNode("around "));
      near.appendChild(el("strong", { text: model.concepts.get(s.focus).label }));
    } else {
      near.appendChild(document.createTextNode("Open a concept, then \u201cNeighbourhood\u201d."));
    }
    q("near-clear").disabled = !s.focus;
  }

  return { build: build, sync: sync, shapeSwatch: shapeSwatch, lineSwatch: lineSwatch };
}
