/* Syllabus: the top level of a long course sidebar (issue 20), shared by every page and
   cached once. A page carries inline only the entries on the way to it (the home link, its
   part, the part's chapters, the chapter's lessons) and a link to the contents page; this
   file puts the other top-level entries around them, in order, without moving or
   re-creating the inline ones (focus, aria-current and expanded state stay as they are).
   When the entries are in, it dispatches `syllabus:nav-ready` on `document`: code that
   marks sidebar links (reading progress, for instance) re-applies its marks then. */
function __syllabusNav(html) {
  var nav = document.querySelector("nav.sidebar-nav[data-nav-file]");
  var inline = nav && nav.querySelector("ul.nav-depth-0");
  if (!inline || inline.hasAttribute("data-nav-full")) return;
  var template = document.createElement("template");
  template.innerHTML = html;
  var full = template.content.querySelector("ul");
  if (!full) return;
  var hrefOf = function (li) {
    var a = li.firstElementChild;
    return a && a.matches(".nav-link") ? a.getAttribute("href") : null;
  };
  var kept = {};
  Array.prototype.forEach.call(inline.children, function (li) {
    var href = hrefOf(li);
    if (href !== null) kept[href] = li;
  });
  /* Walk the full list; an entry the page has inline is kept where it is, every other one
     goes before the next kept entry (or at the end). */
  var next = inline.firstElementChild;
  Array.prototype.slice.call(full.children).forEach(function (li) {
    var href = hrefOf(li);
    var mine = href !== null && kept[href];
    if (mine) {
      next = mine.nextElementSibling;
      return;
    }
    inline.insertBefore(li, next);
  });
  inline.setAttribute("data-nav-full", "");
  var more = nav.querySelector(".nav-contents");
  if (more) more.hidden = true;
  /* Keep the current page's link in view, as the page did before the entries above it. */
  var sidebar = document.getElementById("sidebar");
  var active = sidebar && sidebar.querySelector('[aria-current="page"]');
  if (active) {
    var box = sidebar.getBoundingClientRect();
    var at = active.getBoundingClientRect();
    if (at.top < box.top || at.bottom > box.bottom)
      sidebar.scrollTop += at.top - box.top - sidebar.clientHeight / 3;
  }
  document.dispatchEvent(new CustomEvent("syllabus:nav-ready"));
}
