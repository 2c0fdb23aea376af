// rolefit wizard: optional keyboard shortcuts. With focus inside an item,
// the digits 0–4 pick that rating (y/n answer a yes/no item). The form
// works the same without this script.
(function () {
  "use strict";
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var t = ev.target;
    if (!t || !t.closest || t.type === "number") return;
    var q = t.closest("fieldset.q");
    if (!q) return;
    var v = ev.key;
    if (v === "y") v = "yes";
    if (v === "n") v = "no";
    var input = q.querySelector('input[type=radio][value="' + v + '"]');
    if (!input) return;
    input.checked = true;
    input.focus();
    ev.preventDefault();
  });
  var summary = document.querySelector("[data-testid=error-summary]");
  if (summary) summary.focus();
})();
