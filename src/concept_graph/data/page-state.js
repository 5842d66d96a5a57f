/* What the reader is looking at (filters, focus, section, lecture step, selection, level of detail,
 * present mode), which concepts and relations that shows, and the URL fragment that links to it.
 * A link that names something the graph does not have yields a notice, not a silent whole graph. */
function cgState(app) {
  var model = app.model;
  var current = fresh();

  function fresh() {
    return { focus: null, depth: 1, section: 0, hiddenTypes: new Set(), hiddenCategories: new Set(),
             highlight: new Set(), selected: null, relation: null, lecture: 0, top: 0, present: false,
             hiddenArticles: new Set() };
  }

  function get() { return current; }
  function set(next) { current = next; }

  /* Views that show a part of the graph get a layout of their own, filling the screen. */
  function compact() {
    return current.lecture > 0 || !!current.focus || current.section > 0 || !!app.data.graph.part ||
      current.hiddenArticles.size > 0;
  }

  /* The concepts and relations the state shows. */
  function visible() {
    var s = current, shown = new Set(), links = new Set();
    model.concepts.forEach(function (c) {
      if (s.hiddenCategories.has(c.category) || !app.articles.shows(c, s)) return;
      if (s.lecture && model.firstSection(c) > s.lecture) return;
      if (!s.lecture && s.section && c.sections.indexOf(s.section) < 0) return;
      shown.add(c.id);
    });
    if (s.top > 0 && s.top < shown.size) {
      // The level of detail: the most connected concepts of what the filters leave.
      var ranked = Array.from(shown).sort(function (a, b) {
        return model.degree.get(b) - model.degree.get(a) || model.order.get(a) - model.order.get(b);
      });
      shown = new Set(ranked.slice(0, s.top));
    }
    model.relations.forEach(function (r) {
      if (s.hiddenTypes.has(r.type) || !shown.has(r.subject) || !shown.has(r.object)) return;
      if (!app.articles.shows(r, s)) return;
      if (s.lecture && model.firstSection(r) > s.lecture) return;
      if (!s.lecture && s.section && r.sections.indexOf(s.section) < 0) return;
      links.add(r.id);
    });
    if (s.focus && model.concepts.has(s.focus)) {
      shown.add(s.focus);
      var near = model.neighbours(s.focus, s.depth, links);
      shown.forEach(function (id) { if (!near.has(id)) shown.delete(id); });
      links.forEach(function (id) {
        var r = model.relations.get(id);
        if (!shown.has(r.subject) || !shown.has(r.object)) links.delete(id);
      });
    }
    return { nodes: shown, edges: links };
  }

  /* The concepts to light up: the highlighted ones, the selection and its neighbours, a relation's ends. */
  function lit(shown) {
    var s = current, out = new Set();
    s.highlight.forEach(function (id) { if (shown.nodes.has(id)) out.add(id); });
    if (s.selected && shown.nodes.has(s.selected)) {
      model.neighbours(s.selected, 1, shown.edges).forEach(function (id) { out.add(id); });
    }
    if (s.relation && shown.edges.has(s.relation)) {
      var r = model.relations.get(s.relation);
      out.add(r.subject);
      out.add(r.object);
    }
    return out;
  }

  // ---- the fragment ----------------------------------------------------------------------------
  var KEYS = ["focus", "depth", "section", "types", "categories", "highlight", "select", "relation",
              "lecture", "top", "present", "articles"];

  function quoted(text) { return "\u201c" + text + "\u201d"; }

  /* A state and the notices for what the fragment names that the graph does not have. */
  function parse(fragment) {
    var params = new URLSearchParams(String(fragment || "").replace(/^#/, ""));
    var next = fresh(), notices = [];
    var sectionCount = model.sections.length;
    params.forEach(function (value, key) {
      if (KEYS.indexOf(key) < 0) notices.push("This link has an unknown setting " + quoted(key) + ".");
    });
    function ids(key, known, what) {
      var out = [];
      (params.get(key) || "").split(",").forEach(function (raw) {
        var id = raw.trim();
        if (!id) return;
        if (known.has(id)) out.push(id);
        else notices.push("This graph has no " + what + " " + quoted(id) + " (#" + key + ").");
      });
      return out;
    }
    function one(key, known, what) {
      if (!params.has(key)) return null;
      var id = params.get(key);
      if (known.has(id)) return id;
      notices.push("This graph has no " + what + " " + quoted(id) + " (#" + key + ").");
      return null;
    }
    function number(key, low, high, what) {
      if (!params.has(key)) return 0;
      var value = Number(params.get(key));
      if (Math.floor(value) === value && value >= low && value <= high) return value;
      notices.push("There is no " + what + " " + quoted(params.get(key)) + " (#" + key + "): " +
                   (high >= low ? "use " + low + " to " + high + "." : "the article has none."));
      return 0;
    }
    next.focus = one("focus", model.concepts, "concept");
    if (params.has("depth")) next.depth = number("depth", 1, 9, "depth") || 1;
    next.section = number("section", 1, sectionCount, "section");
    if (params.has("types")) {
      var keep = new Set(ids("types", model.types, "relation type"));
      model.types.forEach(function (t, id) { if (!keep.has(id)) next.hiddenTypes.add(id); });
    }
    if (params.has("categories")) {
      var keepC = new Set(ids("categories", model.categories, "category"));
      model.categories.forEach(function (c, id) { if (!keepC.has(id)) next.hiddenCategories.add(id); });
    }
    next.highlight = new Set(ids("highlight", model.concepts, "concept"));
    next.selected = one("select", model.concepts, "concept");
    next.relation = one("relation", model.relations, "relation");
    next.lecture = number("lecture", 1, sectionCount, "lecture step");
    next.top = number("top", 1, model.concepts.size, "number of concepts");
    next.present = params.has("present");
    app.articles.parse(params, next, notices);
    if (notices.length) notices.push("Showing what the rest of the link asks for.");
    return { state: next, notices: notices };
  }

  function fragment(s) {
    s = s || current;
    var parts = [];
    function add(key, value) { parts.push(value === undefined ? key : key + "=" + value); }
    function list(set, all) {
      return all.filter(function (id) { return set(id); }).map(encodeURIComponent).join(",");
    }
    var typeIds = Array.from(model.types.keys()), categoryIds = Array.from(model.categories.keys());
    if (s.focus) { add("focus", encodeURIComponent(s.focus)); if (s.depth !== 1) add("depth", s.depth); }
    if (s.section) add("section", s.section);
    if (s.hiddenTypes.size) add("types", list(function (id) { return !s.hiddenTypes.has(id); }, typeIds));
    if (s.hiddenCategories.size) {
      add("categories", list(function (id) { return !s.hiddenCategories.has(id); }, categoryIds));
    }
    if (s.highlight.size) add("highlight", Array.from(s.highlight).map(encodeURIComponent).join(","));
    if (s.selected) add("select", encodeURIComponent(s.selected));
    if (s.relation) add("relation", encodeURIComponent(s.relation));
    if (s.lecture) add("lecture", s.lecture);
    if (s.top) add("top", s.top);
    if (s.present) add("present");
    app.articles.fragment(s, add);
    return parts.length ? "#" + parts.join("&") : "";
  }

  /* Only the first page of a document owns the address bar's fragment. */
  function writeHash() {
    if (!app.ownsHash) return;
    var hash = fragment();
    if (hash === location.hash || (!hash && !location.hash)) return;
    try {
      history.replaceState(history.state, "", location.href.split("#")[0] + (hash || "#"));
    } catch (err) {
      // A sandboxed frame may refuse; the view still works, it just cannot be linked.
    }
  }

  return { get: get, set: set, fresh: fresh, compact: compact, visible: visible, lit: lit,
           parse: parse, fragment: fragment, writeHash: writeHash };
}
