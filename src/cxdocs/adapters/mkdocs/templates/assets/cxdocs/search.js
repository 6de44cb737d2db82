/* Search with Pagefind in the theme's search box (search: pagefind).

   Nothing loads with the page: the first time a reader focuses the box, Pagefind's script loads
   from this language's pagefind/ folder, and each query fetches only the index chunks and the
   result fragments it needs. Results are written in the theme's markup and words, so the box
   looks and reads as the theme's own search; the keys are the theme's too (/ s f to search,
   arrows to move through results, Enter to open, Escape to close). */
(function () {
  "use strict";

  var PAGE = 10; // results rendered at a time; more as the list scrolls

  var box = document.querySelector("[data-cx-search]");
  if (!box) return;
  var toggle = document.getElementById("__search");
  var form = box.querySelector("form");
  var input = box.querySelector(".md-search__input");
  var meta = box.querySelector(".md-search-result__meta");
  var list = box.querySelector(".md-search-result__list");
  var scroller = box.querySelector(".md-search__scrollwrap");
  var bundle = new URL(box.getAttribute("data-cx-search"), location.href);
  var engine = null;
  var shown = { query: null, results: [], rendered: 0 };
  var asked = 0;

  function load() {
    if (!engine) {
      engine = import(new URL("pagefind.js", bundle).href).then(function (pagefind) {
        // Result addresses are relative to the folder the index was built in: this language's root.
        return pagefind.options({ baseUrl: new URL("..", bundle).pathname }).then(function () {
          return pagefind.init();
        }).then(function () {
          return pagefind;
        });
      });
      engine.catch(function () {
        engine = null; // offline for a moment: the next keystroke tries again
      });
    }
    return engine;
  }

  function say(text) {
    meta.textContent = text;
  }

  function counted(n) {
    if (n === 0) return meta.getAttribute("data-cx-none");
    if (n === 1) return meta.getAttribute("data-cx-one");
    return meta.getAttribute("data-cx-other").replace("#", String(n));
  }

  /* Pagefind's excerpts are the page's own text with the matches in <mark>: only <mark> is kept. */
  function excerpt(text) {
    var element = document.createElement("p");
    var parts = String(text || "").split(/(<\/?mark>)/);
    var current = element;
    parts.forEach(function (part) {
      if (part === "<mark>") {
        current = element.appendChild(document.createElement("mark"));
      } else if (part === "</mark>") {
        current = element;
      } else if (part) {
        current.appendChild(document.createTextNode(decode(part)));
      }
    });
    return element;
  }

  function decode(text) {
    var area = document.createElement("textarea");
    area.innerHTML = text;
    return area.value;
  }

  function entry(href, heading, text, level) {
    var link = document.createElement("a");
    link.href = href;
    link.className = "md-search-result__link";
    link.tabIndex = -1;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset" + (level === 1 ? " md-search-result__article--document" : "");
    if (level === 1) {
      var icon = document.createElement("div");
      icon.className = "md-search-result__icon md-icon";
      article.appendChild(icon);
    }
    var title = document.createElement(level === 1 ? "h1" : "h2");
    title.textContent = heading;
    article.appendChild(title);
    article.appendChild(excerpt(text));
    link.appendChild(article);
    return link;
  }

  function render(data) {
    var item = document.createElement("li");
    item.className = "md-search-result__item";
    var title = (data.meta && data.meta.title) || data.url;
    item.appendChild(entry(data.url, title, data.excerpt, 1));
    (data.sub_results || []).forEach(function (sub) {
      if (sub.url !== data.url && sub.title && sub.title !== title) {
        item.appendChild(entry(sub.url, sub.title, sub.excerpt, 2));
      }
    });
    return item;
  }

  /* The next results, fetched before anything is shown: the list and its count change together. */
  function more() {
    var batch = shown.results.slice(shown.rendered, shown.rendered + PAGE);
    var first = shown.rendered === 0;
    shown.rendered += batch.length;
    var query = shown.query;
    return Promise.all(batch.map(function (result) { return result.data(); })).then(function (pages) {
      if (query !== shown.query) return;
      if (first) {
        list.textContent = "";
        say(counted(shown.results.length));
      }
      pages.forEach(function (data) { list.appendChild(render(data)); });
    });
  }

  function search(query) {
    var mine = ++asked;
    query = query.trim();
    if (!query) {
      shown = { query: null, results: [], rendered: 0 };
      list.textContent = "";
      say(meta.getAttribute("data-cx-placeholder"));
      return Promise.resolve();
    }
    return load().then(function (pagefind) {
      return pagefind.search(query);
    }).then(function (found) {
      if (mine !== asked) return;
      shown = { query: query, results: found.results, rendered: 0 };
      return more();
    }, function () {
      if (mine === asked) say(meta.getAttribute("data-cx-none"));
    });
  }

  function open() {
    if (!toggle.checked) toggle.checked = true;
  }

  function close() {
    toggle.checked = false;
    input.blur();
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll(".md-search-result__link"));
  }

  input.addEventListener("focus", function () {
    open();
    load();
  });
  input.addEventListener("input", function () {
    search(input.value);
  });
  form.addEventListener("reset", function () {
    setTimeout(function () { search(""); input.focus(); });
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = links()[0];
    if (first) location.href = first.href;
  });
  toggle.addEventListener("change", function () {
    if (toggle.checked) input.focus();
  });
  scroller.addEventListener("scroll", function () {
    var rest = shown.rendered < shown.results.length;
    if (rest && scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 200) more();
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    var typing = target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
    if (!toggle.checked) {
      if (!typing && (event.key === "/" || event.key === "s" || event.key === "f")) {
        event.preventDefault();
        open();
        input.focus();
      }
      return;
    }
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      var all = [input].concat(links());
      var at = all.indexOf(document.activeElement);
      var next = event.key === "ArrowDown" ? at + 1 : at - 1;
      if (next < 0) next = all.length - 1;
      if (next >= all.length) next = 0;
      event.preventDefault();
      all[next].focus();
    } else if (event.key === "Enter" && target !== input && links().indexOf(target) >= 0) {
      close();
    } else if (target !== input && event.key.length === 1 && !typing) {
      input.focus(); // typing on a result goes on in the box
    }
  });

  // The home page's search box and the error page send readers here with ?q=.
  var asked_for = new URLSearchParams(location.search).get("q");
  if (asked_for) {
    input.value = asked_for;
    open();
    input.focus();
    search(asked_for);
  }
})();
