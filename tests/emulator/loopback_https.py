"""HTTPS requests to an emulator host name without DNS: connect to 127.0.0.1, send the name as SNI and Host,
verify against the run's test CA (what a browser with the host-resolver rules does)."""
import http.client
import json
import socket


class _LoopbackConnection(http.client.HTTPSConnection):
    def connect(self):
        sock = socket.create_connection(("127.0.0.1", self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def https_request(emulator, host, path, method="GET", body=None, timeout_s=30, headers=None):
    """Return (status, headers, body bytes)."""
    connection = _LoopbackConnection(host, emulator.port, context=emulator.certs.client_ssl_context(),
                                     timeout=timeout_s)
    try:
        data = body if body is None or isinstance(body, bytes) else json.dumps(body).encode()
        connection.request(method, path, body=data, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def https_json(emulator, host, path, method="GET", body=None, timeout_s=30):
    status, _, raw = https_request(emulator, host, path, method, body, timeout_s)
    return status, json.loads(raw)
