"""Test rig: per-run TLS certificates, HTTPS servers on loopback, and browsers driven by selenium."""
