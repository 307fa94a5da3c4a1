"""``fetch``, tier ``pure``: HTTP/1.1 spoken by the interpreter itself over raw sockets.

No HTTP library at all, only ``socket``: what an HTTP client *is*, in one small class. Each
connection is kept alive (HTTP/1.1's default) and reused for the next range; a response is a
status line, headers up to the blank line, and exactly ``Content-Length`` bytes of body (the
server answers a Range request with a fixed-length 206, never chunked). The socket's timeout
is the policy's: ``plan.timeout`` to connect, then for every read.

Concurrency the interpreter's way: ``plan.concurrency`` threads, one connection each, taking
the next range in plan order until none is left; the GIL is released while a socket waits, so
the threads overlap their waiting, which is all an I/O-bound client needs.
"""
import socket
import threading

from . import Failed, FetchError, check_length, check_status, range_header, split_url, with_retries


class Connection:
    """One keep-alive HTTP/1.1 connection, opened on first use and reopened after a failure."""

    def __init__(self, timeout):
        self.timeout, self.sock, self.address, self.buf = timeout, None, None, b""

    def get(self, url, start, end):
        host, port, path = split_url(url)
        if self.sock is None or self.address != (host, port):
            self.close()
            try:
                self.sock = socket.create_connection((host, port), self.timeout)
            except OSError as e:
                raise Failed("connect", str(e)) from None
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.address = (host, port)
        request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                   f"Range: {range_header(start, end)}\r\n\r\n")
        try:
            self.sock.sendall(request.encode())
            status, headers = self.read_head()
            if "content-length" not in headers:  # an error page sent chunked or up to the close
                self.close()
                check_status(status, headers.get("retry-after"))
                raise ValueError("a 206 without Content-Length")
            body = self.read_exactly(int(headers["content-length"]))
        except TimeoutError:
            self.close()
            raise Failed("timeout", f"no answer in {self.timeout} s") from None
        except (OSError, ValueError) as e:
            self.close()
            raise Failed("incomplete", str(e) or type(e).__name__) from None
        if headers.get("connection", "").lower() == "close":
            self.close()
        check_status(status, headers.get("retry-after"))
        return check_length(body, start, end)

    def recv(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed by the server")
        return chunk

    def read_head(self):
        while (end := self.buf.find(b"\r\n\r\n")) < 0:
            self.buf += self.recv()
        head, self.buf = self.buf[:end].decode("latin-1"), self.buf[end + 4:]
        status_line, *lines = head.split("\r\n")
        headers = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        return int(status_line.split(" ", 2)[1]), headers

    def read_exactly(self, n):
        chunks, have = [self.buf[:n]], min(len(self.buf), n)
        self.buf = self.buf[n:]
        while have < n:
            chunk = self.recv()
            if have + len(chunk) > n:  # the start of a next response: never, one request at a time
                chunk, self.buf = chunk[:n - have], chunk[n - have:]
            chunks.append(chunk)
            have += len(chunk)
        return b"".join(chunks)

    def close(self):
        if self.sock is not None:
            self.sock.close()
        self.sock, self.buf = None, b""


def fetch(plan):
    bodies, errors = [None] * len(plan.ranges), []
    next_index, lock = iter(range(len(plan.ranges))), threading.Lock()

    def worker():
        conn = Connection(plan.timeout)
        try:
            while not errors:  # after a failure, start nothing new (what has started finishes)
                with lock:
                    index = next(next_index, None)
                if index is None:
                    return
                try:
                    bodies[index] = with_retries(plan, index, conn.get)
                except FetchError as e:
                    errors.append(e)
        finally:
            conn.close()

    if plan.concurrency <= 1:
        worker()
    else:
        threads = [threading.Thread(target=worker)
                   for _ in range(min(plan.concurrency, len(bodies)))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    if errors:
        raise min(errors, key=lambda e: e.offset)  # ranges start in plan order: the lowest index
    return bodies
