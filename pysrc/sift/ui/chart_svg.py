"""Placeholder: builds a chart's SVG tree with createElementNS (docs/chart-contract.md)."""
