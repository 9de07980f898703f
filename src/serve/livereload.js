// Trailmark live reload: served by `trailmark serve` only, never part of a built site.
// Listens to the server's events; reloads the page when the site changed, swaps changed
// stylesheets in place when only CSS changed, and shows build errors in an overlay that
// clears itself once the build succeeds again. Error text is set with textContent only.
(function () {
  "use strict";
  var script = document.currentScript;
  var loaded = Number(script && script.getAttribute("data-generation")) || 0;
  var instance = null;
  var OVERLAY = "trailmark-error-overlay";

  function hideErrors() {
    var old = document.getElementById(OVERLAY);
    if (old) old.remove();
  }

  function showErrors(errors) {
    hideErrors();
    var box = document.createElement("div");
    box.id = OVERLAY;
    box.setAttribute("role", "alert");
    // `all:initial` first: the overlay must look the same whatever the theme's CSS says.
    box.style.cssText =
      "all:initial;display:block;position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
      "box-sizing:border-box;padding:1.5rem;background:#141418;color:#f3f3f3;" +
      "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    close.style.cssText =
      "all:initial;float:right;margin:0 0 1rem 1rem;padding:.25rem .75rem;cursor:pointer;" +
      "background:#f3f3f3;color:#141418;border-radius:4px;font:14px/1.5 system-ui,sans-serif;";
    close.addEventListener("click", hideErrors);
    var title = document.createElement("h2");
    title.textContent =
      "Build failed: " + errors.length + (errors.length === 1 ? " error" : " errors") +
      (loaded > 0 ? " (the last good version of the site is still served)" : "");
    title.style.cssText =
      "all:initial;display:block;margin:0 0 1rem;font:bold 16px/1.4 system-ui,sans-serif;" +
      "color:#ff8a80;";
    box.appendChild(close);
    box.appendChild(title);
    errors.forEach(function (error) {
      var item = document.createElement("pre");
      item.className = "trailmark-error";
      item.style.cssText =
        "all:initial;display:block;white-space:pre-wrap;overflow-wrap:anywhere;" +
        "margin:0 0 1rem;color:#f3f3f3;font:inherit;";
      item.textContent = error.rendered;
      box.appendChild(item);
    });
    (document.body || document.documentElement).appendChild(box);
  }

  function swapStylesheets(paths, generation) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin === location.origin && paths.indexOf(url.pathname) !== -1) {
        url.searchParams.set("trailmark-reload", String(generation));
        link.href = url.href;
      }
    });
  }

  var events = new EventSource("/__trailmark/events");
  events.onopen = function () {
    document.documentElement.setAttribute("data-trailmark-live", "connected");
  };
  events.onmessage = function (event) {
    var state = JSON.parse(event.data);
    if (instance !== null && state.instance !== instance) {
      location.reload(); // the server restarted
      return;
    }
    instance = state.instance;
    if (state.errors.length) showErrors(state.errors);
    else hideErrors();
    if (state.generation !== loaded && state.generation > 0) {
      if (state.css && state.previous === loaded) {
        swapStylesheets(state.css, state.generation);
        loaded = state.generation;
      } else {
        location.reload();
      }
    }
  };
})();
