// The dashboard's choropleth: d3 + topojson-client (both vendored), data from /api/map.
// Colours use the same stops as orderwatch/present/charts.py: GSI red (-1), neutral, US blue (+1).
(function () {
  "use strict";
  const el = document.getElementById("map");
  if (!el) return;
  const colour = d3.scaleLinear().domain([-1, 0, 1]).range(["#b2182b", "#f7f7f7", "#2166ac"]).clamp(true);
  const NO_DATA = "#d9d9d9";
  const state = { year: +el.dataset.year, axis: el.dataset.axis, stream: el.dataset.stream, group: el.dataset.group };
  const years = el.dataset.years ? el.dataset.years.split(",").map(Number) : [];
  const tip = d3.select("body").append("div").attr("class", "tooltip").style("display", "none");
  const fmt = d3.format("+.2f");
  // Text on a position chip: black or white, whichever has the higher WCAG contrast.
  function ink(c) {
    const rgb = d3.rgb(c), lin = v => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    const L = 0.2126 * lin(rgb.r) + 0.7152 * lin(rgb.g) + 0.0722 * lin(rgb.b);
    return (L + 0.05) / 0.05 >= 1.05 / (L + 0.05) ? "#000000" : "#ffffff";
  }
  function describe(r) {
    const v = r.position == null ? "no evidence" : fmt(r.position) +
      (r.lo != null && r.hi != null ? ` [${fmt(r.lo)}, ${fmt(r.hi)}]` : "");
    return `${r.name_en} ${state.year}: ${v}`;
  }
  let paths = null, rowsById = new Map();

  function query() {
    const q = new URLSearchParams({ year: state.year, axis: state.axis, stream: state.stream });
    if (state.group) q.set("group", state.group);
    return q.toString();
  }

  function draw(topo, rows) {
    const all = topojson.feature(topo, topo.objects.countries).features;
    const ids = new Set(rows.map(r => r.iso_numeric));
    const focus = all.filter(f => ids.has(f.id));
    const width = 760, height = 520;
    // Fit to the Asian states only, so that Russia or Oceania do not shrink the map.
    const projection = d3.geoMercator().fitExtent([[8, 8], [width - 8, height - 8]],
      { type: "FeatureCollection", features: focus });
    const path = d3.geoPath(projection);
    const svg = d3.select(el).append("svg").attr("viewBox", `0 0 ${width} ${height}`)
      .attr("aria-labelledby", "maptitle mapdesc");
    svg.append("title").attr("id", "maptitle").text("Map of Asia coloured by position");
    svg.append("desc").attr("id", "mapdesc").text("Each state is a link to its page; the rankings table beside the map lists every figure.");
    svg.append("g").selectAll("path").data(all.filter(f => !ids.has(f.id))).join("path")
      .attr("class", "context").attr("d", path);
    paths = svg.append("g").selectAll("path").data(focus).join("path")
      .attr("class", "state").attr("d", path).attr("data-id", d => d.id)
      // Keyboard: every state is a focusable link (Tab to reach it, Enter to open its page).
      .attr("tabindex", 0).attr("role", "link")  // narrowed to the states on show in recolour()
      .on("mousemove", (ev, d) => {
        const r = rowsById.get(d.id);
        if (!r) return;
        tip.style("display", "block").style("left", (ev.clientX + 12) + "px").style("top", (ev.clientY + 12) + "px")
          .text(describe(r));
      })
      .on("mouseleave", () => tip.style("display", "none"))
      .on("focus", (ev, d) => {
        const r = rowsById.get(d.id), box = ev.target.getBoundingClientRect();
        if (r) tip.style("display", "block").style("left", (box.right + 4) + "px").style("top", (box.top + 4) + "px").text(describe(r));
      })
      .on("blur", () => tip.style("display", "none"))
      .on("keydown", (ev, d) => {
        if (ev.key !== "Enter" && ev.key !== " ") return;
        ev.preventDefault();
        const r = rowsById.get(d.id); if (r) window.location = "/country/" + r.iso3;
      })
      .on("click", (ev, d) => { const r = rowsById.get(d.id); if (r) window.location = "/country/" + r.iso3; });
  }

  function recolour(rows) {
    rowsById = new Map(rows.map(r => [r.iso_numeric, r]));
    let n = 0;
    paths.attr("fill", d => {
      const r = rowsById.get(d.id);
      if (!r) return "#f4f4f0";
      if (r.position == null) return NO_DATA;
      n += 1;
      return colour(r.position);
    }).attr("data-position", d => { const r = rowsById.get(d.id); return r && r.position != null ? r.position : ""; })
      .attr("aria-label", d => { const r = rowsById.get(d.id); return r ? describe(r) : null; })
      .attr("tabindex", d => rowsById.get(d.id) ? 0 : null)
      .attr("role", d => rowsById.get(d.id) ? "link" : null);
    d3.select("#ncoloured").text(n);
    d3.select("#mapyear").text(state.year);
    d3.select("#headyear").text(state.year);
    document.title = document.title.replace(/\b(19|20)\d\d\b/, state.year);
    el.dataset.coloured = n;
    el.dataset.year = state.year;
  }

  function rankings(rows) {
    const tbody = d3.select("#rankings tbody");
    tbody.selectAll("tr").remove();
    for (const r of rows) {
      const tr = tbody.append("tr").attr("data-iso3", r.iso3);
      tr.append("td").text(r.rank || "");
      tr.append("td").append("a").attr("href", "/country/" + r.iso3).text(r.name_en);
      const td = tr.append("td");
      if (r.position == null) td.append("span").attr("class", "pos none").text("—");
      else {
        td.append("span").attr("class", "pos").style("background", colour(r.position))
          .style("color", ink(colour(r.position))).text(fmt(r.position));
        if (r.lo != null && r.hi != null) td.append("small").text(` [${fmt(r.lo)}, ${fmt(r.hi)}]`);
      }
      const bar = tr.append("td");
      if (r.position != null) bar.append("span").attr("class", "bar").append("span").attr("class", "tick")
        .style("left", ((r.position + 1) / 2 * 100) + "%").style("background", colour(r.position));
    }
  }

  async function update() {
    const q = query();
    const [map, rank] = await Promise.all([
      fetch("/api/map?" + q).then(r => r.json()), fetch("/api/rankings?" + q).then(r => r.json())]);
    if (!map.rows) return;
    recolour(map.rows);
    rankings(rank.rows);
    d3.select("#apilink").attr("href", "/api/map?" + q);
    history.replaceState(null, "", "/?" + q);
    el.dataset.ready = "1";
  }

  function legend() {
    const w = 300, svg = d3.select("#maplegend").append("svg").attr("viewBox", `0 0 ${w} 28`).attr("width", w)
      .attr("role", "img").attr("aria-label", "Colour scale: red −1 (China's GSI pole), white 0, blue +1 (US pole); grey no evidence");
    const n = 40;
    for (let i = 0; i < n; i++) svg.append("rect").attr("x", i * (w - 100) / n).attr("width", (w - 100) / n + .5)
      .attr("height", 10).attr("fill", colour(-1 + 2 * (i + .5) / n));
    svg.append("text").attr("x", 0).attr("y", 23).attr("font-size", 10).text("−1 GSI");
    svg.append("text").attr("x", (w - 100) / 2).attr("y", 23).attr("font-size", 10).attr("text-anchor", "middle").text("0");
    svg.append("text").attr("x", w - 100).attr("y", 23).attr("font-size", 10).attr("text-anchor", "end").text("+1 US");
    svg.append("rect").attr("x", w - 90).attr("width", 10).attr("height", 10).attr("fill", NO_DATA);
    svg.append("text").attr("x", w - 76).attr("y", 9).attr("font-size", 10).text("no evidence");
  }

  const slider = document.getElementById("year");
  if (slider) {
    slider.addEventListener("input", () => {
      // Snap to years that have data (the slider's range may have gaps).
      let y = +slider.value;
      if (years.length && !years.includes(y)) y = years.reduce((a, b) => Math.abs(b - y) < Math.abs(a - y) ? b : a);
      state.year = y;
      document.getElementById("yearout").textContent = y;
      update();
    });
  }
  for (const id of ["axis", "group"]) {
    const s = document.getElementById(id);
    if (s) s.addEventListener("change", () => { state[id] = s.value; update(); });
  }
  const stream = document.getElementById("stream");
  if (stream) stream.addEventListener("change", () => { document.getElementById("controls").submit(); });

  legend();
  // Draw every Asian state once (no subregion filter), then colour the current selection.
  const all = new URLSearchParams({ year: state.year, axis: state.axis, stream: state.stream });
  Promise.all([fetch("/api/topology").then(r => r.json()), fetch("/api/map?" + all).then(r => r.json())])
    .then(([topo, map]) => { draw(topo, map.rows); return state.group ? update() : recolour(map.rows); })
    .then(() => { el.dataset.ready = "1"; });
})();
