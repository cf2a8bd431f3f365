// A plotly chart drawn with the plotly.js the server hands out (no CDN), described for screen readers.
// Contract: figure ({data, layout}), description (the chart's text alternative), library (URL of plotly.min.js).
// data-state on .rk-chart says "drawing", "drawn" or "failed", so a page (or a test) knows when the chart is there.

let loading = null;

function plotly(url) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!loading && window.rkPlotly) {
    // Started early by the page itself (the resurskurs template, on the pages that draw charts).
    loading = window.rkPlotly;
    window.rkPlotly = null;
    loading.catch(() => { loading = null; });
  }
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => { loading = null; reject(new Error("plotly.js")); };
      document.head.append(script);
    });
  }
  return loading;
}

function render({ model, el }) {
  const figure = document.createElement("div");
  figure.className = "rk-chart";
  figure.setAttribute("role", "img");
  const plot = document.createElement("div");
  figure.append(plot);
  el.append(figure);
  // plotly sizes a chart from its box when it draws, and a box not yet shown (Voilà reveals the page after its
  // widgets are drawn) gives plotly's 700 px fallback: a chart is drawn once its box is shown, at the box's width,
  // so a phone never gets a chart wider than its screen, not even for a moment. plotly.js loads meanwhile.
  let waiting = false;
  const draw = () => {
    figure.setAttribute("aria-label", model.get("description"));
    figure.dataset.state = "drawing";
    plotly(model.get("library")).catch(() => undefined);
    waiting = figure.getBoundingClientRect().width === 0;
    if (waiting) return;
    const { data, layout } = model.get("figure");
    plotly(model.get("library"))
      .then((Plotly) => Plotly.react(plot, data || [], layout || {}, { displayModeBar: false, responsive: true }))
      .then(() => {
        figure.dataset.state = "drawn";
      })
      .catch(() => {
        plot.textContent = "Diagrammet kunde inte visas. Siffrorna finns i tabellen.";
        figure.dataset.state = "failed";
      });
  };
  draw();
  model.on("change:figure", draw);
  model.on("change:description", draw);
  // The box is shown (draw now) or its width changes when the window turns (fit the chart to it).
  const resized = new ResizeObserver(() => {
    if (waiting) draw();
    else if (figure.dataset.state === "drawn") window.Plotly.Plots.resize(plot).catch(() => undefined);
  });
  resized.observe(figure);
  return () => resized.disconnect();
}

export default { render };
