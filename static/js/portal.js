/* Behaviours every page may use, declared in the markup with data-* attributes instead of inline
   handlers (onclick=, onchange=, onsubmit=), which the Content-Security-Policy refuses.  Listeners
   sit on the document, so markup that htmx swaps in later works too.

   data-confirm="问题？"   on a submit button or a form: asks before the form is sent
   data-autosubmit        on a select: sends its form when the choice changes
   data-remove-closest="selector"   on a button: removes the nearest enclosing element that matches
   data-print             on a button: opens the browser's print dialog
   data-bar-width="40"    on a .progress-bar: its width in per cent (a style="" attribute is refused)
   .table-responsive      a table's box that scrolls sideways is a keyboard stop (WCAG 2.1.1), named by
                          the table's caption or the heading before it */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) { return; }
    var confirmer = target.closest("button[data-confirm], input[data-confirm]");
    if (confirmer && !window.confirm(confirmer.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    var remover = target.closest("[data-remove-closest]");
    if (remover) {
      var box = remover.closest(remover.dataset.removeClosest);
      if (box) { box.remove(); }
      return;
    }
    if (target.closest("[data-print]")) {
      window.print();
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.requestSubmit ? target.form.requestSubmit() : target.form.submit();
    }
  });

  function sizeBars(root) {
    root.querySelectorAll("[data-bar-width]").forEach(function (bar) {
      var width = parseFloat(bar.dataset.barWidth);
      bar.style.width = (isFinite(width) ? Math.max(0, Math.min(100, width)) : 0) + "%";
    });
  }

  function scrollBoxes(root) {
    root.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("tabindex")) {
          var caption = box.querySelector("caption");
          var card = box.closest(".card");
          var heading = card && card.querySelector(".card-header, h2, h3, h4, h5");
          var name = (caption || heading || {}).textContent || "";
          box.setAttribute("tabindex", "0");
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", (name.trim() ? name.trim() + "：" : "") + "表格，可左右滚动");
          box.dataset.scrollStop = "";
        }
      } else if (box.hasAttribute("data-scroll-stop")) {
        ["tabindex", "role", "aria-label", "data-scroll-stop"].forEach(function (a) { box.removeAttribute(a); });
      }
    });
  }
  var resizing;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () { scrollBoxes(document); }, 150);
  });

  function ready() { sizeBars(document); scrollBoxes(document); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
  // panels htmx swaps in
  document.addEventListener("htmx:load", function (event) { sizeBars(event.target); scrollBoxes(event.target); });
}());
