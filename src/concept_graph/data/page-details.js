/* The details panel: a concept's definition, synonyms, grounding quote and every relation in and
 * out with its quote; or one relation's quote in the passage around it. */
function cgDetails(app) {
  var dom = app.dom, model = app.model, q = dom.q, el = dom.el;

  function conceptLink(id) {
    var c = model.concepts.get(id);
    return el("button", { type: "button", className: "cg-link", text: c.label,
                          onclick: function () { app.select(id, { center: true, focusPanel: true }); } });
  }

  function citation(evidence) { return el("p", { className: "cg-cite", text: model.sectionName(evidence.section) }); }

  function quote(evidence) { return el("blockquote", { className: "cg-quote" }, ["\u201c" + evidence.quote + "\u201d"]); }

  function open(title) {
    var panel = q("details"), body = q("details-body");
    dom.clear(body);
    var wasHidden = panel.hidden;
    panel.hidden = false;
    panel.setAttribute("aria-label", "Details: " + title);
    if (wasHidden) app.view.resized();
    return body;
  }

  function close() {
    var panel = q("details");
    if (panel.hidden) return;
    panel.hidden = true;
    dom.clear(q("details-body"));
    app.view.resized();
  }

  function focusHeading() {
    var heading = q("details-body").querySelector("h2");
    if (heading) heading.focus();
  }

  function showConcept(id) {
    var c = model.concepts.get(id), category = model.categories.get(c.category);
    var body = open(c.label);
    body.appendChild(el("p", { className: "cg-kind" }, [app.legend.shapeSwatch(category), category.label]));
    body.appendChild(el("h2", { tabindex: "-1", text: c.label }));
    if (c.synonyms.length) body.appendChild(el("p", null, [el("em", { text: "Also called: " }), c.synonyms.join(", ")]));
    body.appendChild(el("p", { text: c.definition }));
    // A concept of several articles shows each one's definition and quote instead of one.
    if (!app.articles.definitions(body, c, quote, citation) && c.evidence) {
      body.appendChild(el("h3", { text: "Grounded in" }));
      body.appendChild(quote(c.evidence));
      body.appendChild(citation(c.evidence));
    }
    body.appendChild(el("div", { className: "cg-actions" }, [
      el("button", { type: "button", text: "Neighbourhood", title: "Show only the concepts near this one",
                     onclick: function () { app.state.get().focus = id; app.update(); } }),
      el("button", { type: "button", text: "Centre", onclick: function () { app.view.centre(id, true); } }),
      el("button", { type: "button", text: "Path from here", title: "The chain of relations from this concept to another",
                     onclick: function () { app.path.startAt(id); } })
    ]));
    var rels = model.relationsOf(id);
    body.appendChild(el("h3", { text: "Relations (" + rels.length + ")" }));
    if (!rels.length) body.appendChild(el("p", { className: "cg-note", text: "The article states no relation of this concept." }));
    var list = el("ul", { className: "cg-rels" });
    rels.forEach(function (r) { list.appendChild(relationItem(r, id)); });
    body.appendChild(list);
    if (c.sections.length) {
      body.appendChild(el("h3", { text: "Appears in" }));
      body.appendChild(el("ul", { className: "cg-rels" }, c.sections.map(function (n) {
        return el("li", { text: model.sectionName(n) });
      })));
    }
  }

  /* One relation read from the side of ``from``: outgoing with its verb, incoming with the inverse. */
  function relationItem(r, from) {
    var t = model.types.get(r.type), swatch = app.legend.lineSwatch(model.family(r.type));
    var line;
    if (r.subject === from) {
      line = [swatch, el("span", { className: "cg-verb", text: t.label }), conceptLink(r.object)];
    } else if (t.inverse || t.symmetric) {
      line = [swatch, el("span", { className: "cg-verb", text: t.inverse || t.label }), conceptLink(r.subject)];
    } else {
      line = [swatch, conceptLink(r.subject), el("span", { className: "cg-verb", text: t.label }),
              el("span", { text: "this concept" })];
    }
    var item = el("li", null, [el("div", { className: "cg-rel-line" }, line)]);
    r.evidence.forEach(function (e) { item.appendChild(quote(e)); item.appendChild(citation(e)); });
    item.appendChild(el("button", { type: "button", text: "Read in context",
                                    onclick: function () { app.selectRelation(r.id, { focusPanel: true }); } }));
    return item;
  }

  function showRelation(id) {
    var r = model.relations.get(id), t = model.types.get(r.type), family = model.family(r.type);
    var subject = model.concepts.get(r.subject), object = model.concepts.get(r.object);
    var body = open(subject.label + " " + t.label + " " + object.label);
    body.appendChild(el("p", { className: "cg-kind" }, [app.legend.lineSwatch(family), "Relation: " + t.label + " (" + family.label + ")"]));
    body.appendChild(el("h2", { tabindex: "-1" }, [conceptLink(r.subject), " ",
      el("span", { className: "cg-verb", text: t.label }), " ", conceptLink(r.object)]));
    if (t.definition) body.appendChild(el("p", { className: "cg-note" }, [el("em", { text: t.label + ": " }), t.definition]));
    body.appendChild(el("h3", { text: r.evidence.length > 1 ? "In the article (" + r.evidence.length + " passages)" : "In the article" }));
    r.evidence.forEach(function (e) {
      body.appendChild(citation(e));
      body.appendChild(el("blockquote", { className: "cg-context" }, [e.before, el("mark", { text: e.quote }), e.after]));
    });
    if (r.note) body.appendChild(el("p", { className: "cg-note" }, [el("em", { text: "Note: " }), r.note]));
  }

  q("details-close").addEventListener("click", function () { app.clearSelection(); });

  return { showConcept: showConcept, showRelation: showRelation, close: close, focusHeading: focusHeading };
}
