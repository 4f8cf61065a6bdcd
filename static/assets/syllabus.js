/*
 * Syllabus default theme: progressive enhancements.
 * The site works without this file; it adds the theme toggle, the phone
 * menu drawer, copy buttons on code blocks and on-page TOC highlighting.
 * No framework, no network access.
 */
(function () {
  "use strict";

  /* The theme's strings in the page's language (src/site/i18n.rs writes them into the
     page when they are not the English ones written here); tr("key", "English"). */
  var STRINGS = (function () {
    var e = document.getElementById("syllabus-strings");
    try { return e ? JSON.parse(e.textContent) : {}; } catch (x) { return {}; }
  })();
  function tr(key, english, values) {
    var text = STRINGS[key] || english;
    for (var name in values || {}) text = text.split("{" + name + "}").join(values[name]);
    return text;
  }
  /* The other theme scripts (loaded after this one, all `defer`) use the same lookup. */
  window.syllabusTr = tr;

  var root = document.documentElement;
  var STORAGE_KEY = "syllabus-theme";
  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function storageGet() {
    try {
      return window.localStorage.getItem(STORAGE_KEY);
    } catch (e) {
      return null;
    }
  }

  function storageSet(value) {
    try {
      window.localStorage.setItem(STORAGE_KEY, value);
    } catch (e) {
      /* private mode or storage disabled: the choice lasts for this page only */
    }
  }

  /* ---------------------------------------------------------------- */
  /* Theme toggle                                                      */
  /* ---------------------------------------------------------------- */

  function currentTheme() {
    var chosen = root.getAttribute("data-theme");
    if (chosen === "dark" || chosen === "light") return chosen;
    return darkQuery && darkQuery.matches ? "dark" : "light";
  }

  function setupThemeToggle() {
    var button = document.getElementById("theme-toggle");
    if (!button) return;

    function sync() {
      var next = currentTheme() === "dark" ? "light" : "dark";
      var label = next === "dark" ? tr("theme_to_dark", "Switch to dark theme") : tr("theme_to_light", "Switch to light theme");
      button.setAttribute("aria-label", label);
      button.setAttribute("title", label);
    }

    button.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      storageSet(next);
      sync();
    });

    if (darkQuery) {
      var onChange = function () {
        if (!storageGet()) sync();
      };
      if (darkQuery.addEventListener) darkQuery.addEventListener("change", onChange);
      else if (darkQuery.addListener) darkQuery.addListener(onChange);
    }

    /* Another tab changed the theme. */
    window.addEventListener("storage", function (event) {
      if (event.key !== STORAGE_KEY) return;
      if (event.newValue === "dark" || event.newValue === "light") {
        root.setAttribute("data-theme", event.newValue);
      } else {
        root.removeAttribute("data-theme");
      }
      sync();
    });

    sync();
  }

  /* ---------------------------------------------------------------- */
  /* Phone menu (sidebar drawer)                                       */
  /* ---------------------------------------------------------------- */

  function setupMenu() {
    var button = document.getElementById("menu-button");
    var sidebar = document.getElementById("sidebar");
    var backdrop = document.getElementById("sidebar-backdrop");
    if (!button || !sidebar) return;
    var header = button.closest ? button.closest("header") : null;

    var phone = window.matchMedia ? window.matchMedia("(max-width: 800px)") : null;

    function isOpen() {
      return button.getAttribute("aria-expanded") === "true";
    }

    function open() {
      button.setAttribute("aria-expanded", "true");
      button.setAttribute("aria-label", tr("menu_close", "Close course menu"));
      sidebar.classList.add("is-open");
      if (backdrop) backdrop.hidden = false;
      root.classList.add("menu-open");
      revealActive(true);
      var target = sidebar.querySelector('[aria-current="page"]') || sidebar.querySelector("a");
      if (target) {
        /* Wait for visibility to flip before moving focus into the drawer. */
        window.requestAnimationFrame(function () {
          target.focus({ preventScroll: true });
        });
      }
    }

    function close(returnFocus) {
      if (!isOpen()) return;
      button.setAttribute("aria-expanded", "false");
      button.setAttribute("aria-label", tr("menu_open", "Open course menu"));
      sidebar.classList.remove("is-open");
      if (backdrop) backdrop.hidden = true;
      root.classList.remove("menu-open");
      if (returnFocus) button.focus();
    }

    button.addEventListener("click", function () {
      if (isOpen()) close(false);
      else open();
    });

    if (backdrop) {
      backdrop.addEventListener("click", function () {
        close(true);
      });
    }

    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && isOpen()) {
        close(true);
      }
    });

    /* Keep keyboard focus inside the open drawer (and the header button). */
    document.addEventListener("focusin", function (event) {
      if (!isOpen()) return;
      var t = event.target;
      if (sidebar.contains(t) || (header && header.contains(t))) return;
      var first = sidebar.querySelector("a");
      if (first) first.focus();
    });

    sidebar.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a") : null;
      if (link && isOpen()) close(false);
    });

    if (phone) {
      var onResize = function () {
        if (!phone.matches) close(false);
      };
      if (phone.addEventListener) phone.addEventListener("change", onResize);
      else if (phone.addListener) phone.addListener(onResize);
    }
  }

  /* Scroll the sidebar (not the page) so the current page's link is visible. */
  function revealActive(centre) {
    var sidebar = document.getElementById("sidebar");
    if (!sidebar) return;
    var active = sidebar.querySelector('[aria-current="page"]');
    if (!active) return;
    var sRect = sidebar.getBoundingClientRect();
    var aRect = active.getBoundingClientRect();
    if (!centre && aRect.top >= sRect.top && aRect.bottom <= sRect.bottom) return;
    var offset = aRect.top - sRect.top - sidebar.clientHeight / 3;
    sidebar.scrollTop += offset;
  }

  /* ---------------------------------------------------------------- */
  /* Copy buttons                                                      */
  /* ---------------------------------------------------------------- */

  function fallbackCopy(text) {
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.top = "-1000px";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = document.execCommand("copy");
      } catch (e) {
        ok = false;
      }
      document.body.removeChild(area);
      if (ok) resolve();
      else reject(new Error("copy failed"));
    });
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        return fallbackCopy(text);
      });
    }
    return fallbackCopy(text);
  }

  /* The commands of a console session (a block with .t-prompt lines): each prompt line, and
     every line that continues a command ending in a backslash (the core marks those as
     output). Null when the block is not a session. */
  function sessionCommands(code) {
    if (!code.querySelector(".t-prompt")) return null;
    var commands = [];
    var continued = false;
    Array.prototype.forEach.call(code.querySelectorAll(".line"), function (line) {
      var prompt = line.querySelector(".t-prompt");
      if (!prompt && !continued) return;
      var text = line.textContent.replace(/\n$/, "");
      if (prompt) text = text.slice(prompt.textContent.length);
      commands.push({ line: line, text: text, continuation: !prompt });
      continued = /\\$/.test(text);
    });
    return commands;
  }

  /* What a code block's button copies: the code as shown; for a console session only its
     commands, without "$ " prompts or output. */
  function textToCopy(code) {
    var commands = sessionCommands(code);
    if (!commands || !commands.length) return code.textContent.replace(/\n$/, "");
    return commands
      .map(function (command) {
        return command.text;
      })
      .join("\n");
  }

  /* Show continuation lines as part of their command, not as quieter output. */
  function markContinuations() {
    Array.prototype.forEach.call(document.querySelectorAll(".code-block pre code"), function (code) {
      (sessionCommands(code) || []).forEach(function (command) {
        if (command.continuation) command.line.classList.add("is-continuation");
      });
    });
  }

  function setupCopyButtons() {
    /* The build writes the buttons in English; a translated page relabels them. */
    if (STRINGS.copy) {
      document.querySelectorAll(".copy-button").forEach(function (b) {
        b.textContent = STRINGS.copy;
        b.setAttribute("aria-label", tr("copy_code", "Copy code to clipboard"));
      });
    }
    document.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest(".copy-button") : null;
      if (!button) return;
      var block = button.closest(".code-block");
      var code = block && block.querySelector("pre code");
      if (!code) return;
      var text = textToCopy(code);
      var original = button.getAttribute("data-label") || button.textContent;
      button.setAttribute("data-label", original);

      function show(message, ok) {
        button.textContent = message;
        button.classList.toggle("is-copied", ok);
        announce(ok ? tr("code_copied", "Code copied to clipboard") : tr("copy_failed", "Copy failed"));
        window.clearTimeout(button._syllabusTimer);
        button._syllabusTimer = window.setTimeout(function () {
          button.textContent = original;
          button.classList.remove("is-copied");
        }, 2000);
      }

      copyText(text).then(
        function () {
          show(tr("copied", "Copied"), true);
        },
        function () {
          show(tr("failed", "Failed"), false);
        }
      );
    });
  }

  /* A polite live region so screen readers hear "copied". */
  var liveRegion = null;
  function announce(message) {
    if (!liveRegion) {
      liveRegion = document.createElement("div");
      liveRegion.className = "visually-hidden";
      liveRegion.setAttribute("role", "status");
      liveRegion.setAttribute("aria-live", "polite");
      document.body.appendChild(liveRegion);
    }
    liveRegion.textContent = "";
    window.setTimeout(function () {
      liveRegion.textContent = message;
    }, 50);
  }

  /* ---------------------------------------------------------------- */
  /* On-page TOC: highlight the section being read                     */
  /* ---------------------------------------------------------------- */

  /* Fold the on-page contents on narrow screens, where it sits above the text. */
  function setupTocFold() {
    var details = document.querySelector(".toc-details");
    if (!details) return;
    /* Until now a narrow page showed it folded by style (issue 18: nothing moves). */
    details.classList.add("toc-ready");
    if (!window.matchMedia) return;
    var wide = window.matchMedia("(min-width: 1200px)");
    details.open = wide.matches;
    var onChange = function () {
      details.open = wide.matches;
    };
    if (wide.addEventListener) wide.addEventListener("change", onChange);
    else if (wide.addListener) wide.addListener(onChange);
  }

  function setupScrollSpy() {
    var toc = document.querySelector(".toc");
    if (!toc || !("IntersectionObserver" in window)) return;
    var links = Array.prototype.slice.call(toc.querySelectorAll('a[href^="#"]'));
    if (!links.length) return;

    var entries = [];
    links.forEach(function (link) {
      var id;
      try {
        id = decodeURIComponent(link.getAttribute("href").slice(1));
      } catch (e) {
        id = link.getAttribute("href").slice(1);
      }
      var heading = document.getElementById(id);
      if (heading) entries.push({ link: link, heading: heading });
    });
    if (!entries.length) return;

    var current = null;
    function setActive(entry) {
      if (entry === current) return;
      if (current) {
        current.link.classList.remove("is-active");
        current.link.removeAttribute("aria-current");
      }
      current = entry;
      if (current) {
        current.link.classList.add("is-active");
        current.link.setAttribute("aria-current", "location");
        /* A long TOC scrolls on its own: keep the active entry in view. */
        if (toc.scrollHeight > toc.clientHeight + 1) {
          var t = toc.getBoundingClientRect();
          var l = current.link.getBoundingClientRect();
          if (l.top < t.top + 40 || l.bottom > t.bottom - 40) {
            toc.scrollTop += l.top - t.top - toc.clientHeight / 2;
          }
        }
      }
    }

    function update() {
      var bar = document.querySelector(".site-header");
      var headerH = (bar ? bar.offsetHeight : 56) + 24;
      var found = null;
      for (var i = 0; i < entries.length; i++) {
        if (entries[i].heading.getBoundingClientRect().top - headerH <= 0) found = entries[i];
        else break;
      }
      /* At the very bottom of the page, the last section is the current one. */
      if (window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2) {
        found = entries[entries.length - 1];
      }
      setActive(found || entries[0]);
    }

    var ticking = false;
    var observer = new IntersectionObserver(function () {
      if (ticking) return;
      ticking = true;
      window.requestAnimationFrame(function () {
        ticking = false;
        update();
      });
    }, { rootMargin: "-80px 0px -40% 0px", threshold: [0, 1] });
    entries.forEach(function (e) {
      observer.observe(e.heading);
    });
    window.addEventListener(
      "scroll",
      function () {
        if (ticking) return;
        ticking = true;
        window.requestAnimationFrame(function () {
          ticking = false;
          update();
        });
      },
      { passive: true }
    );
    /* No first update here: the observer reports every heading once the page is laid out,
     * and reading positions now would make the browser lay it out early. */
  }

  /* ---------------------------------------------------------------- */
  /* Wide tables and formulas: make the scrolling box reachable by keyboard */
  /* ---------------------------------------------------------------- */

  function setupTables() {
    var wraps = Array.prototype.slice.call(
      document.querySelectorAll(".table-wrap, .math-display, .syl-diagram-scroll")
    );
    if (!wraps.length) return;

    /* The build makes every table a focusable region labelled "Table N" (so it can be
     * scrolled by keyboard without this script); a table that fits needs neither. Every
     * width is read before anything is written: a write between two reads would make the
     * browser lay the page out again for each box (issue 18: a long page's start-up). */
    function update(list) {
      var wide = list.map(function (wrap) {
        return wrap.scrollWidth > wrap.clientWidth + 1;
      });
      list.forEach(function (wrap, i) {
        if (!wrap.hasAttribute("data-label")) {
          wrap.setAttribute("data-label", wrap.getAttribute("aria-label") || tr("table", "Table"));
        }
        if (wide[i]) {
          wrap.setAttribute("tabindex", "0");
          wrap.setAttribute("role", "region");
          wrap.setAttribute("aria-label", wrap.getAttribute("data-label") + " (scrolls sideways)");
        } else {
          wrap.removeAttribute("tabindex");
          wrap.removeAttribute("role");
          wrap.removeAttribute("aria-label");
        }
      });
    }

    /* Told each box's size after the browser has laid the page out, so reading the widths
     * costs no layout of its own; and again whenever a box changes size. */
    if ("ResizeObserver" in window) {
      var observer = new ResizeObserver(function (entries) {
        update(entries.map(function (entry) { return entry.target; }));
      });
      wraps.forEach(function (wrap) { observer.observe(wrap); });
      return;
    }
    var timer = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { update(wraps); }, 150);
    });
    update(wraps);
  }

  /* ---------------------------------------------------------------- */
  /* Print: open collapsed <details> so nothing is lost on paper        */
  /* ---------------------------------------------------------------- */

  function setupPrint() {
    var opened = [];
    window.addEventListener("beforeprint", function () {
      opened = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (d) {
        d.setAttribute("open", "");
        return true;
      });
    });
    window.addEventListener("afterprint", function () {
      opened.forEach(function (d) {
        d.removeAttribute("open");
      });
      opened = [];
    });
  }

  /* Work a reader does not need before the first paint runs after it, one step per task,
   * when the browser is idle: a long page on a slow phone never blocks for the lot at once
   * (issue 18: Lighthouse's total blocking time). The other theme scripts queue theirs
   * through `window.syllabusLater`. When all is done, and a frame has been drawn after it,
   * the page says so: `<html data-syllabus-ready>` and a `syllabus:ready` event. */
  var queue = [];
  var started = false;
  var draining = false;
  function later(step) {
    queue.push(step);
    if (started && !draining) {
      draining = true;
      next();
    }
  }
  function next() {
    if (window.requestIdleCallback) window.requestIdleCallback(runStep, { timeout: 300 });
    else window.setTimeout(runStep, 0);
  }
  function runStep() {
    var step = queue.shift();
    if (!step) {
      draining = false;
      /* A hidden tab draws no frames: it is ready at once. */
      var afterFrame = document.visibilityState === "hidden" || !window.requestAnimationFrame
        ? function (f) { f(); }
        : function (f) { window.requestAnimationFrame(f); };
      afterFrame(function () {
        window.setTimeout(function () {
          if (queue.length) return;
          root.setAttribute("data-syllabus-ready", "");
          document.dispatchEvent(new CustomEvent("syllabus:ready"));
        }, 0);
      });
      return;
    }
    try {
      step();
    } finally {
      next();
    }
  }
  window.syllabusLater = later;

  function init() {
    setupThemeToggle();
    setupMenu();
    setupCopyButtons();
    setupTocFold();
    setupPrint();
    later(setupTables);
    later(markContinuations);
    later(setupScrollSpy);
    later(function () {
      revealActive(false);
    });
    started = true;
    draining = true;
    next();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

/* Print view (issue 17): the "Print" button of a chapter's print page. */
(function () {
  var button = document.querySelector("[data-print]");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
