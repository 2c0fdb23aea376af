/* rolefit embed frame: tells the page around the frame how tall the check
 * is and, on the result, the recommended level. It posts to the parent's
 * origin only, never to "*": the origin the browser reports for the parent
 * (location.ancestorOrigins), else the one rolefit saw when the frame was
 * first requested (data-parent). When neither is known it posts nothing.
 */
(function (d, w) {
  "use strict";
  var p = w.parent, a = w.location.ancestorOrigins, root = d.documentElement;
  var o = a && a.length ? a[0] : root.getAttribute("data-parent");
  // A page reached from another page of the frame follows a form sent:
  // the focus goes to its first problem, else its heading, as on the site.
  var top = d.referrer.indexOf(w.location.origin + "/") === 0;
  var h = d.querySelector("[data-testid=error-summary]") || d.querySelector("h1[tabindex]");
  if (top && h) h.focus({ preventScroll: true });
  if (p === w || !o || o === "null") return;
  var box = d.querySelector("[data-embed]"), last = 0;

  function send(m) {
    m.rolefit = 1;
    p.postMessage(m, o);
  }

  function size() {
    var h = Math.ceil(box.getBoundingClientRect().height);
    if (h && h !== last) {
      last = h;
      // The title names the frame for screen readers on the host page.
      send({ height: h, top: top, title: d.title });
      top = false;
    }
  }

  if (!box) return;
  size();
  if (w.ResizeObserver) new ResizeObserver(size).observe(box);
  else w.addEventListener("resize", size);
  w.addEventListener("load", size);
  var level = box.getAttribute("data-level");
  if (level) send({ level: level });
})(document, window);
