"""Plain HTTPS test sites on loopback: a CRM page on two allowlistable names and one name that is never
allowlisted. (The CCP emulator serves the full set with the CCPs; this is for tests that need only pages.)"""
import http.server

from .https_server import HttpsServer

PAGE = (b"<!doctype html><html><head><meta charset='utf-8'><title>CRM test page</title></head>"
        b"<body><h1 id='crm-title'>CRM test page</h1></body></html>")


class _PageHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args):
        pass


class StaticSites:
    HOSTNAMES = ("crm.example.test", "crm2.example.test", "other.example.test")

    def __init__(self, certs):
        self.certs = certs
        self._server = HttpsServer(_PageHandler, certs.server_ssl_context())
        self.port = self._server.port

    def url(self, hostname, path="/"):
        return f"https://{hostname}:{self.port}{path}"

    def stop(self):
        self._server.stop()
