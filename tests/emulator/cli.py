"""Command line for running the emulator standalone (demo, manual testing)."""
import argparse
import signal
import tempfile
import threading

from .config import CCP_OWN_DOMAIN, DOMAIN, Timings
from .server import Emulator


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="tests/emulator", description="Two emulated Amazon Connect instances.")
    parser.add_argument("--fast", action="store_true", help="test timings (active-region poll every 400 ms)")
    parser.add_argument("--poll-ms", type=int, help="active-region poll interval in ms (default 60000)")
    parser.add_argument("--heavy-ccp", action="store_true",
                        help="serve a CCP page as costly as a large single-page app (benchmark)")
    parser.add_argument("--own-ccp-site", action="store_true",
                        help=f"the CCPs and the sign-in page on {CCP_OWN_DOMAIN}, a site of their own (cross-site "
                             f"to the CRM pages, as in a real deployment); default: on {DOMAIN} with the CRM pages")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request")
    return parser.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    timings = Timings.fast() if args.fast else Timings()
    if args.poll_ms:
        timings.dr_poll_interval_ms = args.poll_ms
    with tempfile.TemporaryDirectory(prefix="ccp-emulator-") as tmp_dir, \
            Emulator(tmp_dir=tmp_dir, timings=timings, verbose=args.verbose,
                     ccp_weight="heavy" if args.heavy_ccp else "light",
                     ccp_domain=CCP_OWN_DOMAIN if args.own_ccp_site else DOMAIN) as emulator:
        print(emulator.describe())
        print("Chromium: --host-resolver-rules=\"" + ", ".join(f"MAP {h} 127.0.0.1" for h in emulator.host_names)
              + f"\" --ignore-certificate-errors-spki-list={emulator.certs.ca_spki_sha256_b64}")
        print(f"Firefox: network.dns.localDomains={','.join(emulator.host_names)}")
        print(f"Active-region poll every {timings.dr_poll_interval_ms} ms. Ctrl-C to stop.", flush=True)
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
    return 0


