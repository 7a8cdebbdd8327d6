"""The functional core: pure Python with no browser imports, run unchanged under CPython (unit tests) and
Brython (the extension). No clocks, I/O or randomness in here: time and ids come in as arguments.

Modules are imported one by one by the entry points (nothing is imported here), so that each bundle carries
only what it uses."""
