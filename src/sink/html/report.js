(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.pair"));
  var docs = Array.prototype.slice.call(document.querySelectorAll("section.doc"));
  var links = Array.prototype.slice.call(document.querySelectorAll("nav.filter a[data-filter]"));
  var count = document.getElementById("shown");
  function wanted() {
    var hash = decodeURIComponent(location.hash.replace(/^#/, ""));
    if (hash === "flagged") return { mode: "flagged", key: "flagged" };
    if (hash.indexOf("flag=") === 0) {
      var kinds = hash.slice(5).split(",").filter(function (k) { return k; });
      return { mode: "kind", kinds: kinds, key: hash };
    }
    return { mode: "all", key: "all" };
  }
  var filtered = false;
  function apply() {
    var want = wanted();
    if (want.mode === "all" && !filtered) {
      if (count) count.textContent = "showing " + rows.length + " of " + rows.length + " pairs";
      return;
    }
    filtered = want.mode !== "all";
    var shown = 0;
    rows.forEach(function (row) {
      var attr = row.getAttribute("data-flags");
      var flags = attr ? attr.split(" ") : [];
      var visible = want.mode === "all" ||
        (want.mode === "flagged" && flags.length > 0) ||
        (want.mode === "kind" && flags.some(function (f) { return want.kinds.indexOf(f) >= 0; }));
      row.hidden = !visible;
      if (visible) shown += 1;
    });
    docs.forEach(function (doc) {
      doc.hidden = want.mode !== "all" && doc.querySelector("tr.pair:not([hidden])") === null;
    });
    links.forEach(function (link) {
      link.setAttribute("aria-pressed", link.getAttribute("data-filter") === want.key ? "true" : "false");
    });
    if (count) count.textContent = "showing " + shown + " of " + rows.length + " pairs";
    document.body.setAttribute("data-filter", want.key);
  }
  window.addEventListener("hashchange", function () {
    apply();
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target) target.scrollIntoView();
  });
  apply();
})();
