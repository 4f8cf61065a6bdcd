/* Reading progress, kept in the reader's browser (localStorage) and never sent anywhere.
 *
 * What it draws, all made here, so without JavaScript nothing shows and nothing breaks:
 * a "Lesson done" toggle at the end of each lesson (a quiz answered fully marks its lesson
 * and keeps the best score); a tick on done lessons and "done/total · minutes left" under
 * chapters and parts in the sidebar; on the home and chapter pages a card to continue where
 * the reader left off (the last lesson opened and the scroll position in it); on the home
 * page, export, import and reset.
 *
 * The contract with the build and the sidebar:
 * - assets/progress-data.js (one file per site, made by `syllabus build`, loaded before this
 *   script) sets window.__syllabusCourse = {v: 1, c: [[url, parent]], l: [[url, minutes,
 *   category]]}: every category and every lesson, a url relative to its parent's url, or to
 *   the site's base when it starts with "/"; parent and category index c, -1 for none;
 *   minutes from duration_minutes (a range's upper bound, 0 without one). See
 *   src/site/progress.rs.
 * - On a course split by part (issue 15) that file is a summary: the home in c (every
 *   lesson is in a part: l is empty), t: [lessons, minutes] of all the parts, and
 *   g: {n, file} the number of groups of parts and their files' name ("{n}" from 1). A
 *   group's file pushes {n, p: [[part, url, lessons, minutes, file, prefix]]} onto
 *   window.__syllabusGroups, a part's file {n, c, l} onto window.__syllabusParts (-1 there
 *   is the part's category). Group n lists the parts of chunk n of the sidebar's top level
 *   (nav_chunks.js marks the chunk it shows with data-nav-shown). A page loads its own
 *   group's and part's files; others are loaded with a script element when needed (another
 *   chunk shown, an import, the home page's "continue", marks stored without their part).
 * - Progress is drawn on whatever sidebar links are in the document: an <a> in .sidebar-nav
 *   whose data-page attribute (the page's URL relative to the site's base, as the sidebar
 *   template writes it), else its href, is a lesson's or category's URL. Code that
 *   adds links to the sidebar after load dispatches `syllabus:nav-ready` on document, and
 *   progress is drawn again.
 * - components.js dispatches `syllabus:quiz-checked` on a [data-quiz] element, detail
 *   {right, total, answered}, each time its answers are checked.
 *
 * Storage: localStorage["syllabus-progress:" + the site's base URL], so two courses on one
 * origin keep apart: {v: 1, done: {url: time}, quiz: {url: [[best, total], ...]},
 * seen: {url: [scrollY, time, title]}, part: {url: [part url, minutes, group]}}, urls
 * relative to the base; part (on a course split by part) places each lesson done or opened
 * without its part's or group's file ([null, 0]: known not to be a lesson). The export file is
 * {format: "syllabus-progress", version: 1, site, exported, done: [url], quiz, seen}.
 */
