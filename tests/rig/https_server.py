"""A threaded HTTPS server on loopback with an ephemeral port, stopped by the test that started it."""
import http.server
import threading


class HttpsServer:
    def __init__(self, handler_class, ssl_context, host="127.0.0.1"):
        self._httpd = http.server.ThreadingHTTPServer((host, 0), handler_class)
        self._httpd.daemon_threads = True
        self._httpd.socket = ssl_context.wrap_socket(self._httpd.socket, server_side=True)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="https-server", daemon=True)
        self._thread.start()

    def stop(self):
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=10)
