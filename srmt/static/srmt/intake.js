// Intake: show the expedite and address fieldsets only for their type of request. Without
// JavaScript every fieldset shows, and the server requires each only for its type.
(function () {
  "use strict";
  var type = document.getElementById("id_type");
  if (!type) { return; }
  var sets = document.querySelectorAll("fieldset[data-for-type]");
  function toggle() {
    sets.forEach(function (set) {
      set.hidden = set.getAttribute("data-for-type") !== type.value;
    });
  }
  type.addEventListener("change", toggle);
  toggle();
})();
