/* The graph as the page reads it: concepts, relations, types, families and categories indexed by
 * id, each concept's relations both ways, and its degree in the whole graph. Read-only. */
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

  /* How a relation reads from one of its ends: "fosters X" out, "is fostered by Y" in. */
  function verbFrom(r, id) {
    var t = types.get(r.type);
    if (r.subject === id) return t.label;
    return t.inverse || (t.symmetric ? t.label : "is the object of \u201c" + t.label + "\u201d from");
  }

  return {
    concepts: concepts, relations: relations, types: types, families: families, categories: categories,
    order: order, degree: degree, sections: sections, relationsOf: relationsOf, otherEnd: otherEnd,
    family: family, firstSection: firstSection, sectionName: sectionName, neighbours: neighbours,
    verbFrom: verbFrom
  };
}
