// Enhancements of the default theme. Every page reads fine without this file: it adds a
// colour scheme switch, copy buttons on code blocks, tabs that switch (without it every tab
// shows, one under the other, with its label) and images that open larger on a click.
// Texts come from the theme's string table, through data-text-* attributes on <body>.
(function () {
  "use strict";
  var doc = document;
  var body = doc.body;
  function text(name) {
    return body.getAttribute("data-text-" + name) || name;
  }
  function el(tag, className, content) {
    var node = doc.createElement(tag);
    if (className) node.className = className;
    if (content) node.textContent = content;
    return node;
  }

  // Colour scheme: automatic (the system's), light, dark; remembered in this browser. The
  // inline script in <head> applies the choice before the first paint.
  var toggle = doc.querySelector("[data-scheme-toggle]");
  if (toggle && window.trailmarkScheme) {
    var modes = ["auto", "light", "dark"];
    var mode = doc.documentElement.getAttribute("data-theme") || "auto";
    var show = function () {
      toggle.setAttribute("data-mode", mode);
      toggle.setAttribute("aria-label", toggle.getAttribute("data-label-" + mode));
      toggle.title = toggle.getAttribute("data-label-" + mode);
    };
    toggle.hidden = false;
    show();
    toggle.addEventListener("click", function () {
      mode = modes[(modes.indexOf(mode) + 1) % modes.length];
      try {
        if (mode === "auto") localStorage.removeItem("trailmark-scheme");
        else localStorage.setItem("trailmark-scheme", mode);
      } catch (e) {}
      window.trailmarkScheme(mode);
      show();
    });
  }

  // Tables and code wider than the column scroll sideways; keyboard users need to reach them.
  doc.querySelectorAll(".prose table, pre.code").forEach(function (box) {
    if (box.scrollWidth > box.clientWidth + 1 && !box.hasAttribute("tabindex")) {
      box.tabIndex = 0;
    }
  });

  // Copy buttons on code blocks.
  if (navigator.clipboard) {
    doc.querySelectorAll("pre.code").forEach(function (pre) {
      var wrap = pre.parentNode.classList.contains("code-block") ? pre.parentNode : null;
      if (!wrap) {
        wrap = el("div", "code-block");
        pre.parentNode.insertBefore(wrap, pre);
        wrap.appendChild(pre);
      }
      var button = el("button", "code-copy", text("copy"));
      button.type = "button";
      button.addEventListener("click", function () {
        var code = pre.querySelector("code") || pre;
        navigator.clipboard.writeText(code.textContent.replace(/\n$/, "")).then(function () {
          button.textContent = text("copied");
          setTimeout(function () {
            button.textContent = text("copy");
          }, 1600);
        });
      });
      wrap.appendChild(button);
    });
  }

  // Tabs: `::: tabs` holding `::: tab "Label"` blocks. Selecting a label selects it in every
  // tab group of the page that has it (the same language, the same operating system).
  var groups = [];
  doc.querySelectorAll(".tabs").forEach(function (box, g) {
    var panels = Array.prototype.filter.call(box.children, function (c) {
      return c.classList.contains("tab");
    });
    if (!panels.length) return;
    var list = el("div", "tab-list");
    list.setAttribute("role", "tablist");
    var tabs = panels.map(function (panel, i) {
      var title = panel.querySelector(".tab-title");
      var tab = el("button", "tab-button", title ? title.textContent : String(i + 1));
      tab.type = "button";
      tab.id = "tm_tab_" + g + "_" + i;
      panel.id = panel.id || "tm_tabpanel_" + g + "_" + i;
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", panel.id);
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      panel.tabIndex = 0;
      list.appendChild(tab);
      return tab;
    });
    box.insertBefore(list, box.firstChild);
    box.classList.add("tabs-ready");
    var select = function (index, focus) {
      tabs.forEach(function (tab, i) {
        var on = i === index;
        tab.setAttribute("aria-selected", on ? "true" : "false");
        tab.tabIndex = on ? 0 : -1;
        panels[i].hidden = !on;
      });
      if (focus) tabs[index].focus();
    };
    var group = { tabs: tabs, select: select };
    groups.push(group);
    tabs.forEach(function (tab, i) {
      tab.addEventListener("click", function () {
        var label = tab.textContent;
        groups.forEach(function (other) {
          other.tabs.forEach(function (t, j) {
            if (other !== group && t.textContent === label) other.select(j, false);
          });
        });
        select(i, false);
      });
      tab.addEventListener("keydown", function (event) {
        var next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
        if (next === undefined) return;
        event.preventDefault();
        select((next + tabs.length) % tabs.length, true);
      });
    });
    select(0, false);
  });

  // The on-page contents beside the text marks the section being read.
  var tocLinks = doc.querySelectorAll(".toc-aside a[href^='#']");
  if (tocLinks.length && window.IntersectionObserver) {
    var byId = {};
    var visible = [];
    tocLinks.forEach(function (a) {
      var target = doc.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
      if (target) byId[target.id] = a;
    });
    var mark = function () {
      var current = visible[0];
      tocLinks.forEach(function (a) {
        if (current && a === byId[current]) a.setAttribute("aria-current", "true");
        else a.removeAttribute("aria-current");
      });
    };
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        var id = entry.target.id;
        visible = visible.filter(function (v) { return v !== id; });
        if (entry.isIntersecting) visible.push(id);
      });
      visible.sort(function (a, b) {
        return doc.getElementById(a).getBoundingClientRect().top - doc.getElementById(b).getBoundingClientRect().top;
      });
      if (visible.length) mark();
    }, { rootMargin: "0px 0px -60% 0px" });
    Object.keys(byId).forEach(function (id) {
      observer.observe(doc.getElementById(id));
    });
  }

  // Images shown smaller than they are open at full size in a dialog; Escape closes it.
  var dialog = null;
  function zoom(img) {
    if (!dialog) {
      dialog = el("dialog", "zoom-dialog");
      var close = el("button", "zoom-close", text("close"));
      close.type = "button";
      close.addEventListener("click", function () {
        dialog.close();
      });
      dialog.appendChild(close);
      dialog.appendChild(el("img"));
      dialog.addEventListener("click", function (event) {
        if (event.target === dialog) dialog.close();
      });
      body.appendChild(dialog);
    }
    var big = dialog.querySelector("img");
    big.src = img.currentSrc || img.src;
    big.alt = img.alt;
    dialog.showModal();
  }
  doc.querySelectorAll(".prose img").forEach(function (img) {
    if (img.closest("a, button")) return;
    var setUp = function () {
      if (img.naturalWidth <= img.clientWidth + 24 || img.closest("button")) return;
      var button = el("button", "zoom-button");
      button.type = "button";
      button.setAttribute("aria-haspopup", "dialog");
      img.parentNode.insertBefore(button, img);
      button.appendChild(img);
      button.appendChild(el("span", "visually-hidden", " " + text("zoom")));
      button.addEventListener("click", function () {
        zoom(img);
      });
    };
    if (img.complete) setUp();
    else img.addEventListener("load", setUp);
  });
})();
