"""User Python: computed columns and SQL functions written in Python."""
