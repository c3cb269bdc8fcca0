// Searchable selects: a long <select> (many professions, competences, provisions) gets a filter box above it.
// Progressive enhancement: without JavaScript the plain select still works. No inline script (CSP).
(function () {
  "use strict";
  var MIN_OPTIONS = 12;  // shorter lists are quicker to scan than to filter

  function fold(text) {  // case- and accent-insensitive, so "sosu" finds "SOSU" and "aeldre" does not need "æ"
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function enhance(select) {
    if (select.dataset.filterReady || select.options.length < MIN_OPTIONS) return;
    select.dataset.filterReady = "1";
    var label = document.body.dataset.filterLabel || "Filter";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "select-filter";
    input.setAttribute("aria-label", label + ": " + (select.labels && select.labels[0] ? select.labels[0].textContent.trim() : ""));
    input.placeholder = label;
    input.setAttribute("aria-controls", select.id);
    input.addEventListener("input", function () {
      var needle = fold(input.value.trim());
      Array.prototype.forEach.call(select.options, function (option) {
        // the chosen and the empty option stay visible, so filtering never hides what is selected
        var keep = !needle || option.selected || option.value === "" || fold(option.text).indexOf(needle) !== -1;
        option.hidden = !keep;
      });
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();  // Enter filters; it must not submit the form
    });
    select.parentNode.insertBefore(input, select);
  }

  function enhanceAll(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("form select"), enhance);
  }

  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhanceAll(event.target); });
}());
