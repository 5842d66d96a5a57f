/* The band beside the graph that speaks in the article's words: a storyboard step's caption and
 * the quotes it shows large, or a path's chain with each relation's quote in order. It sits next to
 * the canvas, never over it, so it covers no concept; its type shrinks (not below 18 px) until it
 * fits, and it scrolls beyond that. A quote clicked lights its relation on the graph. */
function cgStory(app) {
  var dom = app.dom, model = app.model, q = dom.q, el = dom.el;
  var band = q("band");
  var LARGEST = 22, SMALLEST = 18;
  var shownKey = null;

  /* The relation as a sentence: "secure base enables exploration". */
  function sentence(r) {
    return [el("span", { className: "cg-name", text: model.concepts.get(r.subject).label }), " ",
            el("span", { className: "cg-verb", text: model.types.get(r.type).label }), " ",
            el("span", { className: "cg-name", text: model.concepts.get(r.object).label })];
  }

  function quoteItem(r, evidence) {
    var family = model.family(r.type);
    return el("li", { className: "cg-band-item", "data-relation": r.id }, [
      el("button", { type: "button", className: "cg-band-rel", title: "Light this relation on the graph",
                     "aria-pressed": "false", onclick: function () { light(r.id); } }, [app.legend.lineSwatch(family)].concat(sentence(r))),
      el("blockquote", { className: "cg-band-quote" }, ["\u201c" + evidence.quote + "\u201d"]),
      el("p", { className: "cg-band-cite", text: model.sectionName(evidence.section) })
    ]);
  }

  /* Light a relation on the graph, or put it out; its details stay closed (quiet), so the band
     stays beside the graph. */
  function light(id) {
    var s = app.state.get();
    s.relation = s.relation === id ? null : id;
    s.quiet = !!s.relation;
    s.selected = null;
    app.update();
  }

  /* What the band shows for the state: a key (to redraw only on change) and a builder. */
  function content() {
    var s = app.state.get(), step = app.state.step();
    if (step) {
      return { key: "step:" + s.board + "/" + s.lecture, build: function () {
        band.setAttribute("aria-label", "Step " + s.lecture + ": in the article's words");
        if (step.caption) band.appendChild(el("p", { className: "cg-band-caption", text: step.caption }));
        var list = el("ul", { className: "cg-band-quotes", "aria-label": "Quotes of the article" });
        step.quotes.forEach(function (pair) {
          var r = model.relations.get(pair[0]);
          list.appendChild(quoteItem(r, r.evidence[pair[1]]));
        });
        band.appendChild(list);
      } };
    }
    if (s.path.length > 1 && !s.lecture) {
      return { key: "path:" + s.path.join(","), build: function () {
        var first = model.concepts.get(s.path[0]).label, last = model.concepts.get(s.path[s.path.length - 1]).label;
        var chain = model.chain(s.path);
        band.setAttribute("aria-label", "The chain from " + first + " to " + last);
        band.appendChild(el("p", { className: "cg-band-caption" }, [
          "From ", el("strong", { text: first }), " to ", el("strong", { text: last }),
          chain ? ": " + dom.plural(chain.length, "relation") + ", the article's argument in order" : ""]));
        if (!chain) {
          band.appendChild(el("p", { className: "cg-note", text: "No chain of relations links them." }));
          return;
        }
        var list = el("ol", { className: "cg-band-quotes", "aria-label": "The chain, relation by relation" });
        chain.forEach(function (r) { list.appendChild(quoteItem(r, r.evidence[0])); });
        band.appendChild(list);
      } };
    }
    return null;
  }

  /* Show or hide the band before the graph is laid out, so the canvas has its final size. */
  function sync() {
    var s = app.state.get(), what = content();
    var key = what ? what.key : null, wasHidden = band.hidden;
    if (key !== shownKey) {
      shownKey = key;
      dom.clear(band);
      if (what) what.build();
    }
    band.hidden = !what || !q("details").hidden;
    Array.prototype.forEach.call(band.querySelectorAll(".cg-band-item"), function (item) {
      var on = item.getAttribute("data-relation") === s.relation;
      item.classList.toggle("cg-lit", on);
      item.querySelector("button").setAttribute("aria-pressed", String(on));
    });
    if (!band.hidden) fit();
    if (band.hidden !== wasHidden) app.view.resized();
  }

  /* The largest type, from LARGEST down to SMALLEST px, at which the band needs no scrolling. */
  function fit() {
    for (var px = LARGEST; px >= SMALLEST; px--) {
      band.style.setProperty("--cg-band-px", px + "px");
      if (band.scrollHeight <= band.clientHeight + 1) return;
    }
  }

  window.addEventListener("resize", function () { if (!band.hidden) fit(); });

  return { sync: sync };
}
