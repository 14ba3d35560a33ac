"""User SQL: running it under a deadline and authorizers, its results, errors and history."""
