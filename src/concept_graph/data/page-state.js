/* What the reader is looking at (filters, focus, section, path, lecture step of the sections or of
 * a storyboard, selection, level of detail, present mode), which concepts and relations that shows,
 * what it puts first, and the URL fragment that links to it. A link that names something the graph
 * does not have yields a notice, not a silent whole graph. */
function cgState(app) {
  var model = app.model;
  var current = fresh();

  function fresh() {
    return { focus: null, depth: 1, section: 0, hiddenTypes: new Set(), hiddenCategories: new Set(),
             highlight: new Set(), selected: null, relation: null, quiet: false, lecture: 0, board: "", path: [],
             top: 0, present: false, hiddenArticles: new Set() };
  }

  function get() { return current; }
  function set(next) { current = next; }

  /* Views that show a part of the graph get a layout of their own, filling the screen. */
  function compact() {
    return current.lecture > 0 || !!current.focus || current.section > 0 || current.path.length > 1 ||
           !!app.data.graph.part || current.hiddenArticles.size > 0;
  }

  /* The storyboard step shown now, or null (no lecture, or the lecture of the sections). */
  function step() {
    var board = current.board && model.boards.get(current.board);
    return board && current.lecture ? board.steps[current.lecture - 1] : null;
  }

  /* How many steps the current lecture has: the storyboard's, or one per section. */
  function steps() {
    return current.board ? model.boards.get(current.board).steps.length : model.sections.length;
  }

  /* What the view puts first: in a lecture step, what is new (concepts and relations); the
     concepts it is about (a storyboard step's focus, highlights and path stops, a path's stops);
     the relations of a chain, in order; the relations whose quotes it shows, and their ends. */
  function lesson() {
    var s = current, out = { newConcepts: new Set(), newRelations: new Set(), about: new Set(), chain: [],
                             quoted: new Set(), told: new Set(), glow: s.lecture > 1 };
    var st = step();
    if (st) {
      st.newConcepts.forEach(function (id) { out.newConcepts.add(id); });
      st.newRelations.forEach(function (id) { out.newRelations.add(id); });
      if (st.focus) out.about.add(st.focus);
      st.highlight.concat(st.stops).forEach(function (id) { out.about.add(id); });
      out.chain = st.chain.slice();
      st.quotes.forEach(function (q) { out.quoted.add(q[0]); });
    } else if (s.lecture) {
      model.concepts.forEach(function (c, id) { if (model.firstSection(c) === s.lecture) out.newConcepts.add(id); });
      model.relations.forEach(function (r, id) { if (model.firstSection(r) === s.lecture) out.newRelations.add(id); });
    } else if (s.path.length > 1) {
      s.path.forEach(function (id) { out.about.add(id); });
      out.chain = (model.chain(s.path) || []).map(function (r) { return r.id; });
      out.chain.forEach(function (id) { out.quoted.add(id); });
    }
    // The ends of what the view quotes or chains are never faded (concept_graph.storyboard.step_emphasis).
    out.chain.concat(Array.from(out.quoted)).forEach(function (id) {
      var r = model.relations.get(id);
      out.told.add(r.subject);
      out.told.add(r.object);
    });
    return out;
  }

  /* The concepts and relations the state shows. */
  function visible() {
    var s = current, shown = new Set(), links = new Set();
    var st = step();
    if (st) {
      // A storyboard step shows what concept_graph.storyboard.resolve worked out; the legend's
      // filters still apply.
      var along = new Set(st.chain);
      st.concepts.forEach(function (id) {
        if (!s.hiddenCategories.has(model.concepts.get(id).category)) shown.add(id);
      });
      st.relations.forEach(function (id) {
        var r = model.relations.get(id);
        if ((!s.hiddenTypes.has(r.type) || along.has(id)) && shown.has(r.subject) && shown.has(r.object)) links.add(id);
      });
      return { nodes: shown, edges: links };
    }
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
    if (s.path.length > 1) {
      // The chain joins what the focus or section shows, or is all there is (as in a storyboard).
      var path = model.chain(s.path) || [];
      if (!s.focus && !s.section && !s.lecture) { shown = new Set(); links = new Set(); }
      s.path.forEach(function (id) { shown.add(id); });
      path.forEach(function (r) { shown.add(r.subject); shown.add(r.object); links.add(r.id); });
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
  var KEYS = ["focus", "depth", "section", "path", "types", "families", "categories", "highlight", "select",
              "relation", "lecture", "top", "present", "articles"];

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
    /* #lecture=3 is a step of the sections; #lecture=NAME/3 (or #lecture=NAME) one of a storyboard. */
    function lecture(raw) {
      if (raw === null) return;
      var slash = raw.lastIndexOf("/");
      if (slash < 0 && !model.boards.has(raw)) {
        next.lecture = number("lecture", 1, sectionCount, "lecture step");
        return;
      }
      var name = slash < 0 ? raw : raw.slice(0, slash), board = model.boards.get(name);
      if (!board) {
        var names = Array.from(model.boards.keys()).map(quoted);
        notices.push("This graph has no lecture " + quoted(name) + " (#lecture)" +
                     (names.length ? "; its lectures: " + names.join(", ") + "." : "; it has only the lecture of its sections."));
        return;
      }
      var at = slash < 0 ? 1 : Number(raw.slice(slash + 1));
      if (Math.floor(at) === at && at >= 1 && at <= board.steps.length) {
        next.board = name;
        next.lecture = at;
      } else {
        notices.push("The lecture " + quoted(board.title) + " has no step " + quoted(raw.slice(slash + 1)) +
                     " (#lecture): use 1 to " + board.steps.length + ".");
      }
    }
    next.focus = one("focus", model.concepts, "concept");
    if (params.has("depth")) next.depth = number("depth", 1, 9, "depth") || 1;
    next.section = number("section", 1, sectionCount, "section");
    if (params.has("types") || params.has("families")) {
      // The types named, and every type of the families named (a storyboard's view may say either).
      var keep = new Set(ids("types", model.types, "relation type"));
      var kin = new Set(ids("families", model.families, "family"));
      model.types.forEach(function (t, id) { if (!keep.has(id) && !kin.has(t.family)) next.hiddenTypes.add(id); });
    }
    if (params.has("categories")) {
      var keepC = new Set(ids("categories", model.categories, "category"));
      model.categories.forEach(function (c, id) { if (!keepC.has(id)) next.hiddenCategories.add(id); });
    }
    next.highlight = new Set(ids("highlight", model.concepts, "concept"));
    next.selected = one("select", model.concepts, "concept");
    next.relation = one("relation", model.relations, "relation");
    lecture(params.get("lecture"));
    if (params.has("path")) {
      next.path = ids("path", model.concepts, "concept");
      if (next.path.length === 1) {
        notices.push("A path needs two concepts or more (#path=from,to).");
        next.path = [];
      } else if (next.path.length > 1 && !model.chain(next.path)) {
        notices.push("No chain of relations links " + next.path.map(function (id) {
          return quoted(model.concepts.get(id).label);
        }).join(" and ") + " (#path).");
      }
    }
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
    if (s.path.length) add("path", s.path.map(encodeURIComponent).join(","));
    if (s.hiddenTypes.size) add("types", list(function (id) { return !s.hiddenTypes.has(id); }, typeIds));
    if (s.hiddenCategories.size) {
      add("categories", list(function (id) { return !s.hiddenCategories.has(id); }, categoryIds));
    }
    if (s.highlight.size) add("highlight", Array.from(s.highlight).map(encodeURIComponent).join(","));
    if (s.selected) add("select", encodeURIComponent(s.selected));
    if (s.relation) add("relation", encodeURIComponent(s.relation));
    if (s.lecture) add("lecture", s.board ? encodeURIComponent(s.board) + "/" + s.lecture : s.lecture);
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

  return { get: get, set: set, fresh: fresh, compact: compact, visible: visible, lit: lit, step: step,
           steps: steps, lesson: lesson, parse: parse, fragment: fragment, writeHash: writeHash };
}
