/* Interactive course components: quizzes and tabs. Plain JS, no framework; the markup
   works without it (answers in <details>, tab panels stacked). */
(function () {
  "use strict";

  function setupQuiz(quiz) {
    var form = quiz.querySelector("form");
    if (!form) return;
    var score = quiz.querySelector(".quiz-score");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var questions = quiz.querySelectorAll(".quiz-question");
      var right = 0;
      questions.forEach(function (q) {
        var correct = q.getAttribute("data-correct");
        var chosen = q.querySelector("input[type=radio]:checked");
        var feedback = q.querySelector(".quiz-feedback");
        q.querySelectorAll(".quiz-option").forEach(function (option) {
          option.classList.remove("is-correct", "is-wrong");
        });
        if (!chosen) {
          feedback.textContent = "Choose an answer.";
          feedback.className = "quiz-feedback";
          return;
        }
        var ok = chosen.value === correct;
        if (ok) right += 1;
        chosen.closest(".quiz-option").classList.add(ok ? "is-correct" : "is-wrong");
        feedback.textContent = ok ? "Correct." : "Not quite.";
        feedback.className = "quiz-feedback " + (ok ? "is-correct" : "is-wrong");
        var details = q.querySelector(".quiz-answer");
        if (details && !ok) details.open = true;
        if (details && ok) details.open = true;
      });
      score.textContent = "Score: " + right + " of " + questions.length;
    });
    form.addEventListener("reset", function () {
      quiz.querySelectorAll(".quiz-option").forEach(function (o) { o.classList.remove("is-correct", "is-wrong"); });
      quiz.querySelectorAll(".quiz-feedback").forEach(function (f) { f.textContent = ""; f.className = "quiz-feedback"; });
      quiz.querySelectorAll(".quiz-answer").forEach(function (d) { d.open = false; });
      score.textContent = "";
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
    list.addEventListener("click", function (event) {
      var i = buttons.indexOf(event.target.closest("[role=tab]"));
      if (i >= 0) select(i, false);
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
        select(next, true);
      }
    });
    tabs.insertBefore(list, tabs.firstChild);
    tabs.classList.add("is-enhanced");
    select(0, false);
  }

  function init() {
    document.querySelectorAll("[data-quiz]").forEach(setupQuiz);
    document.querySelectorAll(".tabs").forEach(setupTabs);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
