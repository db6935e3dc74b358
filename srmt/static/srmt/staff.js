/* Keyboard shortcuts of the request page (issue 9, ADR 30). No inline code: the
   Content-Security-Policy allows scripts from this origin only.
   A single key acts only when the focus is not in a form control (so typing is never
   taken) and no modifier is held (so screen-reader and browser keys are left alone).
   Each key opens its panel (a <details data-shortcut="...">) and moves the focus into it:
   r respond, n note, a assign ("Assign to me" gets the focus), s status, t transfer,
   e expedite and evidence, / the header search, ? the list of shortcuts. */
(function () {
  "use strict";

  function isTyping(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return (
      tag === "input" || tag === "textarea" || tag === "select" ||
      target.isContentEditable || target.closest("[role=combobox], [role=listbox]") !== null
    );
  }

  function firstControl(panel) {
    var preferred = panel.querySelector("[data-shortcut-focus]");
    if (preferred) return preferred;
    return panel.querySelector(
      ".srmt-action__body textarea, .srmt-action__body select, " +
      ".srmt-action__body input:not([type=hidden]), .srmt-action__body button"
    );
  }

  function open(key) {
    var panel = document.querySelector('details[data-shortcut="' + key + '"]');
    if (!panel) return false;
    panel.open = true;
    var target = firstControl(panel) || panel.querySelector("summary");
    if (target) {
      target.focus();
      panel.scrollIntoView({ block: "start" });
    }
    return true;
  }

  function transfer() {
    var panel = document.querySelector('details[data-shortcut="s"]');
    if (!panel) return false;
    panel.open = true;
    var to = panel.querySelector("select[name=to]");
    if (to && to.querySelector('option[value="transferred"]')) {
      to.value = "transferred";
      to.dispatchEvent(new Event("change", { bubbles: true }));
    }
    var office = panel.querySelector("#status-office") || to;
    if (office) {
      office.focus();
      panel.scrollIntoView({ block: "start" });
    }
    return true;
  }

  function search() {
    var box = document.querySelector(
      "header input[type=search], [role=search] input, #site-search, input[name=q]"
    );
    if (!box) return false;
    box.focus();
    return true;
  }

  function help() {
    var list = document.getElementById("shortcuts");
    if (!list) return false;
    list.open = true;
    var summary = list.querySelector("summary");
    if (summary) summary.focus();
    list.scrollIntoView({ block: "start" });
    return true;
  }

  var ACTIONS = {
    r: function () { return open("r"); },
    n: function () { return open("n"); },
    a: function () { return open("a"); },
    s: function () { return open("s"); },
    e: function () { return open("e"); },
    t: transfer,
    "/": search,
    "?": help,
  };

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTyping(event.target)) return;
    if (!document.querySelector("[data-request-page]")) return;
    var action = ACTIONS[event.key];
    if (action && action()) event.preventDefault();
  });
})();
