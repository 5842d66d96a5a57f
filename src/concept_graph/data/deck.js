/* The slide deck's keys: the deck and the graph move together. Arrow keys, Page Up/Down (what a
 * presentation clicker sends), Space, Home and End change the slide, and the live graph (the
 * page in present mode) opens that slide's step, "#lecture=NAME/N". The deck takes these keys
 * before the page does, so one key press moves one step, never two. The address keeps the slide
 * ("deck.html#4"), so a reload or a link opens it again. */
(function () {
  "use strict";
  var slides = Array.prototype.slice.call(document.querySelectorAll("[data-cg-slide]"));
  var root = document.querySelector(".cg-deck-live .cg-root");
  var lecture = document.body.getAttribute("data-cg-lecture");
  var at = -1;
  var NEXT = { ArrowRight: 1, ArrowDown: 1, PageDown: 1, " ": 1 }, PREV = { ArrowLeft: 1, ArrowUp: 1, PageUp: 1 };

  function go(n) {
    n = Math.max(0, Math.min(slides.length - 1, n));
    if (n === at) return;
    at = n;
    slides.forEach(function (slide, i) {
      slide.hidden = i !== n;
      if (i === n) slide.setAttribute("aria-current", "step"); else slide.removeAttribute("aria-current");
    });
    document.body.classList.toggle("cg-deck-title", n === 0);
    if (n > 0) root.cg.open("#lecture=" + encodeURIComponent(lecture) + "/" + n + "&present");
    document.querySelector("[data-cg-deck=at]").textContent = n ? n + " / " + (slides.length - 1) : "title";
    fit(slides[n]);
    try {
      history.replaceState(history.state, "", location.href.split("#")[0] + "#" + n);
    } catch (err) {
      // A sandboxed frame may refuse; the deck still works, its slide just cannot be linked.
    }
  }

  /* The quotes at the largest size (not below 18 px) at which the slide's text needs no scrolling. */
  function fit(slide) {
    var text = slide.querySelector(".cg-slide-text");
    if (!text) return;
    text.style.removeProperty("--cg-quote");
    var px = parseFloat(getComputedStyle(text).fontSize);
    while (text.scrollHeight > text.clientHeight + 1 && px > 18) {
      px = Math.max(18, px - 1);
      text.style.setProperty("--cg-quote", px + "px");
    }
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    if (/^(INPUT|SELECT|TEXTAREA)$/.test(ev.target.tagName || "")) return;
    var key = ev.key === " " && ev.shiftKey ? "PageUp" : ev.key;
    // Up and Down walk the graph when a concept is chosen on it; elsewhere they turn the page.
    if ((key === "ArrowUp" || key === "ArrowDown") && ev.target === root.querySelector("[data-cg=canvas]")) return;
    var step = NEXT[key] ? 1 : PREV[key] ? -1 : 0;
    if (step) go(at + step);
    else if (key === "Home") go(0);
    else if (key === "End") go(slides.length - 1);
    else if (key !== "Escape") return;  // Escape would leave present mode: the deck keeps it
    ev.preventDefault();
    ev.stopPropagation();
  }, true);
  document.querySelector("[data-cg-deck=prev]").addEventListener("click", function () { go(at - 1); });
  document.querySelector("[data-cg-deck=next]").addEventListener("click", function () { go(at + 1); });
  window.addEventListener("hashchange", function () { go(parseInt(location.hash.slice(1), 10) || 0); });
  window.addEventListener("resize", function () { if (at >= 0) fit(slides[at]); });
  go(parseInt(location.hash.slice(1), 10) || 0);
}());
