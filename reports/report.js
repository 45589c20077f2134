/* qa-engine report filters: progressive enhancement only. Without JavaScript the
   filter form stays hidden and every item shows. Items carry data-state and
   data-area; groups ([data-filter-group]) hide when none of their items show. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-filter-item]"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-filter-group]"));
  var status = document.getElementById("filter-status");
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name='state']"));
  var area = form.querySelector("select[name='area']");

  function apply() {
    var states = {};
    boxes.forEach(function (b) { states[b.value] = b.checked; });
    var wanted = area ? area.value : "";
    var shown = 0;
    items.forEach(function (el) {
      var ok = states[el.getAttribute("data-state")] !== false &&
        (wanted === "" || el.getAttribute("data-area") === wanted);
      el.hidden = !ok;
      if (ok) { shown += 1; }
    });
    groups.forEach(function (g) {
      g.hidden = g.querySelector("[data-filter-item]:not([hidden])") === null;
    });
    if (status) {
      status.textContent = "Showing " + shown + " of " + items.length + " criteria.";
    }
  }

  function preset(which) {
    boxes.forEach(function (b) {
      b.checked = which === "all" || b.getAttribute("data-finding") === "true";
    });
    if (area && which === "all") { area.value = ""; }
    apply();
  }

  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  Array.prototype.forEach.call(form.querySelectorAll("[data-preset]"), function (btn) {
    btn.addEventListener("click", function () { preset(btn.getAttribute("data-preset")); });
  });
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details.more"), function (d) {
      d.setAttribute("data-was-open", d.open ? "1" : "0");
      d.open = true;
    });
  });
  window.addEventListener("afterprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details.more[data-was-open]"), function (d) {
      d.open = d.getAttribute("data-was-open") === "1";
      d.removeAttribute("data-was-open");
    });
  });
  form.hidden = false;
  apply();
}());
