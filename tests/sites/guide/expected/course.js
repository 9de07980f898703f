// Trailmark course progress: lesson completion, ticks in the outline, the progress bar,
// quiz checking and scores, and the certificate. Loaded with `defer` on course pages only.
//
// Progress lives in this browser's localStorage under one key per site and course
// ("trailmark-progress:" + base URL + course URL). No cookies; nothing leaves the browser.
// Pages work without this script: the controls it drives are `hidden` until it runs.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var key = "trailmark-progress:" + (script.dataset.site || "") + (script.dataset.course || "");

  // Texts come from the theme's string table (data-text-* on this script's tag), with
  // {placeholders}; the English defaults serve a theme whose tag lacks them.
  var DEFAULTS = {
    "completed-note": " (completed)",
    "progress": "{done} of {total} lessons complete",
    "progress-one": "{done} of 1 lesson complete",
    "mark-done": "Mark as complete",
    "done": "Completed \u2713",
    "done-status": "You have completed this lesson. Select the button again to undo.",
    "your-name": "Your name",
    "last-score": "Your last score: {score} of {total}.",
    "choose": "Choose an answer first.",
    "correct": "Correct!",
    "wrong-multiple": "Not quite: check every answer that applies. Try again, or open the answer below.",
    "wrong": "Not quite. Try again, or open the answer below.",
    "score": "You got {score} of {total} right.",
    "date": "{day} {month} {year}",
    "months": "January February March April May June July August September October November December"
  };
  function text(name, values) {
    var template = script.getAttribute("data-text-" + name);
    if (template === null) template = DEFAULTS[name] || "";
    return template.replace(/\{(\w+)\}/g, function (all, k) {
      return values && k in values ? values[k] : all;
    });
  }

  function load() {
    try {
      var saved = JSON.parse(localStorage.getItem(key) || "{}");
      return {
        lessons: saved.lessons || {},
        quizzes: saved.quizzes || {},
        name: saved.name || "",
        completed: saved.completed || ""
      };
    } catch (e) {
      return { lessons: {}, quizzes: {}, name: "", completed: "" };
    }
  }

  function save() {
    try {
      localStorage.setItem(key, JSON.stringify(state));
    } catch (e) {
      // Private browsing or a full quota: progress lasts for this page view only.
    }
  }

  function today() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function displayDate(iso) {
    var parts = (iso || today()).split("-");
    // Written like every other date of the site ("30 November 2026"), not the browser's way.
    var months = text("months").split(" ");
    return text("date", {
      day: String(Number(parts[2])),
      month: months[Number(parts[1]) - 1] || parts[1],
      year: parts[0]
    });
  }

  var state = load();
  var all = function (selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  };

  // The course's lessons are the outline's lesson links (every course page shows the outline).
  function lessonUrls() {
    var seen = {};
    var urls = [];
    all("a[data-lesson]").forEach(function (a) {
      var url = a.getAttribute("href");
      if (!seen[url]) { seen[url] = true; urls.push(url); }
    });
    return urls;
  }

  function counts() {
    var urls = lessonUrls();
    var total = urls.length;
    all("[data-course-progress] progress").forEach(function (p) {
      total = Math.max(total, Number(p.getAttribute("max")) || 0);
    });
    var done = urls.filter(function (u) { return state.lessons[u]; }).length;
    return { done: done, total: total };
  }

  function render() {
    var c = counts();
    var complete = c.total > 0 && c.done >= c.total;
    all("a[data-lesson]").forEach(function (a) {
      var isDone = !!state.lessons[a.getAttribute("href")];
      var item = a.closest("li") || a;
      item.classList.toggle("is-complete", isDone);
      var note = a.querySelector(".outline-done");
      if (isDone && !note) {
        note = document.createElement("span");
        note.className = "outline-done visually-hidden";
        note.textContent = text("completed-note");
        a.appendChild(note);
      } else if (!isDone && note) {
        note.remove();
      }
    });
    all("[data-course-progress]").forEach(function (box) {
      box.hidden = false;
      var bar = box.querySelector("progress");
      if (bar) { bar.max = c.total; bar.value = c.done; }
      var label = box.querySelector("[data-progress-text]");
      if (label) {
        label.textContent = text(c.total === 1 ? "progress-one" : "progress", { done: c.done, total: c.total });
      }
      var link = box.querySelector("[data-certificate-link]");
      if (link) link.hidden = !complete;
    });
    all("[data-lesson-complete]").forEach(function (box) {
      box.hidden = false;
      var url = box.getAttribute("data-lesson-complete");
      var isDone = !!state.lessons[url];
      var button = box.querySelector("[data-complete-toggle]");
      button.setAttribute("aria-pressed", String(isDone));
      button.textContent = isDone ? text("done") : text("mark-done");
      button.classList.toggle("button-secondary", isDone);
      var status = box.querySelector(".lesson-complete-status");
      if (status) {
        status.textContent = isDone ? text("done-status") : "";
      }
    });
    all("[data-certificate-ready]").forEach(function (el) { el.hidden = !complete; });
    all("[data-certificate-locked]").forEach(function (el) { el.hidden = complete; });
    all("[data-certificate-name]").forEach(function (el) {
      el.textContent = state.name || text("your-name");
      el.classList.toggle("is-placeholder", !state.name);
    });
    all("[data-certificate-date]").forEach(function (el) {
      el.textContent = displayDate(state.completed);
      el.setAttribute("datetime", state.completed || today());
    });
    all("#learner-name").forEach(function (input) {
      if (document.activeElement !== input) input.value = state.name;
    });
  }

  function setComplete(url, isDone) {
    if (isDone) {
      state.lessons[url] = today();
    } else {
      delete state.lessons[url];
    }
    var c = counts();
    if (c.total > 0 && c.done >= c.total) {
      state.completed = state.completed || today();
    } else {
      state.completed = "";
    }
    save();
    render();
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-complete-toggle]");
    if (toggle) {
      var url = toggle.closest("[data-lesson-complete]").getAttribute("data-lesson-complete");
      setComplete(url, !state.lessons[url]);
      return;
    }
    if (event.target.closest("[data-progress-reset]")) {
      state = { lessons: {}, quizzes: {}, name: state.name, completed: "" };
      save();
      all("form.quiz").forEach(function (form) { form.reset(); });
      render();
      return;
    }
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });

  all("[data-print]").forEach(function (button) { button.hidden = false; });

  all("#learner-name").forEach(function (input) {
    input.addEventListener("input", function () {
      state.name = input.value.trim();
      save();
      render();
    });
  });

  // Quizzes: check the answers, explain each choice made, keep the score.
  var page = (document.querySelector("[data-lesson-complete]") || {}).dataset;
  var pageUrl = (page && page.lessonComplete) || location.pathname;

  function quizKey(form) { return pageUrl + "#" + form.id; }

  function showSavedScore(form) {
    var saved = state.quizzes[quizKey(form)];
    var score = form.querySelector(".quiz-score");
    if (score) {
      score.textContent = saved
        ? text("last-score", { score: saved.score, total: saved.total })
        : "";
    }
  }

  function clearQuiz(form) {
    all(".quiz-question", form).forEach(function (q) {
      q.classList.remove("is-right", "is-wrong");
      q.querySelector(".quiz-feedback").textContent = "";
    });
    all(".quiz-choice", form).forEach(function (choice) {
      choice.classList.remove("is-chosen-right", "is-chosen-wrong", "is-missed");
    });
    all(".quiz-why", form).forEach(function (why) { why.hidden = true; });
  }

  all("form.quiz").forEach(function (form) {
    var actions = form.querySelector(".quiz-actions");
    if (actions) actions.hidden = false;
    showSavedScore(form);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearQuiz(form);
      var questions = all(".quiz-question", form);
      var right = 0;
      questions.forEach(function (q) {
        var inputs = all("input", q);
        var chosen = inputs.filter(function (i) { return i.checked; });
        var isRight = chosen.length > 0 && inputs.every(function (i) {
          return i.checked === (i.getAttribute("data-correct") === "true");
        });
        inputs.forEach(function (input) {
          var choice = input.closest(".quiz-choice");
          var correct = input.getAttribute("data-correct") === "true";
          if (input.checked) {
            choice.classList.add(correct ? "is-chosen-right" : "is-chosen-wrong");
            var why = choice.querySelector(".quiz-why");
            if (why) why.hidden = false;
          } else if (correct && isRight === false && chosen.length > 0 && q.dataset.type === "multiple") {
            choice.classList.add("is-missed");
          }
        });
        q.classList.add(isRight ? "is-right" : "is-wrong");
        var feedback = q.querySelector(".quiz-feedback");
        if (chosen.length === 0) {
          feedback.textContent = text("choose");
        } else if (isRight) {
          feedback.textContent = text("correct");
        } else if (q.dataset.type === "multiple") {
          feedback.textContent = text("wrong-multiple");
        } else {
          feedback.textContent = text("wrong");
        }
        if (isRight) right += 1;
      });
      state.quizzes[quizKey(form)] = { score: right, total: questions.length };
      save();
      form.querySelector(".quiz-score").textContent =
        text("score", { score: right, total: questions.length });
    });
    form.addEventListener("reset", function () {
      clearQuiz(form);
      showSavedScore(form);
    });
  });

  // Another tab may complete a lesson.
  window.addEventListener("storage", function (event) {
    if (event.key === key) {
      state = load();
      render();
    }
  });

  render();
})();
