/* cxdocs response library: "Copy reply text" puts the reply on the clipboard as plain text, with
   placeholders as {{ customer.first_name }} tokens for the agent's helpdesk or email client.
   The text comes from the page (data-cx-copy), written by cxdocs: nothing is fetched. */
(function () {
  "use strict";

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    document.body.removeChild(area);
    return done ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return fallbackCopy(text);
  }

  function setup() {
    var buttons = document.querySelectorAll("button.cx-copy__button[data-cx-copy]");
    Array.prototype.forEach.call(buttons, function (button) {
      if (button.dataset.cxReady) return;
      button.dataset.cxReady = "1";
      button.hidden = false;
      var label = button.textContent;
      button.addEventListener("click", function () {
        copy(button.getAttribute("data-cx-copy")).then(function () {
          button.textContent = button.getAttribute("data-cx-copied") || label;
          button.classList.add("cx-copy__button--done");
          window.setTimeout(function () {
            button.textContent = label;
            button.classList.remove("cx-copy__button--done");
          }, 2000);
        });
      });
    });
  }

  window.cxdocs.ready(setup);
})();
