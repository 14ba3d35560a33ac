"""Charts (issue 6): SQL aggregation over a view, and SVG drawn by Python (docs/chart-contract.md).

Pure: the standard library and sift modules, never the browser. The picture is an element tree
of JSON lists (sift.charts.svg) that the UI builds node by node, and the same tree serialized as
an SVG file for export. Modules: spec (what a chart is), data (the SQL), scale (ticks),
palette, svg, render and marks (the drawing), describe (the words), defaults, commands.
"""
