/*
 * Syllabus offline search: reads the index that `syllabus build` writes to assets/search/
 * (see src/site/search/) and shows results as you type.
 *
 * Only what a query needs is downloaded: the manifest (the first term of every shard), the
 * shards holding the query's terms, then the fragments (title, sections, text) of the pages
 * in the top results. Every index file is a script that calls __syllabusSearch(key, data), so
 * it loads with a <script> element: on any static host, under a sub-path, and from file://.
 * No framework, nothing from another host.
 */
(function () {
  "use strict";

  /* The theme's strings in the page's language: syllabus.js's lookup, loaded first. */
  var tr = window.syllabusTr;

  var root = document.getElementById("search");
  var input = root && root.querySelector("input[type=search]");
  var list = root && root.querySelector("[role=listbox]");
  if (!input || !list) return;
  var panel = root.querySelector(".search-panel") || list;
  var status = root.querySelector("[role=status]");
  var toggle = root.querySelector(".search-toggle");
  var closer = root.querySelector(".search-close");

  var MAX_RESULTS = 10;
  /* While typing, only the first results are shown (each result may download a file); the
   * rest follow once typing pauses for SETTLE_MS. */
  var FIRST_RESULTS = 5;
  var SETTLE_MS = 500;
  var PER_PAGE = 2;
  var MAX_PREFIX_SHARDS = 3;
  var MAX_EXPANSIONS = 40;
  var DEBOUNCE_MS = 200;
  /* The word being typed is also looked up as a prefix once it has this many letters. */
  var MIN_PREFIX = 3;
  /* Keep in step with STOP_WORDS and MAX_TERM in src/site/search/terms.rs. */
  var STOP = " a an and are at be by it its of on or that the this to was were ";
  var MAX_TERM = 32;
  var WORD = /[\p{Alphabetic}\p{N}]+/gu;
  var COMPOUND = /[\p{Alphabetic}\p{N}]+(?:[-_.][\p{Alphabetic}\p{N}]+)+/gu;
  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var DIGIT = {};
  for (var d = 0; d < DIGITS.length; d++) DIGIT[DIGITS.charCodeAt(d)] = d;

  /* ---------------------------------------------------------------- */
  /* Where the site and its index are                                  */
  /* ---------------------------------------------------------------- */

  function siteBase() {
    var base = root.getAttribute("data-base");
    if (base) return new URL(base, location.href).href;
    var script = document.currentScript;
    if (script && script.src) return script.src.replace(/assets\/search(\.[0-9a-f]{16})?\.js(\?.*)?$/, "");
    return new URL("/", location.href).href;
  }

  var base = siteBase();
  var indexDir = base + "assets/search/";
  var fileProtocol = location.protocol === "file:";

  /* ---------------------------------------------------------------- */
  /* Loading index files                                               */
  /* ---------------------------------------------------------------- */

  var loads = {};
  var version = "";
  /* Set when the index is read anew (see forgetIndex): the manifest skips any cache. */
  var fresh = "";

  window.__syllabusSearch = function (key, data) {
    var entry = loads[key];
    /* Only the script this entry asked for answers it (not a late one of a forgotten index). */
    if (entry && !entry.done && (!document.currentScript || document.currentScript === entry.script)) {
      entry.done = true;
      entry.resolve(data);
    }
  };

  function load(key) {
    if (loads[key]) return loads[key].promise;
    var entry = { done: false };
    entry.promise = new Promise(function (resolve, reject) {
      entry.resolve = resolve;
      entry.reject = reject;
    });
    loads[key] = entry;
    var script = document.createElement("script");
    entry.script = script;
    script.src = indexDir + key + ".js" + (version ? "?v=" + version : fresh);
    script.async = true;
    script.onload = script.onerror = function () {
      script.remove();
      if (!entry.done) {
        delete loads[key];
        entry.reject(new Error("search index file missing: " + script.src));
      }
    };
    document.head.appendChild(script);
    return entry.promise;
  }

  var manifest = null;
  function loadManifest() {
    return load("manifest").then(function (m) {
      manifest = m;
      version = m.v;
      return m;
    });
  }

  /* Forgets every index file read: the next query reads the manifest again. A query whose
     index was replaced (`syllabus serve` after a save, a new deploy) gets no file of another
     index: it starts again on the new one, so results never mix two versions. */
  function forgetIndex() {
    loads = {};
    shards = {};
    manifest = null;
    version = "";
    fresh = "?r=" + Date.now();
  }

  var shards = {};
  function loadShard(n) {
    if (shards[n]) return Promise.resolve(shards[n]);
    return load("t/" + n).then(function (text) {
      var terms = new Map();
      var lines = text.split("\n");
      for (var i = 0; i < lines.length; i++) {
        var line = lines[i];
        var sp = line.indexOf(" ");
        if (sp > 0) terms.set(line.slice(0, sp), line.slice(sp + 1));
      }
      shards[n] = terms;
      return terms;
    });
  }

  /* The shard holding `term`: the last whose first term is <= term. */
  function shardOf(term) {
    var keys = manifest.shards;
    var lo = 0;
    var hi = keys.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (keys[mid] <= term) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /* Postings of one term line: [{page, section, weight}], and its document frequency. */
  function postings(entry) {
    var sp = entry.indexOf(" ");
    var encoded = sp < 0 ? entry : entry.slice(0, sp);
    var numbers = [];
    var n = 0;
    var shift = 0;
    for (var i = 0; i < encoded.length; i++) {
      var digit = DIGIT[encoded.charCodeAt(i)];
      n += (digit & 31) * Math.pow(2, shift);
      shift += 5;
      if (digit < 32) {
        numbers.push(n);
        n = 0;
        shift = 0;
      }
    }
    var out = [];
    var page = 0;
    for (var j = 0; j + 2 < numbers.length; j += 3) {
      page += numbers[j];
      out.push({ page: page, section: numbers[j + 1], weight: numbers[j + 2] });
    }
    return { list: out, df: sp < 0 ? out.length : Number(entry.slice(sp + 1)) };
  }

  /* ---------------------------------------------------------------- */
  /* Terms: the same rules as for_each_term in src/site/search/terms.rs */
  /* ---------------------------------------------------------------- */

  function stem(word) {
    if (word.length < 4 || !/^[a-z]+$/.test(word)) return word;
    var ends = function (s) {
      return word.slice(-s.length) === s;
    };
    if (ends("sses")) return word.slice(0, -2);
    if (ends("ies") && !ends("eies") && !ends("aies")) return word.slice(0, -3) + "y";
    if (ends("es") && !ends("aes") && !ends("ees") && !ends("oes")) return word.slice(0, -1);
    if (ends("s") && !ends("us") && !ends("ss") && !ends("is")) return word.slice(0, -1);
    return word;
  }

  function length(s) {
    return Array.from(s).length;
  }

  /* The term a word is indexed under, or null if it is not indexed. */
  function term(word) {
    var lower = word.toLowerCase();
    var len = length(lower);
    if (len < 2 || len > MAX_TERM || (/^[0-9]+$/.test(lower) && len > 4)) return null;
    if (STOP.indexOf(" " + lower + " ") >= 0) return null;
    return stem(lower);
  }

  /* A query: its words (the last one a prefix while it is being typed) and compounds. */
  function parse(query) {
    var words = [];
    var raw = query.match(WORD) || [];
    var open = !/[^\p{Alphabetic}\p{N}]$/u.test(query);
    raw.forEach(function (w, i) {
      var lower = w.toLowerCase();
      var t = term(w);
      var last = open && i === raw.length - 1;
      if (last && length(lower) >= MIN_PREFIX) words.push({ exact: t, prefix: lower });
      else if (t) words.push({ exact: t, prefix: null });
    });
    var compounds = (query.match(COMPOUND) || [])
      .map(function (c) {
        return c.toLowerCase();
      })
      .filter(function (c) {
        return length(c) <= MAX_TERM;
      });
    return { words: words, compounds: compounds };
  }

  /* ---------------------------------------------------------------- */
  /* Searching                                                         */
  /* ---------------------------------------------------------------- */

  /* The index terms a query word matches, with a factor: 1 exact, less for a longer word
   * that merely starts with what was typed. */
  function variants(word) {
    var wanted = [];
    if (word.exact) wanted.push(shardOf(word.exact));
    var range = null;
    if (word.prefix) {
      var first = shardOf(word.prefix);
      var last = shardOf(word.prefix + "\uffff");
      if (last - first < MAX_PREFIX_SHARDS) {
        range = [first, last];
        for (var s = first; s <= last; s++) wanted.push(s);
      }
    }
    return Promise.all(wanted.map(loadShard)).then(function () {
      var found = [];
      if (word.exact && shards[shardOf(word.exact)].has(word.exact)) {
        found.push({ term: word.exact, entry: shards[shardOf(word.exact)].get(word.exact), factor: 1 });
      }
      if (range) {
        var more = [];
        for (var s = range[0]; s <= range[1]; s++) {
          shards[s].forEach(function (entry, t) {
            if (t !== word.exact && t.slice(0, word.prefix.length) === word.prefix) {
              more.push({ term: t, entry: entry, factor: t === word.prefix ? 1 : 0.7 });
            }
          });
        }
        /* The most common completions first: they are what people usually mean. */
        more.sort(function (a, b) {
          return b.entry.length - a.entry.length || (a.term < b.term ? -1 : 1);
        });
        found = found.concat(more.slice(0, MAX_EXPANSIONS));
      }
      return found;
    });
  }

  function rank(query) {
    var parsed = parse(query);
    if (!parsed.words.length) return Promise.resolve({ words: [], hits: [] });
    return loadManifest()
      .then(function () {
        var lookups = parsed.words.map(variants);
        parsed.compounds.forEach(function (c) {
          lookups.push(variants({ exact: c, prefix: null }));
        });
        return Promise.all(lookups);
      })
      .then(function (found) {
        var total = manifest.sections;
        var sections = new Map();
        found.forEach(function (matches, w) {
          var isWord = w < parsed.words.length;
          var best = new Map();
          matches.forEach(function (m) {
            var p = postings(m.entry);
            var idf = Math.log(1 + total / Math.max(1, p.df));
            p.list.forEach(function (x) {
              var key = x.page * 65536 + x.section;
              var score = idf * x.weight * m.factor;
              if (!(best.get(key) >= score)) best.set(key, score);
            });
          });
          best.forEach(function (score, key) {
            var s = sections.get(key);
            if (!s) {
              s = { key: key, score: 0, words: 0 };
              sections.set(key, s);
            }
            s.score += score;
            if (isWord) s.words += 1;
          });
        });
        var hits = Array.from(sections.values());
        var all = parsed.words.length;
        if (hits.some(function (h) { return h.words === all; })) {
          hits = hits.filter(function (h) {
            return h.words === all;
          });
        }
        hits.sort(function (a, b) {
          return b.words - a.words || b.score - a.score || a.key - b.key;
        });
        var perPage = {};
        var top = [];
        for (var i = 0; i < hits.length && top.length < MAX_RESULTS; i++) {
          var page = Math.floor(hits[i].key / 65536);
          perPage[page] = (perPage[page] || 0) + 1;
          if (perPage[page] <= PER_PAGE) top.push({ page: page, section: hits[i].key % 65536 });
        }
        return { words: parsed.words, hits: top, total: hits.length };
      });
  }

  function fragments(hits) {
    var pages = [];
    hits.forEach(function (h) {
      if (pages.indexOf(h.page) < 0) pages.push(h.page);
    });
    return Promise.all(
      pages.map(function (p) {
        /* Pages come manifest.chunk to a file. */
        var per = manifest.chunk || 1;
        return load("p/" + Math.floor(p / per)).then(function (chunk) {
          return [p, chunk[p % per]];
        });
      })
    ).then(function (loaded) {
      var byPage = new Map(loaded);
      return hits
        .map(function (h) {
          var f = byPage.get(h.page);
          var s = f && f.s[h.section];
          if (!s) return null;
          var href = base + f.u + (fileProtocol ? "index.html" : "");
          if (s[0]) href += "#" + s[0];
          return { title: f.t, anchor: s[0], heading: s[1], text: s[2], href: href };
        })
        .filter(Boolean);
    });
  }

  /* ---------------------------------------------------------------- */
  /* Showing results                                                   */
  /* ---------------------------------------------------------------- */

  function matcher(words) {
    return function (word) {
      var lower = word.toLowerCase();
      var t = stem(lower);
      return words.some(function (w) {
        return (
          (w.exact && (t === w.exact || lower === w.exact)) ||
          (w.prefix && lower.slice(0, w.prefix.length) === w.prefix)
        );
      });
    };
  }

  /* Appends `text` to `parent`, with the words that match in <mark>. */
  function highlight(parent, text, matches) {
    var at = 0;
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      if (!matches(m[0])) continue;
      if (m.index > at) parent.appendChild(document.createTextNode(text.slice(at, m.index)));
      var mark = document.createElement("mark");
      mark.textContent = m[0];
      parent.appendChild(mark);
      at = m.index + m[0].length;
    }
    if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
  }

  /* About 180 characters of `text` around its first match. */
  function excerpt(text, matches) {
    var first = -1;
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      if (matches(m[0])) {
        first = m.index;
        break;
      }
    }
    var start = first > 60 ? text.lastIndexOf(" ", first - 50) + 1 : 0;
    var end = start + 180;
    if (end < text.length) {
      var space = text.lastIndexOf(" ", end);
      end = space > start + 80 ? space : end;
    }
    return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
  }

  var results = [];
  var active = -1;

  function setActive(i) {
    var options = list.querySelectorAll("[role=option]");
    if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
    active = i;
    if (active >= 0 && options[active]) {
      options[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function open(show) {
    panel.hidden = !show;
    input.setAttribute("aria-expanded", show ? "true" : "false");
    if (!show) setActive(-1);
  }

  function announce(text) {
    if (status && status.textContent !== text) status.textContent = text;
  }

  function render(query, words, items) {
    var keep = root.getAttribute("data-shown") === query && !panel.hidden ? active : -1;
    list.textContent = "";
    results = items;
    active = -1;
    input.removeAttribute("aria-activedescendant");
    var matches = matcher(words);
    items.forEach(function (r, i) {
      var li = document.createElement("li");
      li.className = "search-result";
      li.id = "search-result-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var a = document.createElement("a");
      a.href = r.href;
      a.tabIndex = -1;
      var title = document.createElement("span");
      title.className = "search-result-title";
      highlight(title, r.title, matches);
      a.appendChild(title);
      if (r.heading) {
        var heading = document.createElement("span");
        heading.className = "search-result-heading";
        highlight(heading, r.heading, matches);
        a.appendChild(heading);
      }
      if (r.text) {
        var snippet = document.createElement("span");
        snippet.className = "search-result-snippet";
        highlight(snippet, excerpt(r.text, matches), matches);
        a.appendChild(snippet);
      }
      li.appendChild(a);
      list.appendChild(li);
    });
    if (!items.length) {
      var none = document.createElement("li");
      none.className = "search-empty";
      none.setAttribute("role", "presentation");
      none.textContent = tr("search_none_for", "No results for “{q}”", { q: query });
      list.appendChild(none);
    }
    open(true);
    if (keep >= 0 && keep < items.length) setActive(keep);
    /* Which query the list shows (tests wait for it). */
    root.setAttribute("data-shown", query);
    var n = items.length;
    announce(n === 1 ? tr("search_one", "1 result, use the arrow keys to choose") : n ? tr("search_many", "{n} results, use the arrow keys to choose", { n: n }) : tr("search_none", "No results"));
  }

  var seq = 0;
  var shown = 0;
  var timer = 0;
  var pending = false;
  var enterWhenShown = false;

  var settleTimer = 0;

  function search(settled) {
    pending = false;
    window.clearTimeout(settleTimer);
    var query = input.value;
    var mine = ++seq;
    if (!query.trim()) {
      list.textContent = "";
      results = [];
      shown = mine;
      enterWhenShown = false;
      open(false);
      announce("");
      return;
    }
    root.classList.add("is-loading");
    var attempt = function (again) {
      return rank(query).then(function (ranked) {
        if (mine !== seq) return null;
        var hits = settled ? ranked.hits : ranked.hits.slice(0, FIRST_RESULTS);
        return fragments(hits).then(function (items) {
          return { ranked: ranked, hits: hits, items: items };
        });
      }).catch(function (error) {
        /* A file of the index is gone (replaced): read the new index, once. */
        if (!again || mine !== seq) throw error;
        forgetIndex();
        return attempt(false);
      });
    };
    attempt(true)
      .then(function (found) {
        if (!found || mine !== seq) return null;
        var ranked = found.ranked, hits = found.hits, items = found.items;
        render(query.trim(), ranked.words, items);
        shown = mine;
        var complete = hits.length === ranked.hits.length;
        root.setAttribute("data-complete", complete ? "true" : "false");
        if (!complete) {
          settleTimer = window.setTimeout(function () {
            search(true);
          }, SETTLE_MS);
        }
        if (enterWhenShown) {
          enterWhenShown = false;
          go(0);
        }
      })
      .catch(function (error) {
        if (mine !== seq) return;
        shown = mine;
        enterWhenShown = false;
        list.textContent = "";
        var li = document.createElement("li");
        li.className = "search-empty";
        li.setAttribute("role", "presentation");
        li.textContent = tr("search_unavailable", "Search is not available") + ": " + tr("search_index_missing", "the index could not be loaded.");
        list.appendChild(li);
        open(true);
        announce(tr("search_unavailable", "Search is not available"));
        if (window.console) console.warn(error);
      })
      .then(function () {
        if (mine === seq) root.classList.remove("is-loading");
      });
  }

  /* ---------------------------------------------------------------- */
  /* Keyboard, pointer, and the phone layout                           */
  /* ---------------------------------------------------------------- */

  function go(i) {
    var r = results[i];
    if (r) window.location.href = r.href;
  }

  function expand() {
    root.classList.add("is-open");
    if (toggle) toggle.setAttribute("aria-expanded", "true");
  }

  function collapse() {
    root.classList.remove("is-open");
    if (toggle) toggle.setAttribute("aria-expanded", "false");
  }

  function focusSearch() {
    expand();
    input.focus();
    input.select();
    if (input.value.trim() && results.length) open(true);
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    window.clearTimeout(settleTimer);
    pending = true;
    timer = window.setTimeout(function () {
      search(false);
    }, DEBOUNCE_MS);
  });

  list.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("a")) {
      open(false);
      collapse();
    }
  });

  input.addEventListener("keydown", function (event) {
    var n = results.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!n) return;
      event.preventDefault();
      if (panel.hidden) open(true);
      var step = event.key === "ArrowDown" ? 1 : -1;
      setActive(active < 0 ? (step > 0 ? 0 : n - 1) : (active + step + n) % n);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (shown !== seq || pending) {
        /* Results for what was typed are not in yet: open the first when they are. */
        enterWhenShown = true;
        return;
      }
      if (n) go(active >= 0 ? active : 0);
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      if (!panel.hidden) open(false);
      else if (input.value) input.value = "";
      else {
        input.blur();
        collapse();
        if (toggle && toggle.offsetParent) toggle.focus();
      }
    } else if (event.key === "Home" || event.key === "End") {
      /* Keep them for the text, as a combobox should. */
    }
  });

  input.addEventListener("focus", function () {
    if (input.value.trim() && results.length) open(true);
  });

  list.addEventListener("mousemove", function (event) {
    var option = event.target.closest && event.target.closest("[role=option]");
    if (!option) return;
    var i = Array.prototype.indexOf.call(list.querySelectorAll("[role=option]"), option);
    if (i !== active) setActive(i);
  });

  document.addEventListener("pointerdown", function (event) {
    if (!root.contains(event.target)) {
      open(false);
      if (!input.value) collapse();
    }
  });

  root.addEventListener("focusout", function (event) {
    if (event.relatedTarget && !root.contains(event.relatedTarget)) open(false);
  });

  if (toggle) {
    toggle.addEventListener("click", function () {
      if (root.classList.contains("is-open")) collapse();
      else focusSearch();
    });
  }

  if (closer) {
    closer.addEventListener("click", function () {
      open(false);
      collapse();
      if (toggle) toggle.focus();
    });
  }

  function editable(el) {
    if (!el || el === document.body) return false;
    var tag = el.tagName;
    return el.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  document.addEventListener("keydown", function (event) {
    var k = event.key;
    if ((k === "k" || k === "K") && (event.ctrlKey || event.metaKey) && !event.altKey) {
      event.preventDefault();
      focusSearch();
    } else if (k === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !editable(event.target)) {
      event.preventDefault();
      focusSearch();
    }
  });

  root.classList.add("is-ready");
  /* A query typed before the script ran (or kept by the browser on back). */
  if (input.value.trim()) search(false);
})();
