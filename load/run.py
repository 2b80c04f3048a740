"""``make load``: a load test on loopback against PostgreSQL.

    .venv/bin/python -m load.run

1. creates the database ``harmonie_load`` on ``LOAD_DATABASE_URL`` (default
   ``postgresql://postgres@127.0.0.1:5432/harmonie_load``; dropped first when it exists), migrates it and builds the
   30-partner workspace (``load.build``);
2. starts Harmonie as ``harmonie serve`` would run it (``LOAD_SERVER``: the command; default ``harmonie serve``)
   on ``127.0.0.1:LOAD_PORT`` with ``HARMONIE_DEBUG=0``;
3. logs in ``LOAD_USERS`` (50) users through the login form (the coördinator, the 30 partnerbijdragers, the lezer,
   the rest again as bijdragers) and sends ``LOAD_RATE`` (20) requests/s open-loop with 2-3 s think time for
   ``LOAD_WARMUP`` (15) + ``LOAD_SECONDS`` (120) seconds to the dashboard, the layer pages, the product matrix,
   the applications overview and the diagnosis;
4. prints p50/p95/p99/max and errors per page, the achieved rate, the machine's load (``uptime``) and the CPU
   seconds the server used; writes ``var/load/results.json``; stops the server and drops the database
   (``LOAD_KEEP=1`` keeps it, and a kept database is reused by the next run instead of rebuilt).

Exit code 1 when the targets are missed (p95 > 200 ms on the dashboard or the matrix, or any error).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .generator import OpenLoop, User, login, percentile, request

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DB_URL = os.environ.get("LOAD_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/harmonie_load")
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# LOAD_PORT, else a free port: never measure a server someone else left running on a fixed port
PORT = int(os.environ.get("LOAD_PORT") or _free_port())
USERS = int(os.environ.get("LOAD_USERS", "50"))
RATE = float(os.environ.get("LOAD_RATE", "20"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "120"))
WARMUP = float(os.environ.get("LOAD_WARMUP", "15"))
KEEP = os.environ.get("LOAD_KEEP", "0") == "1"
SERIAL_REPEATS = 5
TARGET_MS = 200.0
TARGET_PAGES = ("dashboard", "productmatrix")
OUT = Path(os.environ.get("LOAD_OUT", REPO / "var" / "load"))


def _admin(sql: str, dbname: str = "postgres"):
    import psycopg

    parts = urllib.parse.urlsplit(DB_URL)
    with psycopg.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
                         password=parts.password, dbname=dbname, autocommit=True) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchall() if sql.lstrip().upper().startswith("SELECT") else None


def _dbname() -> str:
    return urllib.parse.urlsplit(DB_URL).path.lstrip("/")


def _env(data_dir: Path) -> dict:
    return {**os.environ, "DATABASE_URL": DB_URL, "HARMONIE_DATA_DIR": str(data_dir), "HARMONIE_DEBUG": "0",
            "HARMONIE_SECRET_KEY": os.environ.get("HARMONIE_SECRET_KEY", "belasting-" + "k" * 50),
            "HARMONIE_ALLOWED_HOSTS": "127.0.0.1,localhost", "DJANGO_SETTINGS_MODULE": "harmonie.settings",
            "PYTHONPATH": str(REPO)}


def _wait_for_port(port: int, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.5)
    raise RuntimeError(f"de server luistert na {seconds} s nog niet op poort {port}")


def _descendants(pid: int) -> list[int]:
    """The process and all processes below it (``harmonie serve`` → gunicorn master → web processes)."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def _cpu_seconds(pid: int) -> float:
    """CPU seconds (utime + stime) of a process and every process below it, from /proc. A child that exits during
    the measurement loses its share; gunicorn keeps its web processes for the whole run."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for p in _descendants(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in fields[11:13]) / tick
    return total


def _pages(env: dict) -> list[tuple[str, str, float]]:
    """(name, path, weight): resolved by URL name in a Django process (a page whose URL does not exist yet is
    left out and reported)."""
    code = (
        "import json, django; django.setup()\n"
        "from django.urls import reverse, NoReverseMatch\n"
        "from harmonie.core.layers import LAYER_KEYS\n"
        "slug = 'belasting'\n"
        "out = [('dashboard', reverse('web:workspace_detail', args=[slug]), 25)]\n"
        "out += [(f'laag:{k}', reverse('web:layer', args=[slug, k]), 30 / len(LAYER_KEYS)) for k in LAYER_KEYS]\n"
        "for name, url, w in [('productmatrix', 'products:matrix', 20), ('applicaties', 'applications:overview', 10),\n"
        "                     ('diagnose', 'diagnosis:overview', 15)]:\n"
        "    try:\n"
        "        out.append((name, reverse(url, kwargs={'slug': slug}), w))\n"
        "    except NoReverseMatch:\n"
        "        print('ONTBREEKT', name, flush=True)\n"
        "print(json.dumps(out))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    lines = result.stdout.strip().splitlines()
    for line in lines[:-1]:
        print(f"  let op: {line}")
    return [tuple(p) for p in json.loads(lines[-1])]


def _database_ready(env: dict) -> bool:
    if not _admin(f"SELECT 1 FROM pg_database WHERE datname = '{_dbname()}'"):
        return False
    code = "import django; django.setup()\nfrom harmonie.core.models import Workspace\n" \
           "print(Workspace.objects.filter(slug='belasting').exists())"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    return result.stdout.strip() == "True"


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    data_dir = OUT / "data"
    data_dir.mkdir(exist_ok=True)
    env = _env(data_dir)
    dbname = _dbname()
    build_info = {}
    if KEEP and _database_ready(env):
        print(f"Database {dbname} bestaat al met de werkruimte; hergebruikt (LOAD_KEEP=1).")
    else:
        print(f"Database {dbname} aanmaken, migreren en de werkruimte van 30 gemeenten bouwen ...", flush=True)
        _admin(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        _admin(f'CREATE DATABASE "{dbname}"')
        subprocess.run([str(BIN / "harmonie"), "migrate", "--no-input", "-v", "0"], env=env, check=True)
        built = subprocess.run([sys.executable, "-m", "load.build"], env=env, check=True, capture_output=True,
                               text=True, cwd=REPO)
        build_info = json.loads(built.stdout.strip().splitlines()[-1])
        print(f"  gebouwd in {build_info['seconds']} s: {len(build_info['partners'])} partners, "
              f"{build_info['products']} producten", flush=True)
    pages = _pages(env)
    with socket.socket() as sock:
        if sock.connect_ex(("127.0.0.1", PORT)) == 0:
            print(f"FOUT: poort {PORT} is al in gebruik door een ander proces; kies een andere met LOAD_PORT.")
            return 2
    server_cmd = os.environ.get("LOAD_SERVER", f"{BIN / 'harmonie'} serve").split() + [f"127.0.0.1:{PORT}"]
    server = subprocess.Popen(server_cmd, env=env, cwd=REPO, stdout=subprocess.DEVNULL,
                              stderr=open(OUT / "server.log", "w"), start_new_session=True)
    try:
        _wait_for_port(PORT)
        names = ["belasting-coordinator", "belasting-lezer"] + [f"belasting-bijdrager-{i:02d}" for i in range(1, 31)]
        users = [User(names[i % len(names)]) for i in range(USERS)]
        password = os.environ.get("LOAD_PASSWORD", "belasting-wachtwoord-2026")
        with ThreadPoolExecutor(max_workers=4) as pool:  # a login costs an argon2 hash: a few in parallel
            list(pool.map(lambda u: login("127.0.0.1", PORT, u, password), users))
        # every page once, so first-request costs (template compilation, imports) stay out of the figures
        for _name, path, _w in pages:
            request("127.0.0.1", PORT, "GET", path, users[0])
        uptime_before = Path("/proc/loadavg").read_text().split()[:3]
        cpu_before = _cpu_seconds(server.pid)
        gen = OpenLoop("127.0.0.1", PORT, users, pages, rate=RATE)
        wall = gen.run(SECONDS, warmup=WARMUP)
        cpu_server = _cpu_seconds(server.pid) - cpu_before
        uptime_after = Path("/proc/loadavg").read_text().split()[:3]
        # service time per page without concurrency, after the run: by then every web process has its caches,
        # so this is what one request costs on a warm server, whatever the queue
        serial = {}
        for name, path, _w in pages:
            times = []
            for _ in range(SERIAL_REPEATS):
                t = time.monotonic()
                request("127.0.0.1", PORT, "GET", path, users[0])
                times.append((time.monotonic() - t) * 1000)
            serial[name] = round(percentile(times, 50), 1)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        if not KEEP:
            _admin(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
    rows, failed = [], False
    for name, _path, _w in pages:
        samples = [s for s in gen.samples if s.page == name]
        ok = [s.latency * 1000 for s in samples if not s.error]
        errors = [s.error for s in samples if s.error]
        row = {"page": name, "requests": len(samples), "errors": len(errors),
               "p50_ms": round(percentile(ok, 50), 1), "p95_ms": round(percentile(ok, 95), 1),
               "p99_ms": round(percentile(ok, 99), 1), "max_ms": round(max(ok), 1) if ok else None,
               "service_p95_ms": round(percentile([s.service * 1000 for s in samples if not s.error], 95), 1),
               "serial_p50_ms": serial.get(name), "first_errors": sorted(set(errors))[:3]}
        rows.append(row)
        if errors or (name in TARGET_PAGES and not row["p95_ms"] <= TARGET_MS):
            failed = True
    missing = [p for p in TARGET_PAGES if p not in [r["page"] for r in rows]]
    total = len(gen.samples)
    result = {"users": USERS, "rate_target": RATE, "rate_achieved": round(total / wall, 2), "seconds": round(wall, 1),
              "requests": total, "errors": sum(r["errors"] for r in rows), "no_ready_user": gen.no_ready_user,
              "server": " ".join(server_cmd), "server_cpu_seconds": round(cpu_server, 1),
              "server_cpu_share": round(cpu_server / wall, 2), "loadavg_before": uptime_before,
              "loadavg_after": uptime_after, "cores": os.cpu_count(), "pages": rows, "build": build_info,
              "missing_pages": missing, "target_ms": TARGET_MS, "passed": not failed and not missing,
              "when": time.strftime("%Y-%m-%d %H:%M:%S %Z")}
    (OUT / "results.json").write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"\n{'pagina':26} {'verzoeken':>9} {'fouten':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} "
          f"{'alleen ms':>9}")
    for r in rows:
        print(f"{r['page']:26} {r['requests']:>9} {r['errors']:>6} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['p99_ms']:>8} "
              f"{r['max_ms']!s:>8} {r['serial_p50_ms']!s:>9}")
        for error in r["first_errors"]:
            print(f"{'':28}fout: {error}")
    print(f"\n{total} verzoeken in {wall:.0f} s = {total / wall:.1f}/s (doel {RATE:g}/s); {USERS} gebruikers; "
          f"geen vrije gebruiker: {gen.no_ready_user}x")
    print(f"Server ({' '.join(server_cmd[-2:])}): {cpu_server:.0f} CPU-seconden ({cpu_server / wall:.2f} kern); "
          f"machinebelasting (loadavg 1/5/15 min) voor {' '.join(uptime_before)}, na {' '.join(uptime_after)} "
          f"op {os.cpu_count()} kernen.")
    print("('alleen ms': mediane tijd van de pagina zonder andere verzoeken tegelijk, na afloop gemeten op de warme server.)")
    if missing:
        print(f"Ontbrekende pagina's (URL bestaat nog niet): {', '.join(missing)}")
    print("Doel p95 <= 200 ms op dashboard en productmatrix, geen fouten: " + ("GEHAALD" if result["passed"] else
                                                                               "NIET GEHAALD"))
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
