/* cxdocs FAQ pages: each question opens its answer; a deep link (#anchor) opens and shows it.
   Without JavaScript every answer stays visible, so nothing is hidden from readers or crawlers. */
(function () {
  "use strict";

  function isFaqPage() {
    var meta = document.querySelector('meta[name="cxdocs:kind"]');
    return meta && meta.getAttribute("content") === "faq";
  }

  function setOpen(item, open) {
    item.button.setAttribute("aria-expanded", open ? "true" : "false");
    item.heading.classList.toggle("cx-faq-question--open", open);
    if (open) {
      item.panel.removeAttribute("hidden");
    } else {
      // "until-found": the browser's find-in-page still finds text in a closed answer and opens it.
      item.panel.setAttribute("hidden", "until-found");
    }
  }

  function build(article) {
    var items = [];
    var headings = article.querySelectorAll(":scope > h2[id]");
    Array.prototype.forEach.call(headings, function (heading) {
      var panel = document.createElement("div");
      panel.className = "cx-faq-answer";
      panel.id = heading.id + "--answer";
      var node = heading.nextElementSibling;
      while (node && node.tagName !== "H2" && !/^md-/.test(node.className || "")) {
        var next = node.nextElementSibling;
        panel.appendChild(node);
        node = next;
      }
      heading.parentNode.insertBefore(panel, heading.nextSibling);

      var button = document.createElement("button");
      button.type = "button";
      button.className = "cx-faq-toggle";
      button.setAttribute("aria-controls", panel.id);
      while (heading.firstChild && !(heading.firstChild.classList && heading.firstChild.classList.contains("headerlink"))) {
        button.appendChild(heading.firstChild);
      }
      heading.insertBefore(button, heading.firstChild);
      heading.classList.add("cx-faq-question");

      var item = { heading: heading, panel: panel, button: button };
      button.addEventListener("click", function () {
        setOpen(item, button.getAttribute("aria-expanded") !== "true");
      });
      panel.addEventListener("beforematch", function () { setOpen(item, true); });
      setOpen(item, false);
      items.push(item);
    });
    return items;
  }

  function openFromHash(items) {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) return;
    var target = document.getElementById(id);
    if (!target) return;
    items.forEach(function (item) {
      if (item.heading === target || item.panel.contains(target) || item.heading.contains(target)) {
        setOpen(item, true);
        target.scrollIntoView();
      }
    });
  }

  function setup() {
    if (!isFaqPage()) return;
    var article = document.querySelector(".md-content__inner");
    if (!article || article.querySelector(".cx-faq-question")) return;
    var items = build(article);
    openFromHash(items);
    window.addEventListener("hashchange", function () { openFromHash(items); });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup); // mkdocs-material's instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
