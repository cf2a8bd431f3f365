"""Browser libraries this server hands out itself (school networks are closed; no CDN).

plotly-basic: plotly.js's partial build with the scatter, bar and pie traces, which are all the charts
use (overview/charts.py), from npm's `plotly.js-basic-dist-min` (MIT, LICENSE-plotly.js beside it). It is
a third of the full plotly.js, so a chart page parses 1.2 MB instead of 3.5 MB. The version is in the file
name, which makes the URL change with it and lets browsers keep the file for good. To update: `npm pack
plotly.js-basic-dist-min@VERSION`, put its `plotly-basic.min.js` here under the new name, and change `PLOTLY`.
"""

from pathlib import Path

PLOTLY = Path(__file__).with_name("plotly-basic-4.1.1.min.js")
