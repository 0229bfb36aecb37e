// Story page: the side filter shows one group of articles without reloading (links work without JS too).
document.addEventListener("DOMContentLoaded", function () {
  var filters = document.querySelectorAll(".side-filter .filter");
  if (!filters.length) { return; }
  function show(side) {
    document.querySelectorAll(".group").forEach(function (g) {
      g.hidden = side !== "all" && g.dataset.group !== side;
    });
    filters.forEach(function (f) {
      var on = f.dataset.filter === side;
      f.classList.toggle("on", on);
      f.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }
  filters.forEach(function (f) {
    f.addEventListener("click", function (event) {
      event.preventDefault();
      show(f.dataset.filter);
      history.replaceState(null, "", f.getAttribute("href"));
    });
  });
});
