// A <select data-autosubmit> submits its form when changed (kept out of the page: the CSP allows no inline handlers).
document.querySelectorAll("select[data-autosubmit]").forEach((el) => {
  el.addEventListener("change", () => el.form.submit());
});
