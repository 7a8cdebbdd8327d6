"""Benchmark of the extension against the reference connect-streams-dr.js (make bench; CI runs --smoke)."""
