"""Test rig: per-run TLS certificates, the built extension prepared for a test, and browsers driven by selenium;
REPO, the repository's root."""
import os

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
