/* The graph as the page reads it: concepts, relations, types, families and categories indexed by
 * id, each concept's relations both ways, its degree in the whole graph, the storyboards, and the
 * chain of relations from one concept to another. Read-only. */
function cgModel(data) {
  var concepts = new Map(), relations = new Map(), types = new Map(), families = new Map();
  var categories = new Map(), outgoing = new Map(), incoming = new Map(), order = new Map();
  var degree = new Map();
  data.categories.forEach(function (c) { categories.set(c.id, c); });
  data.families.forEach(function (f) { families.set(f.id, f); });
  data.types.forEach(function (t) { types.set(t.id, t); });
  data.concepts.forEach(function (c, i) {
    concepts.set(c.id, c);
    order.set(c.id, i);
    outgoing.set(c.id, []);
    incoming.set(c.id, []);
    degree.set(c.id, 0);
  });
  data.relations.forEach(function (r) {
    relations.set(r.id, r);
    outgoing.get(r.subject).push(r);
    incoming.get(r.object).push(r);
    degree.set(r.subject, degree.get(r.subject) + 1);
    degree.set(r.object, degree.get(r.object) + 1);
  });
  var sections = data.sections;
  var boards = new Map();
  (data.lectures || []).forEach(function (board) {
    // The step that first shows each concept, for "comes in step N" when a search runs ahead.
    var first = new Map();
    board.steps.forEach(function (step, i) {
      step.concepts.forEach(function (id) { if (!first.has(id)) first.set(id, i + 1); });
    });
    boards.set(board.name, { name: board.name, title: board.title, description: board.description,
                             steps: board.steps, firstStep: first });
  });

  function relationsOf(id) { return outgoing.get(id).concat(incoming.get(id)); }
  function otherEnd(r, id) { return r.subject === id ? r.object : r.subject; }
  function family(typeId) { return families.get(types.get(typeId).family); }
  function firstSection(item) { return item.sections.length ? item.sections[0] : Infinity; }

  function sectionName(number) {
    var s = sections[number - 1];
    if (s && s.name) return s.name;  // the combined graph's: "Security, section 2: ..."
    return s ? "Section " + number + ": " + s.heading : "Section " + number;
  }

  /* The concepts within ``depth`` relations of ``start``, counting only the relations in ``links``. */
  function neighbours(start, depth, links) {
    var seen = new Set([start]), frontier = [start];
    for (var d = 0; d < depth && frontier.length; d++) {
      var next = [];
      frontier.forEach(function (id) {
        relationsOf(id).forEach(function (r) {
          if (!links.has(r.id)) return;
          var other = otherEnd(r, id);
          if (!seen.has(other)) { seen.add(other); next.push(other); }
        });
      });
      frontier = next;
    }
    return seen;
  }

  /* A shortest chain of relations from ``start`` to ``goal``, either direction, ties broken by the
     other concept's id and then the relation's: the twin of concept_graph.storyboard._path. */
  var near = null;
  function hop(start, goal) {
    if (!near) {
      near = new Map();
      data.relations.forEach(function (r) {
        [[r.subject, r.object], [r.object, r.subject]].forEach(function (ends) {
          if (!near.has(ends[0])) near.set(ends[0], []);
          near.get(ends[0]).push([ends[1], r]);
        });
      });
      near.forEach(function (links) {
        links.sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1].id < b[1].id ? -1 : a[1].id > b[1].id ? 1 : 0; });
      });
    }
    var came = new Map([[start, null]]), todo = [start];
    for (var head = 0; head < todo.length; head++) {
      var node = todo[head];
      if (node === goal) {
        var out = [];
        while (came.get(node)) { out.push(came.get(node)[1]); node = came.get(node)[0]; }
        return out.reverse();
      }
      (near.get(node) || []).forEach(function (link) {
        if (!came.has(link[0])) { came.set(link[0], [node, link[1]]); todo.push(link[0]); }
      });
    }
    return null;
  }

  /* The relations from the first stop through each next one in turn, or null if a hop has none. */
  function chain(stops) {
    var out = [], seen = new Set();
    for (var i = 0; i + 1 < stops.length; i++) {
      var part = hop(stops[i], stops[i + 1]);
      if (!part) return null;
      part.forEach(function (r) { if (!seen.has(r.id)) { seen.add(r.id); out.push(r); } });
    }
    return out;
  }

  /* How a relation reads from one of its ends: "fosters X" out, "is fostered by Y" in. */
  function verbFrom(r, id) {
    var t = types.get(r.type);
    if (r.subject === id) return t.label;
    return t.inverse || (t.symmetric ? t.label : "is the object of \u201c" + t.label + "\u201d from");
  }

  return {
    concepts: concepts, relations: relations, types: types, families: families, categories: categories,
    order: order, degree: degree, sections: sections, boards: boards, relationsOf: relationsOf, otherEnd: otherEnd,
    family: family, firstSection: firstSection, sectionName: sectionName, neighbours: neighbours,
    chain: chain, verbFrom: verbFrom
  };
}
