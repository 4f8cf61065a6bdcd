(function (cfg) {
  "use strict";
  var key = "syllabus-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    if ("scrollRestoration" in history) history.scrollRestoration = "manual";
    var y = Number(saved) || 0;
    var restore = function () { window.scrollTo(0, y); };
    restore();
    document.addEventListener("DOMContentLoaded", restore);
    window.addEventListener("load", restore);
  }
  var build = cfg.build;
  var reloading = false;
  function reload() {
    if (reloading) return;
    reloading = true;
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  }
  function here() {
    var p = location.pathname;
    try { p = decodeURI(p); } catch (e) { /* keep it encoded */ }
    return p.replace(/index\.html$/, "");
  }
  function swapCss(files, to, n) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      var path = url.pathname;
      try { path = decodeURI(path); } catch (e) { /* keep it encoded */ }
      var i = files.indexOf(path);
      if (url.origin !== location.origin || i < 0) return;
      var fresh = link.cloneNode();
      // A hashed stylesheet gets a new name with each edit (to[i]).
      var next = new URL(to && to[i] ? encodeURI(to[i]) : url.pathname, location.href);
      next.searchParams.set("syllabus", String(n));
      fresh.href = next.pathname + next.search;
      fresh.addEventListener("load", function () { link.remove(); });
      fresh.addEventListener("error", function () { link.remove(); });
      link.after(fresh);
    });
  }
  var overlay = document.getElementById("syllabus-overlay");
  if (overlay) {
    var close = overlay.querySelector("button");
    if (close) close.addEventListener("click", function () { overlay.remove(); });
  }
  if (!window.EventSource) return;
  var source = new EventSource("/__syllabus/events");
  source.addEventListener("hello", function (e) {
    var d = JSON.parse(e.data);
    // A restarted server, or a build missed while disconnected: this page may be stale.
    if (d.server !== cfg.server || d.build > build) reload();
  });
  source.addEventListener("reload", function (e) {
    var d = JSON.parse(e.data);
    if (d.build <= build) return;
    build = d.build;
    if (!d.pages || cfg.status !== 200 || d.pages.indexOf(here()) >= 0) reload();
  });
  source.addEventListener("css", function (e) {
    var d = JSON.parse(e.data);
    if (d.build <= build) return;
    build = d.build;
    swapCss(d.files, d.to, d.build);
  });
  window.addEventListener("pagehide", function () { source.close(); });
})
