// Layer toggles of the article reader: each checkbox hides one kind of highlight.
// A static file (not inline) so the Content-Security-Policy can forbid inline script.
"use strict";
(function () {
  var reader = document.getElementById("reader");
  if (!reader) return;
  var boxes = document.querySelectorAll("input[data-layer]");
  function apply(box) {
    reader.classList.toggle("off-" + box.dataset.layer, !box.checked);
  }
  boxes.forEach(function (box) {
    apply(box);  // a reload keeps the browser's remembered checkbox state
    box.addEventListener("change", function () { apply(box); });
  });
})();
