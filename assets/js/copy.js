// rolefit: copy buttons (the admin's embed snippets, a result's address),
// print buttons, and the admin's preview frame that fits its content.
// Without this script the text stays selectable and the browser's own
// print command works, so these buttons are made here, not in the page.
(function (d, w) {
  "use strict";
  Array.prototype.forEach.call(d.querySelectorAll("[data-print]"), function (box) {
    var b = d.createElement("button");
    b.type = "button";
    b.textContent = box.getAttribute("data-print");
    b.setAttribute("data-testid", "print");
    b.addEventListener("click", function () { w.print(); });
    box.appendChild(b);
  });
  // A printout has no summary to click: folded lists print open.
  w.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(d.querySelectorAll("details.more"), function (el) { el.open = true; });
  });
  var boxes = d.querySelectorAll("[data-copy]");
  Array.prototype.forEach.call(boxes, function (box) {
    var ta = box.querySelector("textarea"), status = box.querySelector("[role=status]");
    var b = d.createElement("button");
    b.type = "button";
    b.textContent = box.getAttribute("data-copy");
    b.setAttribute("data-testid", "copy");
    b.addEventListener("click", function () {
      var done = function () { status.textContent = "Copied."; };
      var manual = function () {
        ta.focus();
        ta.select();
        status.textContent = "Selected: press Ctrl+C (or Cmd+C) to copy.";
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(ta.value).then(done, manual);
      } else {
        manual();
      }
    });
    box.insertBefore(b, status);
  });
  var f = d.querySelector("iframe[data-preview]");
  if (!f) return;
  w.addEventListener("message", function (e) {
    var m = e.data;
    if (e.origin !== w.location.origin || e.source !== f.contentWindow || !m || m.rolefit !== 1) return;
    if (typeof m.height === "number" && m.height > 0 && m.height < 20000) f.style.height = Math.ceil(m.height) + "px";
  });
})(document, window);
