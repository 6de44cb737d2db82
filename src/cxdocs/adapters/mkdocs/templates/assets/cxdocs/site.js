/* cxdocs on every page: "Was this helpful?" (shown only where the project said where answers go,
   and sending only there), the print date on a printed SOP, and what cxdocs' other scripts share
   (window.cxdocs: the page's words in its language, and when the page is ready). Loaded first. */
(function () {
  "use strict";

  function words() {
    var element = document.getElementById("cx-words");
    try {
      return JSON.parse(element ? element.textContent : "{}") || {};
    } catch (e) {
      return {};
    }
  }

  /* Run once the page is there, and again after each of the theme's instant navigations. */
  function ready(setup) {
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(setup); // mkdocs-material's instant navigation
    } else if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", setup);
    } else {
      setup();
    }
  }

  window.cxdocs = { words: words, ready: ready };

  /* An analytics event (a DOM event, and a dataLayer entry for a tag manager the site already
     loads) and/or a JSON POST to the project's URL. Nothing else is sent, and nothing by default. */
  function send(box, helpful) {
    var detail = { page: box.getAttribute("data-cx-page"), lang: box.getAttribute("data-cx-lang"), helpful: helpful };
    var event = box.getAttribute("data-cx-event");
    var url = box.getAttribute("data-cx-url");
    if (event) {
      document.dispatchEvent(new CustomEvent(event, { detail: detail }));
      if (Array.isArray(window.dataLayer)) {
        window.dataLayer.push({ event: event, cxdocs: detail });
      }
    }
    if (url) {
      var body = JSON.stringify(detail);
      if (!(navigator.sendBeacon && navigator.sendBeacon(url, new Blob([body], { type: "application/json" })))) {
        fetch(url, { method: "POST", body: body, headers: { "Content-Type": "application/json" }, keepalive: true })
          .catch(function () {});
      }
    }
  }

  function setupFeedback(text) {
    var box = document.querySelector(".cx-feedback");
    if (!box || box.dataset.cxReady || !(box.getAttribute("data-cx-event") || box.getAttribute("data-cx-url"))) return;
    box.dataset.cxReady = "1";
    box.hidden = false;
    var buttons = box.querySelectorAll("button[value]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("click", function () {
        send(box, button.value === "yes");
        Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
        box.querySelector(".cx-feedback__thanks").textContent = text.helpful_thanks || "";
      });
    });
  }

  function printDate() {
    var note = document.querySelector(".cx-print-note__date[data-cx-printed-on]");
    if (!note) return;
    var day;
    try {
      day = new Date().toLocaleDateString(note.getAttribute("data-cx-lang") || undefined, { year: "numeric", month: "long", day: "numeric" });
    } catch (e) {
      day = new Date().toISOString().slice(0, 10);
    }
    note.textContent = note.getAttribute("data-cx-printed-on").replace("{date}", day);
  }

  /* The theme names a section's navigation by the label beside its link, which holds only an icon
     when the section has an index page (navigation.indexes): every such landmark was unnamed
     (axe-core: landmark-unique). It takes the section's title, which the theme writes inside it. */
  function nameSections() {
    var navs = document.querySelectorAll("nav.md-nav[aria-labelledby]");
    Array.prototype.forEach.call(navs, function (nav) {
      var label = document.getElementById(nav.getAttribute("aria-labelledby"));
      var title = nav.querySelector(":scope > .md-nav__title");
      if (label && !label.textContent.trim() && title && title.textContent.trim()) {
        nav.setAttribute("aria-label", title.textContent.trim());
        nav.removeAttribute("aria-labelledby");
      }
    });
  }

  /* The theme's search dialog and its search landmark have no name, and its breadcrumbs share the
     main navigation's (axe-core: aria-dialog-name, landmark-unique). Named here rather than in
     copies of the theme's templates, which would go stale as the theme changes. */
  function nameLandmarks(text) {
    var search = document.querySelector('.md-search[role="dialog"]');
    if (search && text.search && !search.hasAttribute("aria-label")) {
      search.setAttribute("aria-label", text.search);
      var inner = search.querySelector('[role="search"]');
      if (inner && !inner.hasAttribute("aria-label")) inner.setAttribute("aria-label", text.search);
    }
    var path = document.querySelector("nav.md-path");
    if (path && text.breadcrumb) path.setAttribute("aria-label", text.breadcrumb);
  }

  function setup() {
    var text = words();
    setupFeedback(text);
    printDate();
    nameSections();
    nameLandmarks(text);
  }

  window.addEventListener("beforeprint", printDate);
  ready(setup);
})();
