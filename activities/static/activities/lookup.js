// List filters: as the user types a committee or a person, offer matching names from their scope.
// The box works without this script too: the server matches the words typed.
(function () {
  "use strict";
  var DELAY_MS = 250;

  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-lookup");
    if (!list || !url || !window.fetch) { return; }
    var timer = null;
    var asked = 0;
    var shown = {};

    function fill(results) {
      shown = {};
      list.textContent = "";
      results.forEach(function (row) {
        var option = document.createElement("option");
        option.value = row.label;
        shown[row.label] = true;
        list.appendChild(option);
      });
    }

    function ask() {
      var text = input.value.trim();
      if (!text || shown[input.value]) { return; }  // empty, or a suggestion was just picked
      var ticket = ++asked;
      fetch(url + "?q=" + encodeURIComponent(text), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.ok ? response.json() : { results: [] };
      }).then(function (data) {
        if (ticket === asked) { fill(data.results || []); }  // ignore answers overtaken by newer typing
      }).catch(function () { /* offline: the box still works as plain text */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[data-lookup][list]"), attach);
})();
