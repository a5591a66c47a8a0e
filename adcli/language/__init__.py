"""The formula language: grammar → typed AST (with spans) → evaluation on the engine."""
