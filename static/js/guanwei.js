// Small behaviours shared by every page (no inline scripts: the CSP forbids them).
document.addEventListener("click", function (event) {
  var target = event.target.closest("[data-print]");
  if (target) {
    event.preventDefault();
    window.print();
  }
});
