"""web-ext lint on the Firefox package: no error is allowed, and every warning must be one of those listed
(with its reason) in README.md, so that a new warning fails the build instead of scrolling by.

usage: python -m grccp_build.lint dist/firefox"""
import json
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WEB_EXT = os.path.join(REPO, "node_modules", ".bin", "web-ext")

# (code, file): in the pinned Brython runtime, on code paths that compile or fetch Python at run time (AOT bundles
# never take them, the extension's CSP blocks them, and the tripwire tests prove zero eval calls); and in the
# unmodified Streams the page API runs in opted-in pages.
EXPECTED_WARNINGS = {
    ("DANGEROUS_EVAL", "runtime/brython_csp.js"),
    ("UNSAFE_VAR_ASSIGNMENT", "runtime/brython_csp.js"),
    ("UNSUPPORTED_API", "runtime/brython_csp.js"),
    # Streams' three Function("return this") fallbacks, never reached (README "web-ext lint")
    ("DANGEROUS_EVAL", "vendor/connect-streams-min.js"),
}


def lint(source_dir):
    completed = subprocess.run([WEB_EXT, "lint", "--source-dir", source_dir, "--output", "json"],
                               capture_output=True, text=True)
    report = json.loads(completed.stdout)
    problems = [f"error {e['code']} {e.get('file')}:{e.get('line')} {e['message']}" for e in report["errors"]]
    problems += [f"unexpected warning {w['code']} {w.get('file')}:{w.get('line')} {w['message']}"
                 for w in report["warnings"] if (w["code"], w.get("file")) not in EXPECTED_WARNINGS]
    return report, problems


def main(argv):
    report, problems = lint(argv[1])
    summary = report["summary"]
    print(f"web-ext lint {argv[1]}: {summary['errors']} errors, {summary['warnings']} warnings "
          f"({summary['warnings'] - len([p for p in problems if p.startswith('unexpected')])} expected)")
    for problem in problems:
        print("  " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
