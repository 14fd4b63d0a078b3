// Entry form: changing the committee redraws the list of its people, keeping what was typed.
(function () {
  "use strict";
  var form = document.getElementById("activity-form");
  var refresh = document.getElementById("refresh-people");
  if (!form || !refresh) { return; }
  var select = form.querySelector("select[name=committee]");
  if (!select) { return; }
  refresh.parentNode.hidden = true;
  select.addEventListener("change", function () {
    if (form.requestSubmit) { form.requestSubmit(refresh); } else { refresh.click(); }
  });
})();
