// Small progressive enhancements; every page works without them (no inline scripts: CSP).
document.addEventListener("click", function (event) {
  var target = event.target.closest("[data-print]");
  if (target) {
    event.preventDefault();
    window.print();
  }
});
