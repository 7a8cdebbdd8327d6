"""Threaded loopback servers on ephemeral ports (the tests' only HTTPS server). The TLS handshake runs in the
request's own thread: a browser's idle preconnect socket must not stall the accept loop that every origin shares."""
import http.server
import socket
import ssl
import sys
import threading


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 64
    ssl_context = None

    def get_request(self):
        sock, address = super().get_request()
        if self.ssl_context is not None:
            sock = self.ssl_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, address

    def finish_request(self, request, client_address):
        if isinstance(request, ssl.SSLSocket):
            request.settimeout(15)
            try:
                request.do_handshake()
            except (OSError, ssl.SSLError):
                return  # a client that gave up or rejected the certificate
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError, ssl.SSLError, socket.timeout)):
            super().handle_error(request, client_address)


class LoopbackServer:
    """Serve `handler_class` on 127.0.0.1:<ephemeral> (HTTPS when given an SSL context) until stop()."""

    def __init__(self, handler_class, ssl_context=None, name="emulator-server"):
        self._httpd = _Server(("127.0.0.1", 0), handler_class)
        self._httpd.ssl_context = ssl_context
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.2},
                                        name=name, daemon=True)
        self._thread.start()

    def stop(self):
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=10)
