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

// Party rows: an 18-digit resident ID number with a valid check digit (GB 11643) gives the
// birth date (digits 7-14) and the sex (digit 17: odd male, even female); the server checks
// the same again on saving.
var ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
var ID_CHECK = "10X98765432";
function residentIdFacts(value) {
  var number = value.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(number)) { return null; }
  var sum = 0;
  for (var i = 0; i < 17; i++) { sum += Number(number[i]) * ID_WEIGHTS[i]; }
  if (ID_CHECK[sum % 11] !== number[17]) { return null; }
  var birth = number.slice(6, 10) + "-" + number.slice(10, 12) + "-" + number.slice(12, 14);
  var day = new Date(birth + "T00:00:00Z");
  if (isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== birth) { return null; }
  return {birth: birth, sex: Number(number[16]) % 2 === 1 ? "male" : "female"};
}
document.addEventListener("input", function (event) {
  var input = event.target;
  if (!input.matches || !input.matches('[data-party-fields] input[name$="document_number"]')) {
    return;
  }
  var row = input.closest("[data-party-fields]");
  var type = row.querySelector('select[name$="document_type"]');
  if (type && type.value !== "resident_id") { return; }
  var facts = residentIdFacts(input.value);
  if (!facts) { return; }
  var sex = row.querySelector('select[name$="sex"]');
  var birth = row.querySelector('input[name$="birth_date"]');
  if (sex) { sex.value = facts.sex; }
  if (birth) { birth.value = facts.birth; }
});

// The statistics period: only the fields of the chosen kind of period are shown (all are
// still sent; the server reads those of the kind).
var PERIOD_FIELDS = {half: ["year", "half"], quarter: ["year", "quarter"],
                     month: ["year", "month"], year: ["year"], range: ["start", "end"]};
function syncPeriod(form) {
  var kind = form.querySelector('[name="kind"]');
  if (!kind) { return; }
  var shown = PERIOD_FIELDS[kind.value] || [];
  ["year", "half", "quarter", "month", "start", "end"].forEach(function (name) {
    var field = form.querySelector('[name="' + name + '"]');
    if (field && field.closest(".col-auto")) {
      field.closest(".col-auto").hidden = shown.indexOf(name) < 0;
    }
  });
}
document.querySelectorAll("#period-form").forEach(syncPeriod);
document.addEventListener("change", function (event) {
  if (event.target.matches('#period-form [name="kind"]')) { syncPeriod(event.target.form); }
});
