/* The page inside a slide deck: a small postMessage API, so the deck can drive it and one
 * presentation clicker works for every embedded page.
 *
 *   {cg: "next"} / {cg: "prev"}       the next / previous lecture step (the first starts lecture mode)
 *   {cg: "goto", view: "#section=3"}  any view a link can open (the fragment, with or without "#"),
 *                                     e.g. a storyboard's step: "#lecture=NAME/3"
 *   {cg: "state"}                     ask for the state
 *
 * Every message is answered, to the window that sent it, with {cg: "state", graph, view, lecture,
 * board, steps, sections, selected, visible, notices}; the page also announces itself with {cg: "ready", ...} to its parent
 * once its first view is drawn. A message may name the page ({cg: ..., graph: "security"}); a
 * document holding two pages answers only in the first, unless the message names the other. */
function cgEmbed(app) {
  var data = app.data;

  function state(kind, notices) {
    var s = app.state.get();
    return { cg: kind, graph: data.graph.id, view: app.state.fragment(), lecture: s.lecture, board: s.board || null,
             steps: s.lecture ? app.state.steps() : 0, sections: app.model.sections.length, selected: s.selected,
             visible: app.view.shown().nodes.size, notices: notices || [] };
  }

  window.addEventListener("message", function (ev) {
    var message = ev.data;
    if (!message || typeof message !== "object" || typeof message.cg !== "string") return;
    if (message.graph ? message.graph !== data.graph.id : !app.ownsHash) return;
    var notices = [];
    if (message.cg === "next") app.lecture.next();
    else if (message.cg === "prev") app.lecture.prev();
    else if (message.cg === "goto") notices = app.open(String(message.view || ""));
    else if (message.cg !== "state") return;
    if (ev.source && ev.source.postMessage) {
      ev.source.postMessage(state("state", notices), ev.origin && ev.origin !== "null" ? ev.origin : "*");
    }
  });

  function ready() {
    if (window.parent && window.parent !== window) window.parent.postMessage(state("ready"), "*");
  }

  return { ready: ready };
}
