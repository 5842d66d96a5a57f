/* Several articles on one page (the combined graph): a filter by article beside the legend, each
 * article's definition of a shared concept in its details, and the articles in the subtitle. On
 * the page of one article (no ``articles`` in the data) every function here is a no-op. The
 * filter lives in the state as ``hiddenArticles`` (article ids) and in links as
 * ``#articles=id,id`` (the articles shown). */
function cgArticles(app) {
  var data = app.data, dom = app.dom, el = dom.el, q = dom.q;
  var articles = data.articles || [];
  var active = articles.length > 1;
  var known = new Set(articles.map(function (a) { return a.id; }));

  /* A concept or relation is shown unless every article it comes from is hidden. */
  function shows(item, s) {
    if (!active || !s.hiddenArticles.size) return true;
    return item.articles.some(function (a) { return !s.hiddenArticles.has(articles[a].id); });
  }

  /* Show the articles of a concept the reader asked for (search, a link in the details). */
  function reveal(c, s) {
    if (!active) return;
    c.articles.forEach(function (a) { s.hiddenArticles.delete(articles[a].id); });
  }

  function parse(params, next, notices) {
    if (!active || !params.has("articles")) return;
    var keep = new Set();
    params.get("articles").split(",").forEach(function (raw) {
      var id = raw.trim();
      if (!id) return;
      if (known.has(id)) keep.add(id);
      else notices.push("This graph has no article \u201c" + id + "\u201d (#articles).");
    });
    articles.forEach(function (a) { if (!keep.has(a.id)) next.hiddenArticles.add(a.id); });
  }

  function fragment(s, add) {
    if (!active || !s.hiddenArticles.size) return;
    add("articles", articles.filter(function (a) { return !s.hiddenArticles.has(a.id); })
      .map(function (a) { return encodeURIComponent(a.id); }).join(","));
  }

  function build() {
    if (!active) return;
    var list = el("ul", { className: "cg-legend", "data-cg": "articles", "aria-label": "Articles shown" });
    articles.forEach(function (a) {
      var box = el("input", { type: "checkbox", checked: true, "data-article": a.id, onchange: function () {
        var hidden = app.state.get().hiddenArticles;
        if (box.checked) hidden.delete(a.id); else hidden.add(a.id);
        app.update();
      } });
      list.appendChild(el("li", { title: a.article }, [el("label", null, [
        box, el("span", { className: "cg-name", text: a.title }), el("span", { className: "cg-count", text: String(a.concepts) })])]));
    });
    var side = q("sidepanel");
    side.insertBefore(el("section", { className: "cg-box" }, [el("h2", { text: "Articles" }), list]), side.firstChild);
  }

  function sync() {
    if (!active) return;
    var hidden = app.state.get().hiddenArticles;
    app.root.querySelectorAll("input[data-article]").forEach(function (box) {
      box.checked = !hidden.has(box.getAttribute("data-article"));
    });
  }

  /* A shared concept's details: what each article says it is, with the quote it rests on (true if shown). */
  function definitions(body, c, quote, citation) {
    if (!active || !c.definitions) return false;
    body.appendChild(el("h3", { text: "In each article (" + c.definitions.length + ")" }));
    var list = el("ul", { className: "cg-rels", "data-cg": "definitions" });
    c.definitions.forEach(function (d) {
      var item = el("li", { "data-article": articles[d.article].id }, [el("p", null, [
        el("strong", { text: articles[d.article].title }), d.label !== c.label ? " (as \u201c" + d.label + "\u201d)" : "",
        ": ", d.definition])]);
      if (d.evidence) { item.appendChild(quote(d.evidence)); item.appendChild(citation(d.evidence)); }
      list.appendChild(item);
    });
    body.appendChild(list);
    return true;
  }

  /* Where the quotes come from: "the 2 articles “A”, “B”" (null on one article's page). */
  function source() {
    if (!active) return null;
    return "the " + articles.length + " articles " + articles.map(function (a) { return "\u201c" + a.title + "\u201d"; }).join(", ");
  }

  function subtitle() {
    if (!active) return null;
    return data.concepts.length + " concepts \u00b7 " + data.relations.length + " relations \u00b7 from " + source();
  }

  return { active: active, shows: shows, reveal: reveal, parse: parse, fragment: fragment, build: build, sync: sync,
           definitions: definitions, source: source, subtitle: subtitle };
}
