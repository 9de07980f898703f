// Site search for the default theme: a box in the header that queries the Pagefind index
// written by `trailmark build` (pagefind/ beside this file). Pagefind downloads only the
// index chunks a query needs, so this stays fast on very large sites. Nothing is loaded
// until the reader focuses the box, and nothing comes from other hosts.
//
// Keys: "/" focuses the box, ArrowDown/ArrowUp move through the results, Enter follows the
// focused result, Escape closes the results (a second Escape clears the box). A page opened
// with `?q=words` starts with those results showing.
(function () {
  "use strict";
  var root = document.querySelector(".site-search");
  if (!root) return;
  var input = root.querySelector("input");
  var panel = root.querySelector(".site-search-results");
  var bundle = root.getAttribute("data-search-bundle");
  var MAX_RESULTS = 8;
  // Texts come from the theme's string table (data-text-* attributes), with placeholders.
  function text(name, values) {
    return (root.getAttribute("data-text-" + name) || "").replace(/\{(\w+)\}/g, function (all, key) {
      return key in values ? values[key] : all;
    });
  }
  var pagefind = null;
  var loading = null;
  var latest = 0;
  var timer = null;

  root.hidden = false;

  function load() {
    if (!loading) {
      loading = import(bundle + "pagefind.js").then(function (module) {
        pagefind = module;
        return module.options({ excerptLength: 24 }).then(function () {
          module.init();
          return module;
        });
      });
    }
    return loading;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function close() {
    panel.hidden = true;
  }

  function show(children) {
    panel.replaceChildren.apply(panel, children);
    panel.hidden = false;
  }

  function render(query, results, total) {
    if (!results.length) {
      show([element("p", "site-search-status", text("none", { query: query }))]);
      return;
    }
    var list = element("ul", "site-search-list");
    results.forEach(function (data) {
      var item = element("li", "site-search-item");
      var link = element("a", "site-search-link");
      link.href = data.url;
      link.appendChild(element("span", "site-search-title", (data.meta && data.meta.title) || data.url));
      if (data.meta && data.meta.section) {
        link.appendChild(element("span", "site-search-section", data.meta.section));
      }
      var excerpt = element("span", "site-search-excerpt");
      // Pagefind escapes the page text and adds only <mark> around the matched words.
      excerpt.innerHTML = data.excerpt;
      link.appendChild(excerpt);
      item.appendChild(link);
      list.appendChild(item);
    });
    var status = element(
      "p",
      "site-search-status",
      total > results.length
        ? text("more", { count: total, shown: results.length })
        : text(total === 1 ? "one" : "count", { count: total })
    );
    show([status, list]);
  }

  function run() {
    var query = input.value.trim();
    var ticket = ++latest;
    if (!query) {
      close();
      return;
    }
    load()
      .then(function (module) {
        return module.search(query);
      })
      .then(function (search) {
        if (!search || ticket !== latest) return null;
        var top = search.results.slice(0, MAX_RESULTS);
        return Promise.all(
          top.map(function (r) {
            return r.data();
          })
        ).then(function (data) {
          if (ticket === latest) render(query, data, search.results.length);
        });
      })
      .catch(function () {
        if (ticket === latest) {
          show([element("p", "site-search-status", text("error", {}))]);
        }
      });
  }

  function links() {
    return Array.prototype.slice.call(panel.querySelectorAll(".site-search-link"));
  }

  input.addEventListener("focus", function () {
    load().catch(function () {});
    if (input.value.trim() && panel.childNodes.length) {
      panel.hidden = false;
    }
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 120);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") {
      var first = links()[0];
      if (first) {
        event.preventDefault();
        first.focus();
      }
    } else if (event.key === "Enter") {
      var target = links()[0];
      if (target && !panel.hidden) {
        event.preventDefault();
        target.click();
      }
    } else if (event.key === "Escape") {
      if (!panel.hidden) {
        close();
      } else {
        input.value = "";
      }
    }
  });
  panel.addEventListener("keydown", function (event) {
    var all = links();
    var index = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && index < all.length - 1) {
      event.preventDefault();
      all[index + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      (index > 0 ? all[index - 1] : input).focus();
    } else if (event.key === "Escape") {
      close();
      input.focus();
    }
  });
  document.addEventListener("keydown", function (event) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName) || event.target.isContentEditable;
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      input.focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (!root.contains(event.target)) close();
  });
  // A link to any page with `?q=words` opens it with those results showing.
  var preset = new URLSearchParams(location.search).get("q");
  if (preset) {
    input.value = preset;
    run();
  }
})();
