"""Placeholder: filled in by issue 5's work (docs/query-contract.md)."""
