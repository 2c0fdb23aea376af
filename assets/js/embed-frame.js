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
  if (p === w || !o || o === "null") return;
  var box = d.querySelector("[data-embed]"), last = 0;
  // A page reached from another page of the frame follows a form sent.
  var top = d.referrer.indexOf(w.location.origin + "/") === 0;

  function send(m) {
    m.rolefit = 1;
    p.postMessage(m, o);
  }

  function size() {
    var h = Math.ceil(box.getBoundingClientRect().height);
    if (h && h !== last) {
      last = h;
      send({ height: h, top: top });
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