(function () {
  "use strict";

  /* The theme's strings in the page's language: syllabus.js's lookup, loaded first. */
  var tr = window.syllabusTr;

  var course = window.__syllabusCourse;
  if (!course || course.v !== 1 || !window.localStorage) return;

  var FORMAT = "syllabus-progress";
  var VERSION = 1;
  var script = document.currentScript;
  var base = script && script.src
    ? script.src.replace(/assets\/progress(\.[0-9a-f]{16})?\.js(\?.*)?$/, "")
    : new URL("/", location.href).href;
  var storageKey = "syllabus-progress:" + base;

  /* ---- the course ------------------------------------------------------------------- */

  /* A site-relative key for any URL of this site: no query, no hash, no trailing index.html. */
  function keyOf(href) {
    var url;
    try { url = new URL(href, location.href); } catch (e) { return null; }
    var path = url.origin === "null" ? url.href.split(/[?#]/)[0] : url.origin + url.pathname;
    if (path.indexOf(base) !== 0) return null;
    return path.slice(base.length).replace(/(^|\/)index\.html$/, "$1");
  }

  function resolve(url, parentUrl) {
    var full = url.charAt(0) === "/" ? url.slice(1) : parentUrl + url;
    return keyOf(base + full);
  }

  var cats = [];
  var catByKey = {};
  var lessons = [];
  var lessonByKey = {};

  function addCat(c, parent) {
    var raw = (c[0].charAt(0) === "/" ? c[0].slice(1) : (parent ? parent.raw : "") + c[0]);
    var cat = { raw: raw, key: keyOf(base + raw), parent: parent, lessons: [], part: parent ? parent.part : null };
    cats.push(cat);
    catByKey[cat.key] = cat;
    return cat;
  }

  function addLesson(l, cat, part) {
    var lesson = { key: resolve(l[0], cat ? cat.raw : ""), minutes: l[1] || 0, cat: cat, part: part };
    lessons.push(lesson);
    lessonByKey[lesson.key] = lesson;
    if (part) part.lessons.push(lesson);
    for (var up = cat; up; up = up.parent) up.lessons.push(lesson);
    return lesson;
  }

  course.c.forEach(function (c) { addCat(c, c[1] >= 0 ? cats[c[1]] : null); });
  course.l.forEach(function (l) { addLesson(l, l[2] >= 0 ? cats[l[2]] : null, null); });
  var homeCat = cats[0] || null;

  /* A long course (issue 15) is split by part, and its parts listed by group: the summary
     gives the parts' totals and the groups' files; a part (its category, lesson count,
     minutes and data file) is known once its group's file is loaded, its lessons once its
     own file is (the page's own group and part come with the page, the others only when
     needed). */
  var split = !!course.g;
  var whole = course.t || [0, 0];
  var groups = [];
  for (var g = 0; split && g < course.g.n; g++) {
    groups.push({ index: g, file: course.g.file.replace("{n}", g + 1), loaded: false, waiting: null });
  }
  var parts = [];
  var partByKey = {};
  var early = {};

  function addGroup(data) {
    var group = groups[data.n];
    if (!group || group.loaded) return;
    group.loaded = true;
    data.p.forEach(function (p) {
      var key = resolve(p[1], homeCat ? homeCat.raw : "");
      var cat = catByKey[key] || addCat([p[1]], homeCat);
      var part = { index: p[0], group: data.n, cat: cat, count: p[2], minutes: p[3], file: p[4], prefix: p[5] && cat.key ? cat.key : null, loaded: false, lessons: [], waiting: null };
      if (cat !== homeCat) cat.part = part;
      parts[part.index] = part;
      partByKey[cat.key] = part;
      if (early[part.index]) addPart(early[part.index]);
    });
  }

  function addPart(data) {
    var part = parts[data.n];
    if (!part) { early[data.n] = data; return; }
    if (part.loaded) return;
    part.loaded = true;
    var local = [];
    data.c.forEach(function (c) {
      var cat = addCat(c, c[1] >= 0 ? local[c[1]] : part.cat);
      cat.part = part;
      local.push(cat);
    });
    data.l.forEach(function (l) { addLesson(l, l[2] >= 0 ? local[l[2]] : part.cat, part); });
  }

  var pendingGroups = window.__syllabusGroups || [];
  var ownGroup = pendingGroups.length ? pendingGroups[0].n : null;
  window.__syllabusGroups = { push: function (data) { addGroup(data); } };
  pendingGroups.forEach(addGroup);
  var pending = window.__syllabusParts || [];
  window.__syllabusParts = { push: function (data) { addPart(data); } };
  pending.forEach(addPart);

  /* Loads groups' or parts' files with script elements (so that a site opened from file://
     works too); calls back once all of them are in (or failed). */
  function loadFiles(list, done) {
    var left = 0;
    function one() { left -= 1; if (left === 0) done(); }
    list.forEach(function (item) {
      if (item.loaded || item.tried) return;
      left += 1;
      if (item.waiting) { item.waiting.push(one); return; }
      item.waiting = [one];
      var s = document.createElement("script");
      s.src = base + item.file;
      s.onload = s.onerror = function () {
        item.tried = true;
        var waiting = item.waiting;
        item.waiting = null;
        waiting.forEach(function (f) { f(); });
      };
      document.head.appendChild(s);
    });
    if (left === 0) done();
  }

  function fresh(item) { return !item.loaded && !item.tried; }
  function allGroups() { return groups.every(function (x) { return x.loaded; }); }

  /* The part a lesson's URL is in, by the longest part URL that is a prefix of it (only
     once every group is loaded: a longer prefix may be in another). */
  function partByPrefix(key) {
    if (!allGroups()) return null;
    var best = null;
    parts.forEach(function (p) {
      if (p.prefix && key.indexOf(p.prefix) === 0 && (!best || p.prefix.length > best.prefix.length)) best = p;
    });
    return best;
  }

  /* The parts whose files say whether `key` is a lesson of the course: its part by prefix,
     else every part whose lessons are not all under its URL. */
  function partsFor(key) {
    var p = partByPrefix(key);
    return p ? [p] : parts.filter(function (q) { return !q.prefix; });
  }

  /* The files still to load to know whether `key`, not a loaded lesson, is one: its stored
     part's, else its stored group's, else every group and then the parts its URL may be in;
     none when nothing is left to try. */
  function toLoad(key) {
    var stored = state.part[key];
    if (stored && stored[0] === null) return [];
    var part = stored ? partByKey[stored[0]] : null;
    if (part && fresh(part)) return [part];
    var group = stored && !part ? groups[stored[2]] : null;
    if (group && fresh(group)) return [group];
    var rest = groups.filter(fresh);
    return rest.length ? rest : partsFor(key).filter(fresh);
  }

  /* Loads what it takes to know which of `keys` are lessons, then calls back. Each round
     loads files not tried before, so it ends. */
  function resolveKeys(keys, done) {
    var need = [];
    keys.forEach(function (k) {
      if (lessonByKey[k]) return;
      toLoad(k).forEach(function (f) { if (need.indexOf(f) < 0) need.push(f); });
    });
    if (!need.length) { done(); return; }
    loadFiles(need, function () { resolveKeys(keys, done); });
  }

  /* True once every file that could hold `key` is loaded and it is not a lesson. */
  function knownNotLesson(key) {
    return !lessonByKey[key] && allGroups() && partsFor(key).every(function (p) { return p.loaded; });
  }

  var here = keyOf(location.href);
  var currentLesson = lessonByKey[here] || null;
  var currentCat = catByKey[here] || null;

  /* ---- storage ---------------------------------------------------------------------- */

  function empty() { return { v: 1, done: {}, quiz: {}, seen: {}, part: {} }; }

  function load() {
    try {
      var s = JSON.parse(localStorage.getItem(storageKey) || "null");
      if (s && s.v === 1 && typeof s.done === "object") {
        s.quiz = s.quiz || {};
        s.seen = s.seen || {};
        s.part = s.part || {};
        return s;
      }
    } catch (e) { /* unreadable: start again */ }
    return empty();
  }

  var state = load();

  function save() {
    try { localStorage.setItem(storageKey, JSON.stringify(state)); } catch (e) { /* full or private */ }
  }

  /* ---- words ------------------------------------------------------------------------ */

  /* A count as the page's language writes it (1,300; 1 300 in French), as the pagers do. */
  var numbers = null;
  try { numbers = new Intl.NumberFormat(document.documentElement.lang || undefined); } catch (e) { /* no Intl, or an unknown language */ }
  function count(n) { return numbers ? numbers.format(n) : String(n); }

  function duration(m) {
    if (m < 60) return tr("minutes", "{m} min", { m: m });
    var h = Math.floor(m / 60), rest = m - h * 60;
    return tr("hours", "{h} h", { h: h }) + (rest ? " " + tr("minutes", "{m} min", { m: rest }) : "");
  }

  function totals(list) {
    var t = { done: 0, total: list.length, left: 0, minutes: 0 };
    list.forEach(function (l) {
      t.minutes += l.minutes;
      if (state.done[l.key]) t.done += 1;
      else t.left += l.minutes;
    });
    return t;
  }

  /* Where a done mark counts on a course split by part: its lesson when its part is loaded;
     else the part and minutes stored with the mark (part null while the part's group is not
     loaded: it counts for the course only); else, once every group is in, its part by URL
     (minutes unknown). Null: it counts nowhere (yet). */
  function placeOf(key) {
    var lesson = lessonByKey[key];
    if (lesson) return lesson.part ? { part: lesson.part, minutes: lesson.minutes } : null;
    var stored = state.part[key];
    if (stored && stored[0] === null) return null;
    var part = stored ? partByKey[stored[0]] : partByPrefix(key);
    if (part) return part.loaded ? null : { part: part, minutes: stored ? stored[1] || 0 : 0 };
    var group = stored && groups[stored[2]];
    if (!stored || allGroups() || (group && group.loaded)) return null;
    return { part: null, minutes: stored[1] || 0 };
  }

  /* A part's totals: from its lessons once loaded, else from its group and the marks. */
  function partTotals(part, marks) {
    if (part.loaded) return totals(part.lessons);
    var m = marks.parts[part.index] || { done: 0, minutes: 0 };
    var done = Math.min(m.done, part.count);
    return { done: done, total: part.count, minutes: part.minutes, left: Math.max(0, part.minutes - m.minutes) };
  }

  function marksByPart() {
    var marks = { parts: {}, elsewhere: { done: 0, minutes: 0 } };
    Object.keys(state.done).forEach(function (key) {
      var at = placeOf(key);
      if (!at) return;
      var m = at.part ? marks.parts[at.part.index] || (marks.parts[at.part.index] = { done: 0, minutes: 0 }) : marks.elsewhere;
      m.done += 1;
      m.minutes += at.minutes;
    });
    return marks;
  }

  /* The totals of a category: on a split course, a part's from its group and the marks, and
     the home's from the summary's totals, the known parts and the marks of the others. */
  function catTotals(cat) {
    if (!split || (cat !== homeCat && (!cat.part || cat.part.cat !== cat))) return totals(cat.lessons);
    var marks = drawing || marksByPart();
    if (cat !== homeCat) return partTotals(cat.part, marks);
    var t = totals(homeCat.lessons.filter(function (l) { return !l.part; }));
    var done = marks.elsewhere.done, doneMinutes = marks.elsewhere.minutes;
    parts.forEach(function (p) {
      var pt = partTotals(p, marks);
      done += pt.done;
      doneMinutes += pt.minutes - pt.left;
    });
    t.done += Math.min(done, whole[0]);
    t.total += whole[0];
    t.minutes += whole[1];
    t.left += Math.max(0, whole[1] - doneMinutes);
    return t;
  }

  function hasLessons(cat) {
    if (cat.lessons.length > 0 || !split) return cat.lessons.length > 0;
    return cat === homeCat ? whole[0] > 0 : !!(cat.part && cat.part.cat === cat && cat.part.count > 0);
  }

  function summary(t) {
    var text = tr("progress_summary", "{done} of {total} lessons done", { done: count(t.done), total: count(t.total) });
    if (t.total === 1) text = tr("progress_summary_one", "{done} of 1 lesson done", { done: t.done });
    if (t.left > 0) text += tr("progress_comma", ", ") + tr("progress_left", "{time} left", { time: duration(t.left) });
    return text;
  }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  var SVG = "http://www.w3.org/2000/svg";
  function tick() {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "progress-tick");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    var path = document.createElementNS(SVG, "path");
    path.setAttribute("d", "M5 12.5l4.5 4.5L19 7.5");
    svg.appendChild(path);
    return svg;
  }

  function bar(t) {
    var b = el("span", "progress-bar");
    b.setAttribute("aria-hidden", "true");
    var fill = el("span", "progress-bar-fill");
    fill.style.width = (t.total ? Math.round(100 * t.done / t.total) : 0) + "%";
    b.appendChild(fill);
    return b;
  }

  /* One polite live region for every change. */
  var live = el("p", "visually-hidden progress-live");
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  document.body.appendChild(live);
  function announce(text) {
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  /* ---- the sidebar ------------------------------------------------------------------ */

  /* The sidebar's links, and the lesson list of a chapter page. */
  var drawing = null;

  function drawSidebar() {
    drawing = split ? marksByPart() : null;
    drawLinks();
    drawing = null;
  }

  function drawLinks() {
    document.querySelectorAll(".sidebar-nav a, .lesson-index a.lesson-row").forEach(function (a) {
      a.querySelectorAll(".progress-nav").forEach(function (old) { old.remove(); });
      a.classList.remove("is-done");
      /* The room kept for a category's totals until now (progress.css) is given back. */
      a.classList.add("progress-drawn");
      var page = a.getAttribute("data-page");
      var key = page !== null ? keyOf(base + page) : keyOf(a.getAttribute("href") || "");
      if (key === null) return;
      var row = a.classList.contains("lesson-row");
      var text = a.querySelector(row ? ".lesson-row-body" : ".nav-text") || a;
      var lesson = lessonByKey[key];
      if (lesson) {
        if (!state.done[key]) return;
        a.classList.add("is-done");
        var mark = el("span", "progress-nav progress-nav-tick");
        mark.appendChild(tick());
        mark.appendChild(el("span", "visually-hidden", " " + tr("progress_done_mark", "(done)")));
        if (row) (a.querySelector(".lesson-row-title") || a).appendChild(mark);
        else text.after(mark);
        return;
      }
      var cat = catByKey[key];
      if (!cat || !hasLessons(cat)) return;
      var t = catTotals(cat);
      var line = el("span", "progress-nav progress-nav-count");
      var shown = el("span", "progress-nav-text", count(t.done) + "/" + count(t.total) + (t.left > 0 ? " · " + tr("progress_left", "{time} left", { time: duration(t.left) }) : ""));
      shown.setAttribute("aria-hidden", "true");
      line.appendChild(shown);
      line.appendChild(bar(t));
      line.appendChild(el("span", "visually-hidden", " (" + summary(t) + ")"));
      if (t.done === t.total) a.classList.add("is-done");
      text.appendChild(line);
    });
  }

  /* ---- the lesson: done toggle, quiz scores, where the reader is ---------------------- */

  var toggle = null;
  var toggleNote = null;

  /* Keeps a lesson's part, minutes and group with its mark or its place, so that pages of
     other parts total it, and the home page finds it, without loading this part's data. */
  function notePart(lesson) {
    if (lesson.part) state.part[lesson.key] = [lesson.part.cat.key, lesson.minutes, lesson.part.group];
  }

  function setDone(key, done) {
    if (done) {
      state.done[key] = Date.now();
      notePart(lessonByKey[key]);
    } else {
      delete state.done[key];
    }
    save();
  }

  function drawToggle() {
    if (!toggle) return;
    var done = !!state.done[currentLesson.key];
    toggle.setAttribute("aria-pressed", done ? "true" : "false");
    var scores = state.quiz[currentLesson.key];
    var note = done ? tr("progress_you_marked", "You marked this lesson done.") : tr("progress_mark_it", "Mark it when you have finished it.");
    if (scores && scores.length) {
      note += " " + tr("progress_best_score", "Best quiz score: {scores}.", { scores: scores.filter(Boolean).map(function (s) {
        return tr("quiz_score_short", "{right} of {total}", { right: s[0], total: s[1] });
      }).join(", ") });
    }
    toggleNote.textContent = note;
  }

  function chapterNote(lesson) {
    return lesson.cat && hasLessons(lesson.cat) ? " " + tr("progress_in_section", "{summary} in this section.", { summary: summary(catTotals(lesson.cat)) }) : "";
  }

  function setupLesson() {
    var prose = document.querySelector("main .prose") || document.querySelector("main");
    if (!prose) return;
    var box = el("div", "progress-mark");
    toggle = el("button", "progress-toggle");
    toggle.type = "button";
    toggle.id = "progress-toggle";
    toggle.appendChild(el("span", "progress-box")).appendChild(tick());
    toggle.appendChild(el("span", "progress-toggle-label", tr("progress_lesson_done", "Lesson done")));
    toggleNote = el("p", "progress-note");
    toggleNote.id = "progress-note";
    toggle.setAttribute("aria-describedby", toggleNote.id);
    box.appendChild(toggle);
    box.appendChild(toggleNote);
    /* The page carries the toggle not pressed (issue 18: nothing moves): take its place. */
    var drawn = prose.querySelector(".progress-mark");
    if (drawn) drawn.replaceWith(box);
    else prose.appendChild(box);
    drawToggle();
    toggle.addEventListener("click", function () {
      var done = !state.done[currentLesson.key];
      setDone(currentLesson.key, done);
      drawToggle();
      drawSidebar();
      announce((done ? tr("progress_marked_done", "Lesson marked done.") : tr("progress_marked_not_done", "Lesson marked not done.")) + chapterNote(currentLesson));
    });

    document.addEventListener("syllabus:quiz-checked", function (event) {
      var d = event.detail || {};
      if (!d.total) return;
      var quizzes = Array.prototype.slice.call(document.querySelectorAll("[data-quiz]"));
      var i = Math.max(0, quizzes.indexOf(event.target.closest("[data-quiz]")));
      var scores = state.quiz[currentLesson.key] || [];
      var best = scores[i];
      if (!best || d.right > best[0] || d.total !== best[1]) scores[i] = [d.right, d.total];
      state.quiz[currentLesson.key] = scores;
      var newlyDone = d.answered === d.total && !state.done[currentLesson.key];
      if (newlyDone) {
        state.done[currentLesson.key] = Date.now();
        notePart(currentLesson);
      }
      save();
      drawToggle();
      drawSidebar();
      if (newlyDone) announce(tr("progress_quiz_done", "Quiz answered: lesson marked done.") + chapterNote(currentLesson));
    });

    /* Where the reader is: this lesson, its title and the scroll position, kept as they read. */
    var heading = document.querySelector("main h1");
    var title = (heading && heading.textContent.trim()) || document.title.split(" · ")[0];
    function remember() {
      state = load();
      state.seen[currentLesson.key] = [Math.round(window.scrollY), Date.now(), title.slice(0, 200)];
      notePart(currentLesson);
      save();
    }
    var pending = null;
    window.addEventListener("scroll", function () {
      if (pending) return;
      pending = window.setTimeout(function () { pending = null; remember(); }, 300);
    }, { passive: true });
    window.addEventListener("pagehide", remember);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") remember();
    });

    /* Arrived by "Continue": back to where the reader was. */
    var resume = null;
    try { resume = sessionStorage.getItem("syllabus-progress-resume"); } catch (e) { /* none */ }
    var seen = state.seen[currentLesson.key];
    if (resume === storageKey + " " + currentLesson.key && seen && !location.hash) {
      try { sessionStorage.removeItem("syllabus-progress-resume"); } catch (e) { /* none */ }
      var y = seen[0];
      window.scrollTo(0, y);
      window.addEventListener("load", function () { window.scrollTo(0, y); });
    } else {
      /* Reading the scroll position makes the browser lay the page out: after the first
       * paint (syllabus.js's queue), not while the page starts. */
      (window.syllabusLater || function (step) { step(); })(remember);
    }
  }

  /* ---- home and chapter pages: continue, totals, export / import / reset ------------ */

  var card = null;

  function lastSeen(list) {
    var best = null;
    list.forEach(function (l) {
      var s = state.seen[l.key];
      if (s && (!best || s[1] > best.seen[1])) best = { lesson: l, seen: s };
    });
    return best;
  }

  /* The last lesson opened in a category. On the home page of a course split by part, a
     lesson of a part not loaded counts by its stored place, and its group's and part's files
     are loaded to check that it is still a lesson (then the card is drawn again). */
  function lastSeenIn(cat) {
    if (!split || cat !== homeCat) return lastSeen(cat.lessons);
    var keys = Object.keys(state.seen).sort(function (a, b) { return state.seen[b][1] - state.seen[a][1]; });
    for (var i = 0; i < keys.length; i++) {
      var key = keys[i];
      if (lessonByKey[key]) return { lesson: lessonByKey[key], seen: state.seen[key] };
      if (toLoad(key).length) {
        resolveKeys([key], function () {
          /* Gone from the course: known from now on, so no page loads files for it again. */
          if (knownNotLesson(key)) {
            state = load();
            state.part[key] = [null, 0];
            save();
          }
          drawCard();
        });
        return { lesson: { key: key }, seen: state.seen[key] };
      }
    }
    return null;
  }

  function drawCard() {
    if (!card) return;
    var home = currentCat.parent === null;
    var t = catTotals(currentCat);
    var last = lastSeenIn(currentCat);
    card.hidden = !home && !last && t.done === 0;
    var body = card.querySelector(".progress-card-body");
    body.textContent = "";
    var line = el("p", "progress-card-summary", tr("progress_sentence", "{summary}.", { summary: summary(t) }));
    body.appendChild(line);
    body.appendChild(bar(t));
    if (last) {
      var a = el("a", "progress-continue");
      a.href = base + last.lesson.key;
      a.appendChild(el("span", "progress-continue-label", tr("progress_continue", "Continue where you left off")));
      a.appendChild(el("span", "progress-continue-title", last.seen[2] || last.lesson.key));
      a.addEventListener("click", function () {
        try { sessionStorage.setItem("syllabus-progress-resume", storageKey + " " + last.lesson.key); } catch (e) { /* none */ }
      });
      body.appendChild(a);
    } else if (home) {
      body.appendChild(el("p", "progress-note", tr("progress_hint", "Mark lessons done as you go; your progress stays in this browser.")));
    }
  }

  function setupCard() {
    var prose = document.querySelector("main .prose");
    if (!prose || !hasLessons(currentCat)) return;
    var home = currentCat.parent === null;
    /* The home page carries the card not started (issue 18: nothing moves): fill it in. */
    var drawn = document.getElementById("progress-card");
    card = drawn || el("section", "progress-card");
    card.textContent = "";
    card.id = "progress-card";
    card.setAttribute("aria-labelledby", "progress-card-title");
    var h = el("h2", "progress-card-title", home ? tr("progress_yours", "Your progress") : tr("progress_yours_section", "Your progress in this section"));
    h.id = "progress-card-title";
    card.appendChild(h);
    card.appendChild(el("div", "progress-card-body"));
    if (home) card.appendChild(manageControls());
    if (!drawn) prose.insertBefore(card, prose.firstChild);
    drawCard();
  }

  function manageControls() {
    var details = el("details", "progress-manage");
    details.appendChild(el("summary", "", tr("progress_manage", "Manage progress")));
    details.appendChild(el("p", "progress-note", tr("progress_privacy", "Your progress is kept in this browser only and never sent anywhere. Save it to a file to move it to another browser.")));
    var row = el("div", "progress-actions");
    var exportButton = el("button", "progress-action", tr("progress_export", "Export progress"));
    exportButton.type = "button";
    exportButton.id = "progress-export";
    exportButton.addEventListener("click", exportFile);
    var importLabel = el("label", "progress-action progress-import-label", tr("progress_import", "Import progress"));
    var input = el("input", "visually-hidden progress-import");
    input.type = "file";
    input.id = "progress-import";
    input.accept = "application/json,.json";
    importLabel.htmlFor = input.id;
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) return;
      file.text().then(function (text) {
        importText(text, function (result) {
          message.textContent = result;
          announce(result);
          input.value = "";
        });
      });
    });
    var resetButton = el("button", "progress-action progress-danger", tr("progress_reset", "Reset progress"));
    resetButton.type = "button";
    resetButton.id = "progress-reset";
    row.appendChild(exportButton);
    row.appendChild(input);
    row.appendChild(importLabel);
    row.appendChild(resetButton);
    details.appendChild(row);

    var confirmBox = el("div", "progress-confirm");
    confirmBox.hidden = true;
    confirmBox.setAttribute("role", "group");
    confirmBox.setAttribute("aria-labelledby", "progress-confirm-text");
    var question = el("p", "progress-confirm-text", tr("progress_reset_question", "Reset your progress in this course? Done lessons, quiz scores and where you left off are forgotten in this browser."));
    question.id = "progress-confirm-text";
    var yes = el("button", "progress-action progress-danger", tr("progress_yes_reset", "Yes, reset"));
    yes.type = "button";
    yes.id = "progress-reset-confirm";
    var no = el("button", "progress-action", tr("cancel", "Cancel"));
    no.type = "button";
    no.id = "progress-reset-cancel";
    confirmBox.appendChild(question);
    confirmBox.appendChild(yes);
    confirmBox.appendChild(no);
    details.appendChild(confirmBox);

    var message = el("p", "progress-message");
    details.appendChild(message);

    resetButton.addEventListener("click", function () {
      confirmBox.hidden = false;
      no.focus();
    });
    no.addEventListener("click", function () {
      confirmBox.hidden = true;
      resetButton.focus();
    });
    yes.addEventListener("click", function () {
      state = empty();
      try { localStorage.removeItem(storageKey); } catch (e) { /* none */ }
      confirmBox.hidden = true;
      redraw();
      message.textContent = tr("progress_was_reset", "Progress reset.");
      announce(tr("progress_was_reset", "Progress reset."));
      resetButton.focus();
    });
    return details;
  }

  /* ---- export and import ------------------------------------------------------------ */

  function exportData() {
    return {
      format: FORMAT,
      version: VERSION,
      site: base,
      exported: new Date().toISOString(),
      done: Object.keys(state.done).sort(),
      quiz: state.quiz,
      seen: state.seen
    };
  }

  function exportFile() {
    var json = JSON.stringify(exportData(), null, 2) + "\n";
    var blob = new Blob([json], { type: "application/json" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    var name = (document.title.split(" · ").pop() || "course").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
    a.download = (name || "course") + "-progress.json";
    document.body.appendChild(a);
    a.click();
    a.remove();
    window.setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
    announce(tr("progress_exported", "Progress exported."));
  }

  function isScore(s) {
    return s === null || (Array.isArray(s) && s.length === 2 && s.every(function (n) {
      return typeof n === "number" && n >= 0 && n % 1 === 0;
    }) && s[0] <= s[1]);
  }

  /* Checks a file's text and merges it in: done lessons are added, the best quiz scores kept,
     the later place in each lesson kept. Calls back with the message for the reader, once
     the data of the parts its lessons are in is loaded (on a course split by part). */
  function importText(text, reply) {
    var problem = checkImport(text);
    if (typeof problem === "string") { reply(problem); return; }
    var data = problem;
    var keys = data.done.concat(Object.keys(data.quiz || {}), Object.keys(data.seen || {}));
    resolveKeys(split ? keys : [], function () { reply(mergeImport(data)); });
  }

  /* The file's data, or the message that says why nothing is imported. */
  function checkImport(text) {
    var data;
    try { data = JSON.parse(text); } catch (e) {
      return tr("progress_not_json", "Nothing imported: the file is not JSON ({error}).", { error: e.message });
    }
    if (!data || typeof data !== "object" || data.format !== FORMAT) {
      return tr("progress_not_ours", "Nothing imported: this is not a Syllabus progress file (its \"format\" is not \"{format}\").", { format: FORMAT });
    }
    if (typeof data.version !== "number" || data.version > VERSION || data.version < 1) {
      return tr("progress_bad_version", "Nothing imported: the file's version {version} is not one this site reads (version {supported}).", { version: JSON.stringify(data.version), supported: VERSION });
    }
    if (!Array.isArray(data.done) || !data.done.every(function (d) { return typeof d === "string"; })) {
      return tr("progress_bad_done", "Nothing imported: \"done\" must be a list of lesson addresses.");
    }
    var quiz = data.quiz || {};
    var seen = data.seen || {};
    if (typeof quiz !== "object" || Object.keys(quiz).some(function (k) {
      return !Array.isArray(quiz[k]) || !quiz[k].every(isScore);
    })) {
      return tr("progress_bad_quiz", "Nothing imported: \"quiz\" must map lessons to [best, total] scores.");
    }
    if (typeof seen !== "object" || Object.keys(seen).some(function (k) {
      var s = seen[k];
      return !Array.isArray(s) || typeof s[0] !== "number" || typeof s[1] !== "number";
    })) {
      return tr("progress_bad_seen", "Nothing imported: \"seen\" must map lessons to [scroll, time, title].");
    }
    return data;
  }

  function mergeImport(data) {
    var quiz = data.quiz || {};
    var seen = data.seen || {};
    var added = 0, unknown = 0;
    data.done.forEach(function (k) {
      if (!lessonByKey[k]) { unknown += 1; return; }
      if (!state.done[k]) { state.done[k] = Date.now(); notePart(lessonByKey[k]); added += 1; }
    });
    Object.keys(quiz).forEach(function (k) {
      if (!lessonByKey[k]) return;
      var mine = state.quiz[k] || [];
      quiz[k].forEach(function (s, i) {
        if (s && (!mine[i] || s[0] > mine[i][0])) mine[i] = [s[0], s[1]];
      });
      state.quiz[k] = mine;
    });
    Object.keys(seen).forEach(function (k) {
      if (!lessonByKey[k]) return;
      var s = seen[k];
      if (!state.seen[k] || s[1] > state.seen[k][1]) {
        state.seen[k] = [Math.max(0, Math.round(s[0])), s[1], String(s[2] || "").slice(0, 200)];
      }
      notePart(lessonByKey[k]);
    });
    save();
    redraw();
    var all = { n: added, summary: summary(split ? catTotals(homeCat) : totals(lessons)) };
    var msg = added === 1
      ? tr("progress_imported_one", "Imported: 1 more lesson done; {summary}.", all)
      : tr("progress_imported", "Imported: {n} more lessons done; {summary}.", all);
    if (unknown === 1) msg += " " + tr("progress_left_out_one", "1 lesson is not in this course and was left out.");
    else if (unknown > 1) msg += " " + tr("progress_left_out", "{n} lessons are not in this course and were left out.", { n: unknown });
    return msg;
  }

  /* ---- start ------------------------------------------------------------------------ */

  function redraw() {
    drawSidebar();
    drawToggle();
    drawCard();
  }

  /* Marks that count nowhere (made before the course was split, by an older version, or
     whose part has gone): those of loaded parts get their place now; for the others, the
     files that may hold them are loaded once, after the page has painted, and the marks get
     their place (or are known not to be lessons any more). Marks of loaded lessons whose
     stored place is out of date are brought up to date. */
  function placeMarks() {
    var changed = false;
    var unplaced = [];
    Object.keys(state.done).forEach(function (key) {
      var lesson = lessonByKey[key];
      var stored = state.part[key];
      if (lesson) {
        if (lesson.part && (!stored || stored[0] !== lesson.part.cat.key || stored[1] !== lesson.minutes || stored[2] !== lesson.part.group)) {
          notePart(lesson);
          changed = true;
        }
        return;
      }
      if (stored && stored[0] === null) return;
      if (!placeOf(key)) unplaced.push(key);
    });
    if (changed) save();
    return unplaced;
  }

  if (split) {
    var unplaced = placeMarks();
    if (unplaced.length) {
      (window.syllabusLater || function (step) { step(); })(function () {
        resolveKeys(unplaced, function () {
          state = load();
          unplaced.forEach(function (key) {
            if (state.done[key] && knownNotLesson(key)) state.part[key] = [null, 0];
          });
          placeMarks();
          save();
          redraw();
        });
      });
    }
    /* The sidebar shows another chunk of its top level: load that chunk's group, whose
       place among the groups is the page's own group's plus the chunks between them. */
    document.addEventListener("syllabus:nav-ready", function () {
      var nav = document.querySelector("nav.sidebar-nav[data-nav-shown]");
      if (!nav || ownGroup === null) return;
      var group = groups[ownGroup + (+nav.getAttribute("data-nav-shown")) - (+nav.getAttribute("data-nav-chunk"))];
      if (group && fresh(group)) loadFiles([group], drawSidebar);
    });
  }

  drawSidebar();
  if (currentLesson) setupLesson();
  if (currentCat) setupCard();
  /* What the page drew for a lesson or a card this course does not have. */
  if (!toggle) document.querySelectorAll(".progress-mark").forEach(function (e) { e.remove(); });
  if (!card) document.querySelectorAll("#progress-card").forEach(function (e) { e.remove(); });
  document.addEventListener("syllabus:nav-ready", drawSidebar);
  window.addEventListener("storage", function (event) {
    if (event.key === storageKey) {
      state = load();
      redraw();
    }
  });
})();
