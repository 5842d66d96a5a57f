/* DOM helpers bound to one page root: every query stays inside the root, so two pages can share a
 * document, and text from the graph is only ever set with textContent, never parsed as HTML. */
function cgDom(root) {
  function q(name) { return root.querySelector('[data-cg="' + name + '"]'); }

  /* An element; string children become <bdi> text, so a direction mark in a label cannot reorder
     the text around it. */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) return;
        if (key === "className") node.className = value;
        else if (key === "text") node.textContent = value;
        else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), value);
        else node.setAttribute(key, value === true ? "" : String(value));
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      node.appendChild(typeof child === "string" ? bdi(child) : child);
    });
    return node;
  }

  function bdi(text) {
    var node = document.createElement("bdi");
    node.textContent = text;
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  return { q: q, el: el, bdi: bdi, clear: clear, plural: plural };
}
