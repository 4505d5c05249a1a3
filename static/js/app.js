// Small progressive enhancements; every page works without them (no inline scripts: CSP).
document.addEventListener("click", function (event) {
  var target = event.target.closest("[data-print]");
  if (target) {
    event.preventDefault();
    window.print();
  }
});

// Party rows: show the fields that apply to a natural person or to an organisation.
function syncPartyKind(select) {
  var row = select.closest("[data-party-fields]");
  if (!row) { return; }
  var organisation = select.value === "organisation";
  row.querySelectorAll(".party-person-only").forEach(function (el) { el.hidden = organisation; });
  row.querySelectorAll(".party-org-only").forEach(function (el) { el.hidden = !organisation; });
}
document.querySelectorAll(".js-party-kind").forEach(syncPartyKind);
document.addEventListener("change", function (event) {
  if (event.target.matches(".js-party-kind")) { syncPartyKind(event.target); }
});
