/* The text view: every concept with its definition and its relations with their quotes, as a
 * document for the keyboard and screen readers; built the first time it is opened. */
function cgTextView(app) {
  var dom = app.dom, model = app.model, data = app.data, q = dom.q, el = dom.el;
  var built = false;

  function build() {
    var view = q("textview"), anchors = new Map();
    data.concepts.forEach(function (c, i) { anchors.set(c.id, app.uid + "c" + i); });
    view.appendChild(el("h2", { text: "Text view: " + data.graph.title }));
    view.appendChild(el("p", { text: data.concepts.length + " concepts and " + data.relations.length +
      " relations, each relation quoted from " + (app.articles.source() || "the article \u201c" + data.graph.article + "\u201d") + ". " +
      "Concept names are links to their entries." }));
    view.appendChild(el("p", null, [el("button", { type: "button", text: "Back to the graph", onclick: function () { show(false); } })]));
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
          entry.appendChild(el("p", { className: "cg-quote" }, ["\u201c" + c.evidence.quote + "\u201d (" + model.sectionName(c.evidence.section) + ")"]));
        }
        var rels = model.relationsOf(c.id);
        if (rels.length) {
          var list = el("ul", { "aria-label": "Relations of " + c.label });
          rels.forEach(function (r) {
            var other = model.otherEnd(r, c.id);
            var link = el("a", { href: "#select=" + encodeURIComponent(other), text: model.concepts.get(other).label,
                                 onclick: function (ev) { ev.preventDefault(); jump(other, anchors); } });
            var item = el("li", null, [model.verbFrom(r, c.id), " ", link, ": "]);
            r.evidence.forEach(function (e, i) {
              item.appendChild(el("q", { text: e.quote }));
              item.appendChild(dom.bdi((i ? "; " : " ") + "(" + model.sectionName(e.section) + ")"));
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
    built = true;
  }

  function jump(id, anchors) {
    var heading = document.getElementById(anchors.get(id));
    if (heading) { heading.scrollIntoView({ block: "start" }); heading.focus(); }
    var s = app.state.get();
    s.selected = id;
    s.relation = null;
    app.state.writeHash();
  }

  function show(on) {
    var view = q("textview");
    if (on && !built) build();
    view.hidden = !on;
    q("text").setAttribute("aria-pressed", String(on));
    if (on) view.querySelector("h2").setAttribute("tabindex", "-1");
    if (on) view.querySelector("h2").focus();
    else q("text").focus();
  }

  q("text").addEventListener("click", function () { show(q("textview").hidden); });
  q("skip").addEventListener("click", function () { show(true); });

  return { show: show };
}
