"""The extension's build toolchain: Brython runtime patch, ahead-of-time compiler driver, bundler, manifests,
packages. Run as `python -m grccp_build` with build/ on sys.path (named so it never shadows PyPI's `build`)."""
