"""The foundation: languages, errors, budgets, paths and safe text.

It imports nothing of flowmap above it."""
