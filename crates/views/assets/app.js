// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Period and target selectors apply at once.
  for (const select of document.querySelectorAll("select.js-autosubmit")) {
    select.addEventListener("change", () => select.form.submit());
  }
  // "Select all" in the review queue.
  for (const box of document.querySelectorAll("input.js-select-all")) {
    box.hidden = false;
    box.addEventListener("change", () => {
      for (const item of box.closest("form").querySelectorAll("input[name=item]")) item.checked = box.checked;
    });
  }
  for (const button of document.querySelectorAll("button.js-print")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
