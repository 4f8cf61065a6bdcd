/* Syllabus: a top level too long even for one navigation file (issue 15: 1,300 parts) comes
   in chunks of a fixed number of entries, one file each, and a page loads the chunk that
   holds its own part. This puts chunk `n`'s entries in through `__syllabusNav` (taking out
   those of a chunk shown before, never the page's own), in order around the page's own
   part, with buttons before and after them that load the neighbouring chunks' files in
   their place; the contents page still lists every part. */
function __syllabusNavChunk(html, prev, next, n) {
  var nav = document.querySelector("nav.sidebar-nav[data-nav-file]");
  var inline = nav && nav.querySelector("ul.nav-depth-0");
  if (!inline) return;
  if (!nav.hasAttribute("data-nav-chunk")) nav.setAttribute("data-nav-chunk", n);
  /* The chunk shown now, for code that follows the sidebar (reading progress loads the
     chunk's parts when it hears `syllabus:nav-ready`). */
  nav.setAttribute("data-nav-shown", n);
  var own = +nav.getAttribute("data-nav-chunk");
  var items = function () {
    return Array.prototype.slice.call(inline.children);
  };
  var hrefOf = function (li) {
    var a = li.firstElementChild;
    return a && a.matches(".nav-link") ? a.getAttribute("href") : null;
  };
  items().forEach(function (li) {
    if (li.hasAttribute("data-nav-added")) li.remove();
  });
  inline.removeAttribute("data-nav-full");
  var before = items();
  __syllabusNav(html);
  items().forEach(function (li) {
    if (before.indexOf(li) < 0) li.setAttribute("data-nav-added", "");
  });
  var more = nav.querySelector(".nav-contents");
  if (more) more.hidden = false;
  /* This chunk's entries (the home link, first in every chunk, aside), after the page's
     own part when they come after it. */
  var template = document.createElement("template");
  template.innerHTML = html;
  var list = template.content.querySelector("ul");
  var home = inline.firstElementChild && hrefOf(inline.firstElementChild);
  var mine = {};
  Array.prototype.forEach.call(list ? list.children : [], function (li) {
    var href = hrefOf(li);
    if (href !== null && href !== home) mine[href] = true;
  });
  var members = items().filter(function (li) {
    return mine[hrefOf(li)];
  });
  if (n > own) members.forEach(function (li) { inline.appendChild(li); });
  if (!members.length) return;
  /* `way`: "prev" or "next", the way its chunk's entries go (its chevron points it). */
  var button = function (link, at, way) {
    if (!link) return;
    var li = document.createElement("li");
    li.className = "nav-item nav-chunk";
    li.setAttribute("data-nav-added", "");
    var b = document.createElement("button");
    b.type = "button";
    b.className = "nav-link nav-chunk-button nav-chunk-" + way;
    b.textContent = link.label;
    b.addEventListener("click", function () {
      var script = document.createElement("script");
      script.src = link.href;
      script.onload = function () {
        script.remove();
        var first = inline.querySelector("[data-nav-added] .nav-link");
        if (first) first.focus();
      };
      document.head.appendChild(script);
    });
    li.appendChild(b);
    inline.insertBefore(li, at);
  };
  button(prev, members[0], "prev");
  button(next, members[members.length - 1].nextElementSibling, "next");
}
