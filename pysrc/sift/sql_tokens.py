"""Placeholder: SQL tokens for highlighting, parameters and completion (docs/query-contract.md)."""
