"""Concurrent reads during an import on SQLite (WAL): pages keep working and see no half import.

Real processes on a file database (the test database of pytest is in memory, which has no WAL):
``harmonie migrate`` + ``harmonie demo`` + ``harmonie workspace export``; then one process imports
the archive and keeps its transaction open for a few seconds, while another process reads pages
and queries in 4 threads the whole time. No read may fail (no "database is locked"), every page
answers 200, and the half-imported samenwerkingsverband is invisible until the commit.
"""

import json
import os
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.slow

READER = textwrap.dedent("""
    import json, os, sys, threading, time
    import django
    django.setup()
    from django.db import connection, connections
    from django.test import Client
    from harmonie.core.models import Workspace, Partner, AuditEntry

    ready, started, enough, done = sys.argv[1:5]
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    coordinator = Workspace.objects.get(slug="demo").memberships.get(role="coordinator").user
    clients = []
    for _n in range(4):  # log in before the import starts (a login writes the session and last_login)
        client = Client()
        client.force_login(coordinator)
        clients.append(client)
    clients[0].get("/w/demo/")  # load the URLconf and templates before the import starts
    open(ready, "w").close()
    while not os.path.exists(started):
        time.sleep(0.02)
    results = {"mode": mode, "requests": 0, "queries": 0, "errors": [], "saw_half_import": False}
    lock = threading.Lock()
    pages = ["/w/demo/", "/w/demo/partners/", "/w/demo/leden/", "/w/demo/audit/", "/w/demo/laag/producten/"]

    def read(n):
        client = clients[n]
        i = 0
        try:
            while not os.path.exists(done):
                response = client.get(pages[(i + n) % len(pages)])
                visible = Workspace.objects.filter(slug="demo-kopie").exists()
                Partner.objects.filter(workspace__slug="demo").count()
                AuditEntry.objects.filter(workspace__slug="demo").count()
                with lock:
                    results["requests"] += 1
                    if results["requests"] >= 20:
                        open(enough, "w").close()
                    results["queries"] += 3
                    if response.status_code != 200:
                        results["errors"].append(f"{pages[(i + n) % len(pages)]}: {response.status_code}")
                    if visible and not os.path.exists(done):
                        results["saw_half_import"] = True
                i += 1
        except Exception as exc:
            with lock:
                results["errors"].append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=read, args=(n,)) for n in range(4)]
    for t in threads: t.start()
    for t in threads: t.join()
    results["visible_after"] = Workspace.objects.filter(slug="demo-kopie").exists()
    print(json.dumps(results))
""")

IMPORTER = textwrap.dedent("""
    import sys, time
    import django
    django.setup()
    from django.db import transaction
    from harmonie.core.exchange import import_workspace

    archive, ready, started, enough, done = sys.argv[1:6]
    import os
    deadline = time.monotonic() + 120
    while not os.path.exists(ready) and time.monotonic() < deadline:
        time.sleep(0.05)
    with transaction.atomic():
        import_workspace(archive, new_slug="demo-kopie")
        open(started, "w").close()
        # the import's transaction stays open until the readers have read enough (at most 2 minutes)
        while not os.path.exists(enough) and time.monotonic() < deadline:
            time.sleep(0.05)
    open(done, "w").close()
""")


def _env(tmp_path):
    env = os.environ.copy()
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'wal.sqlite3'}", "HARMONIE_DATA_DIR": str(tmp_path / "var"),
                "DJANGO_SETTINGS_MODULE": "harmonie.settings", "DJANGO_ALLOW_ASYNC_UNSAFE": "true"})
    return env


def _run(tmp_path, *args, timeout=300):
    result = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=_env(tmp_path),
                            timeout=timeout)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def test_reads_during_an_import_do_not_fail(tmp_path):
    _run(tmp_path, "-m", "harmonie.cli", "migrate", "--no-input", "-v", "0")
    _run(tmp_path, "-m", "harmonie.cli", "demo")
    archive = tmp_path / "demo.zip"
    _run(tmp_path, "-m", "harmonie.cli", "workspace", "export", "demo", "--output", str(archive), "--stil")
    reader_py, importer_py = tmp_path / "reader.py", tmp_path / "importer.py"
    reader_py.write_text(READER)
    importer_py.write_text(IMPORTER)
    markers = [str(tmp_path / name) for name in ("ready", "started", "enough", "done")]

    reader = subprocess.Popen([sys.executable, str(reader_py), *markers], env=_env(tmp_path),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _run(tmp_path, str(importer_py), str(archive), *markers)
        out, err = reader.communicate(timeout=120)
    finally:
        if reader.poll() is None:
            reader.kill()
    assert reader.returncode == 0, err[-3000:]
    results = json.loads(out.strip().splitlines()[-1])
    assert results["mode"] == "wal"
    assert results["errors"] == []
    assert results["requests"] >= 20  # the readers really ran while the import transaction was open
    assert results["saw_half_import"] is False and results["visible_after"] is True
