/* rolefit embed: puts a role's quick check on any page.
 *
 *   <script src="https://ROLEFIT/embed.js" data-role="SLUG" async></script>
 *   <div data-rolefit-role="SLUG"></div>  (more checks on one page)
 *
 * Options, as data attributes on either: data-accent="#0b57d0",
 * data-theme="light|dark|auto" (light unless asked; auto follows the
 * page's colour scheme), data-title="Product Manager" (else the frame's
 * own title, from the role's).
 * The frame tells its height and, at the end, the recommended level; only
 * messages from rolefit's origin and from a frame this script made count.
 * The host page gets a bubbling "rolefit:result" event whose detail is
 * {level: "senior"} and nothing else.
 *
 * Served as is, without the whole-line comments; no dependencies.
 */
(function (d, w) {
  "use strict";
  var me = d.currentScript;
  if (!me || !me.src || !w.URL) return;
  var origin = new URL(me.src, location.href).origin;
  // [iframe, element the event fires on]
  var frames = [];

  function mount(el, slug, place) {
    if (!slug || el.rolefitFrame) return;
    var f = d.createElement("iframe"), q = [], v;
    ["accent", "theme"].forEach(function (k) {
      v = el.getAttribute("data-" + k);
      if (v) q.push(k + "=" + encodeURIComponent(v));
    });
    f.src = origin + "/embed/" + encodeURIComponent(slug) + (q.length ? "?" + q.join("&") : "");
    // Until the frame names itself with the role's title.
    v = el.getAttribute("data-title");
    f.title = v ? "Check your fit for " + v : "Check your fit";
    f.setAttribute("loading", "lazy");
    f.style.cssText = "display:block;width:100%;height:560px;border:0;background:transparent";
    el.rolefitFrame = f;
    frames.push([f, el]);
    place(f);
  }

  function scan() {
    var els = d.querySelectorAll("[data-rolefit-role]"), i;
    for (i = 0; i < els.length; i++) {
      mount(els[i], els[i].getAttribute("data-rolefit-role"), function (f) {
        this.appendChild(f);
      }.bind(els[i]));
    }
  }

  w.addEventListener("message", function (e) {
    var m = e.data, i, r, f, h;
    if (e.origin !== origin || !m || typeof m !== "object" || m.rolefit !== 1) return;
    for (i = 0; i < frames.length; i++) {
      r = frames[i];
      f = r[0];
      if (e.source !== f.contentWindow) continue;
      h = m.height;
      if (typeof h === "number" && h > 0 && h < 20000) {
        f.style.height = Math.ceil(h) + "px";
        // After the applicant sends the form, show the top of the new page.
        if (m.top && f.getBoundingClientRect().top < 0) f.scrollIntoView();
      }
      if (typeof m.title === "string" && !r[1].getAttribute("data-title")) f.title = m.title.slice(0, 200);
      if (typeof m.level === "string" && /^[a-z0-9-]{1,80}$/.test(m.level)) {
        r[1].dispatchEvent(new CustomEvent("rolefit:result", { bubbles: true, detail: { level: m.level } }));
      }
    }
  });

  mount(me, me.getAttribute("data-role"), function (f) {
    me.parentNode.insertBefore(f, me.nextSibling);
  });
  scan();
  if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", scan);
})(document, window);
