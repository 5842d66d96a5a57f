/* Search with completion: by label or synonym, best matches first (a name that starts with the
 * text, then a word that does). In lecture mode a concept the lecture has not reached yet is
 * listed with its section or step, and picking it says when it comes instead of leaving the lecture. */
function cgSearch(app) {
  var dom = app.dom, model = app.model, q = dom.q, el = dom.el;
  var input = q("search"), suggest = q("suggest");
  var matches = [], active = -1;
  suggest.id = app.uid + "suggest";
  input.setAttribute("aria-controls", suggest.id);

  function find(text) {
    var needle = text.trim().toLowerCase();
    if (!needle) return [];
    var found = [];
    model.concepts.forEach(function (c) {
      var best = null;
      [c.label].concat(c.synonyms).forEach(function (name, i) {
        var at = name.toLowerCase().indexOf(needle);
        if (at < 0) return;
        var wordStart = at === 0 || /[\s\-(]/.test(name.charAt(at - 1));
        var score = (i === 0 ? 0 : 1) + (at === 0 ? 0 : wordStart ? 2 : 4);
        if (!best || score < best.score) best = { id: c.id, label: c.label, via: i === 0 ? null : name, score: score };
      });
      if (best) found.push(best);
    });
    found.sort(function (a, b) { return a.score - b.score || a.label.localeCompare(b.label); });
    return found.slice(0, 12);
  }

  function render() {
    matches = find(input.value);
    active = matches.length ? 0 : -1;
    dom.clear(suggest);
    matches.forEach(function (m, i) {
      var step = app.comesIn(m.id);
      suggest.appendChild(el("li", { role: "option", id: app.uid + "opt" + i, "data-id": m.id,
                                     onmousedown: function (ev) { ev.preventDefault(); pick(m.id); } },
        [m.label, m.via ? el("span", { className: "cg-via", text: " \u2014 also \u201c" + m.via + "\u201d" }) : null,
         step ? el("span", { className: "cg-via", text: " (comes in " + step + ")" }) : null]));
    });
    if (!matches.length && input.value.trim()) {
      suggest.appendChild(el("li", { role: "option", "aria-disabled": "true", text: "No concept of that name" }));
    }
    var open = suggest.childNodes.length > 0;
    suggest.hidden = !open;
    input.setAttribute("aria-expanded", String(open));
    mark();
  }

  function mark() {
    Array.prototype.forEach.call(suggest.children, function (li, i) { li.setAttribute("aria-selected", String(i === active)); });
    if (active >= 0) {
      input.setAttribute("aria-activedescendant", app.uid + "opt" + active);
      suggest.children[active].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function close() {
    suggest.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function isOpen() { return !suggest.hidden; }

  function pick(id) {
    close();
    var c = model.concepts.get(id);
    input.value = c.label;
    var step = app.comesIn(id);
    if (step) {
      app.toast("\u201c" + c.label + "\u201d comes in " + step + " of the lecture: step on to meet it.");
      return;
    }
    app.select(id, { center: true });
  }

  input.addEventListener("input", render);
  input.addEventListener("blur", function () { setTimeout(close, 150); });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (suggest.hidden) render();
      if (matches.length) active = (active + (ev.key === "ArrowDown" ? 1 : matches.length - 1)) % matches.length;
      mark();
      ev.preventDefault();
    } else if (ev.key === "Enter") {
      if (!matches.length) matches = find(input.value);
      if (matches.length) pick(matches[Math.max(active, 0)].id);
      ev.preventDefault();
    } else if (ev.key === "Escape" && isOpen()) {
      close();
      ev.stopPropagation();
    }
  });

  function clearInput() { input.value = ""; close(); }

  return { close: close, clear: clearInput, isOpen: isOpen };
}
