/* Interactive course components: quizzes and tabs. Plain JS, no framework; the markup
   works without it (answers in <details>, tab panels stacked). */
(function () {
  "use strict";

  /* The theme's strings in the page's language: syllabus.js's lookup, loaded first. */
  var tr = window.syllabusTr;

  function setupQuiz(quiz) {
    var form = quiz.querySelector("form");
    if (!form) return;
    var score = quiz.querySelector(".quiz-score");
    /* The build writes the buttons in English; a translated page relabels them. */
    [[".quiz-check", "quiz_check"], [".quiz-reset", "quiz_reset"]].forEach(function (pair) {
      var b = form.querySelector(pair[0]);
      var label = tr(pair[1], "");
      if (b && label) b.textContent = label;
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      /* Questions that cannot be answered carry no data-correct and are not scored. */
      var questions = quiz.querySelectorAll(".quiz-question[data-correct]");
      var right = 0;
      questions.forEach(function (q) {
        var correct = q.getAttribute("data-correct").split(",");
        var multiple = q.hasAttribute("data-multiple");
        var chosen = Array.prototype.slice.call(q.querySelectorAll("input:checked"));
        var feedback = q.querySelector(".quiz-feedback");
        if (!feedback) {
          /* Made on the first check, not in the page: a long quiz keeps its DOM small. */
          feedback = document.createElement("p");
          feedback.setAttribute("role", "status");
          var options = q.querySelectorAll(".quiz-option");
          options[options.length - 1].after(feedback);
        }
        q.querySelectorAll(".quiz-option").forEach(function (option) {
          option.classList.remove("is-correct", "is-wrong");
        });
        if (chosen.length === 0) {
          feedback.textContent = multiple ? tr("quiz_choose_many", "Choose one answer or more.") : tr("quiz_choose_one", "Choose an answer.");
          feedback.className = "quiz-feedback";
          return;
        }
        /* All or nothing: exactly the right options, no more, no fewer. */
        var values = chosen.map(function (input) { return input.value; });
        var ok = values.length === correct.length && values.every(function (v) {
          return correct.indexOf(v) >= 0;
        });
        if (ok) right += 1;
        chosen.forEach(function (input) {
          var good = correct.indexOf(input.value) >= 0;
          input.closest(".quiz-option").classList.add(good ? "is-correct" : "is-wrong");
        });
        if (ok) feedback.textContent = tr("quiz_correct", "Correct.");
        else if (multiple) feedback.textContent = tr("quiz_wrong_many", "Not quite: select every right answer and nothing else.");
        else feedback.textContent = tr("quiz_wrong", "Not quite.");
        feedback.className = "quiz-feedback " + (ok ? "is-correct" : "is-wrong");
        var details = q.querySelector(".quiz-answer");
        var hidden = q.querySelector("noscript");
        if (!details && hidden) {
          /* The answer ships inside <noscript> (a long quiz keeps its DOM small): made now. */
          var holder = document.createElement("div");
          holder.innerHTML = hidden.textContent;
          details = holder.querySelector(".quiz-answer");
          if (details) hidden.replaceWith(details);
        }
        if (details) details.open = true;
      });
      if (score) score.textContent = tr("quiz_score", "Score: {right} of {total}", { right: right, total: questions.length });
      /* For reading progress (progress.js): how many were right, of how many, and how many
         got an answer. */
      var answered = Array.prototype.filter.call(questions, function (q) {
        return q.querySelector("input:checked") !== null;
      }).length;
      quiz.dispatchEvent(new CustomEvent("syllabus:quiz-checked", {
        bubbles: true,
        detail: { right: right, total: questions.length, answered: answered }
      }));
    });
    form.addEventListener("reset", function () {
      quiz.querySelectorAll(".quiz-option").forEach(function (o) { o.classList.remove("is-correct", "is-wrong"); });
      quiz.querySelectorAll(".quiz-feedback").forEach(function (f) { f.textContent = ""; f.className = "quiz-feedback"; });
      quiz.querySelectorAll(".quiz-answer").forEach(function (d) { d.open = false; });
      if (score) score.textContent = "";
    });
  }

  var tabGroups = 0;
  function setupTabs(tabs) {
    var panels = Array.prototype.filter.call(tabs.children, function (c) {
      return c.classList && c.classList.contains("tab-panel");
    });
    if (panels.length === 0) return;
    tabGroups += 1;
    var list = document.createElement("div");
    list.className = "tab-list";
    list.setAttribute("role", "tablist");
    var buttons = panels.map(function (panel, i) {
      var id = "tabs-" + tabGroups + "-" + i;
      var button = document.createElement("button");
      button.type = "button";
      button.id = id + "-tab";
      button.setAttribute("role", "tab");
      button.setAttribute("aria-controls", id);
      button.textContent = panel.getAttribute("aria-label") || "Tab " + (i + 1);
      panel.id = id;
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", button.id);
      panel.removeAttribute("aria-label");
      panel.tabIndex = 0;
      list.appendChild(button);
      return button;
    });
    function select(index, focus) {
      buttons.forEach(function (b, i) {
        var on = i === index;
        b.setAttribute("aria-selected", on ? "true" : "false");
        b.tabIndex = on ? 0 : -1;
        panels[i].hidden = !on;
      });
      if (focus) buttons[index].focus();
    }
    /* Docusaurus' groupId: a choice made in one group is kept (localStorage) and made in
       every tabs of the same group, on this page and the next. */
    var group = tabs.getAttribute("data-group");
    var values = panels.map(function (p) { return p.getAttribute("data-tab"); });
    function choose(index, focus) {
      select(index, focus);
      if (!group) return;
      var value = values[index];
      try { localStorage.setItem("syllabus.tab." + group, value); } catch (e) { /* private mode */ }
      document.querySelectorAll('.tabs[data-group="' + CSS.escape(group) + '"]').forEach(function (other) {
        if (other !== tabs && other.selectTab) other.selectTab(value);
      });
    }
    tabs.selectTab = function (value) {
      var i = values.indexOf(value);
      if (i >= 0) select(i, false);
    };
    list.addEventListener("click", function (event) {
      var i = buttons.indexOf(event.target.closest("[role=tab]"));
      if (i >= 0) choose(i, false);
    });
    list.addEventListener("keydown", function (event) {
      var current = buttons.indexOf(document.activeElement);
      if (current < 0) return;
      var next = null;
      if (event.key === "ArrowRight") next = (current + 1) % buttons.length;
      else if (event.key === "ArrowLeft") next = (current - 1 + buttons.length) % buttons.length;
      else if (event.key === "Home") next = 0;
      else if (event.key === "End") next = buttons.length - 1;
      if (next !== null) {
        event.preventDefault();
        choose(next, true);
      }
    });
    tabs.insertBefore(list, tabs.firstChild);
    tabs.classList.add("is-enhanced");
    var first = panels.findIndex(function (p) { return p.hasAttribute("data-default"); });
    var stored = null;
    if (group) {
      try { stored = localStorage.getItem("syllabus.tab." + group); } catch (e) { /* private mode */ }
    }
    var start = stored !== null && values.indexOf(stored) >= 0 ? values.indexOf(stored) : Math.max(first, 0);
    select(start, false);
  }

  function init() {
    document.querySelectorAll("[data-quiz]").forEach(setupQuiz);
    document.querySelectorAll(".tabs").forEach(setupTabs);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
