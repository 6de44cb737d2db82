/* cxdocs FAQ pages: each question opens its answer; a deep link (#anchor) opens and shows it.
   Opening a question puts its anchor in the address (replacing the history entry, so Back still
   leaves the page), each question has a copy-link button, "Expand all" opens every answer, and
   the language switcher keeps the open question where the other language has it.
   Without JavaScript every answer stays visible, so nothing is hidden from readers or crawlers. */
(function () {
  "use strict";

  var LINK_ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true" focusable="false">' +
    '<path d="M10.59 13.41c.41.39.41 1.03 0 1.42-.39.39-1.03.39-1.42 0a5.003 5.003 0 0 1 0-7.07l3.54-3.54a5.003 5.003 0 0 1 7.07 0 5.003 5.003 0 0 1 0 7.07l-1.49 1.49c.01-.82-.12-1.64-.4-2.42l.47-.48a2.98 2.98 0 0 0 0-4.24 2.98 2.98 0 0 0-4.24 0l-3.53 3.53a2.98 2.98 0 0 0 0 4.24m2.82-4.24c.39-.39 1.03-.39 1.42 0a5.003 5.003 0 0 1 0 7.07l-3.54 3.54a5.003 5.003 0 0 1-7.07 0 5.003 5.003 0 0 1 0-7.07l1.49-1.49c-.01.82.12 1.64.4 2.43l-.47.47a2.98 2.98 0 0 0 0 4.24 2.98 2.98 0 0 0 4.24 0l3.53-3.53a2.98 2.98 0 0 0 0-4.24.973.973 0 0 1 0-1.42"/></svg>';

  function isFaqPage() {
    var meta = document.querySelector('meta[name="cxdocs:kind"]');
    return meta && meta.getAttribute("content") === "faq";
  }

  function pageAddress() {
    return window.location.href.split("#")[0];
  }

  /* The switcher's links carry the anchors the other language's page shares with this one. */
  function followSwitcher(id) {
    var links = document.querySelectorAll("a.md-select__link[data-cx-anchors]");
    Array.prototype.forEach.call(links, function (link) {
      var href = link.getAttribute("href").split("#")[0];
      var shared = (link.getAttribute("data-cx-anchors") || "").split(" ");
      link.setAttribute("href", id && shared.indexOf(id) >= 0 ? href + "#" + encodeURIComponent(id) : href);
    });
  }

  function remember(id) {
    if (window.history && window.history.replaceState) {
      window.history.replaceState(window.history.state, "", id ? "#" + encodeURIComponent(id) : pageAddress());
    }
    followSwitcher(id);
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

  function currentId() {
    try {
      return decodeURIComponent(window.location.hash.slice(1));
    } catch (e) {
      return window.location.hash.slice(1);
    }
  }

  function build(article, text) {
    var items = [];
    var headings = article.querySelectorAll(":scope > h2[id]");
    Array.prototype.forEach.call(headings, function (heading) {
      var panel = document.createElement("div");
      panel.className = "cx-faq-answer";
      panel.id = heading.id + "--answer";
      var node = heading.nextElementSibling;
      while (node && node.tagName !== "H2" && !/^md-/.test(node.className || "") && !node.classList.contains("cx-after")) {
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

      // The theme's clipboard script copies any element's data-clipboard-text and says so.
      var copy = document.createElement("button");
      copy.type = "button";
      copy.className = "cx-faq-copy md-icon";
      copy.setAttribute("data-clipboard-text", pageAddress() + "#" + encodeURIComponent(heading.id));
      copy.setAttribute("aria-label", text.copy_link || "Copy link");
      copy.title = text.copy_link || "Copy link";
      copy.innerHTML = LINK_ICON;
      button.insertAdjacentElement("afterend", copy);

      var item = { heading: heading, panel: panel, button: button };
      button.addEventListener("click", function () {
        var open = button.getAttribute("aria-expanded") !== "true";
        setOpen(item, open);
        if (open) {
          remember(heading.id);
        } else if (currentId() === heading.id) {
          remember("");
        }
        update();
      });
      panel.addEventListener("beforematch", function () { setOpen(item, true); update(); });
      setOpen(item, false);
      items.push(item);
    });

    var all = null;
    function update() {
      if (!all) return;
      var open = items.every(function (item) { return item.button.getAttribute("aria-expanded") === "true"; });
      all.setAttribute("aria-expanded", open ? "true" : "false");
      all.textContent = open ? (text.collapse_all || "Collapse all") : (text.expand_all || "Expand all");
    }
    if (items.length > 1) {
      all = document.createElement("button");
      all.type = "button";
      all.className = "cx-faq-all md-button";
      all.setAttribute("aria-controls", items.map(function (item) { return item.panel.id; }).join(" "));
      all.addEventListener("click", function () {
        var open = all.getAttribute("aria-expanded") !== "true";
        items.forEach(function (item) { setOpen(item, open); });
        update();
      });
      items[0].heading.parentNode.insertBefore(all, items[0].heading);
      update();
    }
    return { items: items, update: update };
  }

  function openFromHash(faq) {
    var id = currentId();
    followSwitcher(id);
    if (!id) return;
    var target = document.getElementById(id);
    if (!target) return;
    faq.items.forEach(function (item) {
      if (item.heading === target || item.panel.contains(target) || item.heading.contains(target)) {
        setOpen(item, true);
        target.scrollIntoView();
      }
    });
    faq.update();
  }

  function setup() {
    // The theme's "Copied to clipboard" note, announced to screen readers too.
    var dialog = document.querySelector(".md-dialog");
    if (dialog) {
      dialog.setAttribute("role", "status");
      dialog.setAttribute("aria-live", "polite");
    }
    if (!isFaqPage()) return;
    var article = document.querySelector(".md-content__inner");
    if (!article || article.querySelector(".cx-faq-question")) return;
    // "Skip to content" goes to the first heading, here a question: it would open that answer and
    // put it in the address. It goes to the page's text instead.
    var skip = document.querySelector("a.md-skip");
    if (skip) {
      article.id = article.id || "cx-content";
      article.setAttribute("tabindex", "-1");
      skip.setAttribute("href", "#" + article.id);
    }
    var faq = build(article, window.cxdocs.words());
    openFromHash(faq);
    window.addEventListener("hashchange", function () { openFromHash(faq); });
  }

  window.cxdocs.ready(setup);
})();
