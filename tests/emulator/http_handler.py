"""Request plumbing shared by the HTTPS site server and the plain-HTTP control server: reading bodies, writing
responses (always with Content-Length, so HTTP/1.1 keep-alive works), serving static files safely."""
import http.server
import json
import mimetypes
import os
import urllib.parse

MIME_TYPES = {".js": "text/javascript", ".html": "text/html", ".css": "text/css", ".json": "application/json",
              ".txt": "text/plain", ".map": "application/json"}


class Response:
    def __init__(self, status, body=b"", content_type="text/plain", headers=None):
        self.status = status
        self.body = body if isinstance(body, bytes) else body.encode("utf-8")
        self.content_type = content_type
        self.headers = headers or {}

    @classmethod
    def json(cls, status, value):
        return cls(status, json.dumps(value), "application/json")

    @classmethod
    def html(cls, status, markup):
        return cls(status, markup, "text/html")

    @classmethod
    def not_found(cls, what="not found"):
        return cls(404, what)

    @classmethod
    def drop(cls):
        """No answer at all: the connection is closed (a client sees a network error, as for an unreachable host)."""
        return cls(0)


def static_file(root, relative_path):
    """The file under `root` named by a URL path, or a 404 (never escapes `root`)."""
    relative = urllib.parse.unquote(relative_path).lstrip("/") or "index.html"
    full = os.path.realpath(os.path.join(root, relative))
    if os.path.isdir(full):
        full = os.path.join(full, "index.html")
    if not full.startswith(os.path.realpath(root) + os.sep) or not os.path.isfile(full):
        return Response.not_found(f"no file {relative_path}")
    extension = os.path.splitext(full)[1]
    content_type = MIME_TYPES.get(extension) or mimetypes.guess_type(full)[0] or "application/octet-stream"
    with open(full, "rb") as handle:
        return Response(200, handle.read(), content_type)


class Request:
    def __init__(self, method, host, path, query, body, headers=None):
        self.method = method
        self.host = host
        self.path = path
        self.query = query
        self.body = body
        self.headers = headers or {}  # lower-case names

    def framing_origin(self):
        """The origin of the page a browser is loading this document into a frame of, or None: from
        Sec-Fetch-Dest (iframe) and the Referer, which a cross-origin frame load carries as the parent's origin."""
        if self.headers.get("sec-fetch-dest") not in ("iframe", "frame"):
            return None
        parts = urllib.parse.urlsplit(self.headers.get("referer") or "")
        return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None

    def query_value(self, name, default=None):
        return self.query.get(name, [default])[0]


def make_handler(app, verbose=False):
    """A BaseHTTPRequestHandler subclass that turns each request into `app(Request) -> Response`."""

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 120  # idle keep-alive connections end eventually, freeing their thread
        # The headers and the body go out in two writes: with Nagle's algorithm on, the body waited for the
        # client's delayed ACK of the headers, 40 ms on Linux, on every response (a real server sends at once)
        disable_nagle_algorithm = True

        def _serve(self):
            url = urllib.parse.urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
            request = Request(self.command, host, url.path, urllib.parse.parse_qs(url.query), body,
                              {name.lower(): value for name, value in self.headers.items()})
            try:
                response = app(request)
            except Exception as error:  # a bug in the emulator must show up, not hang the browser
                self.log_error("emulator error on %s %s: %r", self.command, self.path, error)
                response = Response(500, f"emulator error: {error!r}")
            if response.status == 0:  # Response.drop()
                self.close_connection = True
                return
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type + "; charset=utf-8"
                             if response.content_type.startswith("text/") else response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            self.send_header("Cache-Control", "no-store")
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)

        do_GET = do_POST = do_HEAD = _serve

        def log_message(self, fmt, *args):
            if verbose:
                super().log_message(fmt, *args)

        def handle_one_request(self):
            try:
                super().handle_one_request()
            except (ConnectionError, TimeoutError):
                self.close_connection = True  # the browser went away (closed tab, killed browser): not an error

    return Handler
