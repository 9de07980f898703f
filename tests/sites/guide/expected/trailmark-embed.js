// Click-to-load video embeds (the `video` shortcode). Until a reader clicks, the page holds
// only a link to the provider, so no request reaches YouTube or Vimeo. Safe to include more
// than once: the listener is installed a single time.
(function () {
  if (window.trailmarkEmbeds) return;
  window.trailmarkEmbeds = true;
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".embed-video .embed-link");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var figure = link.parentElement;
    var frame = document.createElement("iframe");
    frame.src = figure.getAttribute("data-embed-src");
    frame.title = figure.getAttribute("data-embed-title") || "Video";
    frame.allow = "autoplay; fullscreen; picture-in-picture; encrypted-media";
    frame.allowFullscreen = true;
    frame.loading = "lazy";
    event.preventDefault();
    figure.replaceChild(frame, link);
    figure.classList.add("embed-loaded");
    frame.focus();
  });
})();
