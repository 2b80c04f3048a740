"""Small helpers for the reference tests: excerpts of the real shared files, written to tmp_path."""

import csv
import functools
import http.server
import threading

from conftest import require_shared


def upl_csv():
    return require_shared("upl/UPL-actueel-2025-04.csv")


def tooi_csv():
    return require_shared("tooi-organisaties/gemeenten-tooi.csv")


def tooi_json():
    return require_shared("tooi-organisaties/rwc_gemeenten_compleet_4.json")


def gemeenten_excerpt_rows(n_ascii=10):
    """The header plus the Frisian municipalities (non-ASCII names) and some others of the real CSV."""
    with open(tooi_csv(), encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    special = [r for r in body if any(ord(c) > 127 for c in r[2])]
    plain = [r for r in body if r not in special][:n_ascii]
    return header, special + plain


def write_csv(path, header, rows, *, encoding="utf-8", delimiter=","):
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class LocalServer:
    """An http.server on 127.0.0.1 serving a directory, in a thread."""

    def __init__(self, directory):
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
        return False
