// The dashboard's browser code: draws the server-built Chart.js configs, sorts tables, and
// makes the filter forms quick to use. Everything works without it except the charts.
(() => {
  const narrow = () => window.matchMedia("(max-width: 720px)").matches;

  /** Sets a font's size to at most `max` px. */
  function shrink(font, max) {
    if (font && typeof font.size === "number") font.size = Math.min(font.size, max);
  }

  /**
   * On a phone: a taller chart (2:1 is too flat to read) and smaller type, so that long
   * category labels (the cycle's steps) fit beside the bars instead of being cut off.
   */
  function fitPhone(options) {
    options.aspectRatio = Math.min(options.aspectRatio || 2, 1.25);
    for (const scale of Object.values(options.scales || {})) {
      shrink(scale.ticks?.font, 10);
      shrink(scale.title?.font, 10);
    }
    const plugins = options.plugins || {};
    shrink(plugins.legend?.labels?.font, 11);
    shrink(plugins.title?.font, 13);
    shrink(plugins.subtitle?.font, 11);
  }

  /** Draws every chart whose config the server embedded next to its canvas. */
  function drawCharts() {
    const figures = document.querySelectorAll("figure.chart[data-chart]");
    if (figures.length === 0) return;
    const Chart = window.Chart;
    if (!Chart) return;
    let first = true;
    for (const figure of figures) {
      const canvas = figure.querySelector("canvas");
      const source = figure.querySelector('script[type="application/json"]');
      if (!canvas || !source) continue;
      const config = JSON.parse(source.textContent || "{}");
      config.options = config.options || {};
      // Pages reload on every filter change: an entry animation each time only delays reading.
      config.options.animation = false;
      if (narrow()) fitPhone(config.options);
      new Chart(canvas, config);
      canvas.dataset.drawn = "true";
      if (first) {
        performance.mark("sop:first-chart");
        first = false;
      }
    }
  }

  const live = () => document.getElementById("live");

  /** Sorts a table's body by the column of header cell `th`; nulls (empty data-sort) last. */
  function sortBy(th) {
    const table = th.closest("table");
    const body = table?.tBodies[0];
    if (!table || !body) return;
    const index = Array.prototype.indexOf.call(th.parentElement.children, th);
    const numeric = th.dataset.type === "number";
    const current = th.getAttribute("aria-sort");
    // Numbers start largest first (the interesting end of a KPI), text A→Z.
    const direction =
      current === "descending"
        ? "ascending"
        : current === "ascending"
          ? "descending"
          : numeric
            ? "descending"
            : "ascending";
    for (const other of th.parentElement.children) other.removeAttribute("aria-sort");
    th.setAttribute("aria-sort", direction);
    const sign = direction === "ascending" ? 1 : -1;
    const value = (row) => {
      const cell = row.cells[index];
      if (!cell) return "";
      return cell.dataset.sort ?? cell.textContent.trim();
    };
    const rows = Array.from(body.rows);
    rows.sort((a, b) => {
      const x = value(a);
      const y = value(b);
      if (x === "" || y === "") return x === y ? 0 : x === "" ? 1 : -1;
      if (numeric) return sign * (Number(x) - Number(y));
      return sign * x.localeCompare(y, undefined, { numeric: true, sensitivity: "base" });
    });
    body.append(...rows);
    const region = live();
    if (region) region.textContent = `Sorted by ${th.textContent.trim()}, ${direction}`;
  }

  function sortableTables() {
    for (const button of document.querySelectorAll("table.sortable thead th button.sort")) {
      button.addEventListener("click", () => sortBy(button.closest("th")));
    }
  }

  /**
   * Filter forms: a choice made with the mouse or a finger applies at once; from the keyboard
   * it waits for Enter or the Apply button (arrowing through a select must not reload the page).
   * Empty fields stay out of the address, and the section (#gaps) is kept.
   */
  function filterForms() {
    let keyboard = false;
    document.addEventListener("keydown", () => {
      keyboard = true;
    });
    document.addEventListener("pointerdown", () => {
      keyboard = false;
    });
    for (const form of document.querySelectorAll("form.filters")) {
      form.addEventListener("change", (event) => {
        if (!keyboard && event.target instanceof HTMLSelectElement) form.requestSubmit();
      });
      form.addEventListener("submit", () => {
        for (const field of form.elements) {
          if (field.name && "value" in field && field.value === "") field.disabled = true;
        }
        if (location.hash) form.action = location.pathname + location.hash;
      });
    }
    // Back to a page whose fields were disabled on submit: enable them again.
    window.addEventListener("pageshow", () => {
      for (const field of document.querySelectorAll("form.filters [disabled]")) field.disabled = false;
    });
  }

  /** The sign-in form carries the address's fragment (#gaps) through to the page after it. */
  function signInFragment() {
    const field = document.querySelector('form.signin input[name="hash"]');
    if (field && location.hash) field.value = location.hash;
  }

  function start() {
    drawCharts();
    sortableTables();
    filterForms();
    signInFragment();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
