// Keyboard review (the keys of `chrysalide review`): j/k move between items, 1-5 choose a code,
// a accepts the current code, Enter saves, s skips. Served from this app, as its CSP requires.
(function () {
  "use strict";
  var forms = [];
  var current = 0;

  function focus(i) {
    if (!forms.length) { return; }
    current = Math.max(0, Math.min(i, forms.length - 1));
    forms.forEach(function (f, j) { f.classList.toggle("current", j === current); });
    forms[current].scrollIntoView({block: "nearest"});
  }

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "TEXTAREA" || (tag === "INPUT" && target.type !== "radio" && target.type !== "checkbox") ||
      tag === "SELECT";
  }

  function submit(form, accept) {
    var button = form.querySelector(accept ? "button.accept" : "button.save");
    if (form.reportValidity()) { button.click(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    forms = Array.prototype.slice.call(document.querySelectorAll("form.review"));
    forms.forEach(function (f, j) { f.addEventListener("focusin", function () { focus(j); }); });
    focus(0);
  });

  document.addEventListener("keydown", function (event) {
    if (!forms.length || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var form = forms[current];
    var key = event.key;
    if (key === "j" || key === "ArrowDown" || key === "s") {
      focus(current + 1);
    } else if (key === "k" || key === "ArrowUp") {
      focus(current - 1);
    } else if (key >= "1" && key <= "9") {
      var radios = form.querySelectorAll("input[name=primary]");
      var radio = radios[Number(key) - 1];
      if (!radio) { return; }
      radio.checked = true;
    } else if (key === "a") {
      submit(form, true);
    } else if (key === "Enter") {
      submit(form, false);
    } else {
      return;
    }
    event.preventDefault();
  });
}());
