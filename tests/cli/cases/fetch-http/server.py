# server.py: an HTTP server on 127.0.0.1 for the fetch tests: the files of
# this directory, and paths that misbehave: /slow (4 bytes every 2 s),
# /truncated (promises more than it sends), /redirect (to lib.tar.gz),
# /fail (500). Writes its port to ./port.
import http.server, os, socketserver, time

class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/slow":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            for _ in range(250):
                self.wfile.write(b"slow")
                self.wfile.flush()
                time.sleep(2)
        elif self.path == "/truncated":
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"x" * 1000)
        elif self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/lib.tar.gz")
            self.end_headers()
        elif self.path == "/fail":
            self.send_error(500)
        else:
            super().do_GET()

socketserver.TCPServer.allow_reuse_address = True
with socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler) as httpd:
    with open("port.tmp", "w") as f:
        f.write(str(httpd.server_address[1]))
    os.rename("port.tmp", "port")
    httpd.serve_forever()
