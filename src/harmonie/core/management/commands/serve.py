import os
import signal
import subprocess
import sys

from harmonie.core.errors import BadInput, HarmonieError
from harmonie.core.management.base import HarmonieCommand


def default_web_workers() -> int:
    """Gunicorn's rule of thumb, 2 × cores + 1, capped: the pages are CPU-bound, and with more processes than
    cores a short page is not stuck behind a long one (the kernel shares the CPU between them)."""
    return min(2 * (os.cpu_count() or 1) + 1, 8)


def _stop(signum, frame):
    raise SystemExit(0)


class Command(HarmonieCommand):
    help = ("Start de webapplicatie (gunicorn, meerdere processen) én de achtergrondverwerker, voor gebruik op één "
            "machine zoals 'make run'.")

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="Adres en poort (standaard 127.0.0.1:8000).")
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("HARMONIE_WEB_WORKERS", 0)) or default_web_workers(),
            help="Aantal webprocessen (standaard HARMONIE_WEB_WORKERS, anders 2 × het aantal kernen + 1, hoogstens 8).")

    def handle(self, *args, addrport, workers, **options):
        if workers < 1:
            raise BadInput(f"--workers moet minstens 1 zijn (gegeven: {workers}).")
        self.stdout.write(f"Harmonie draait op http://{addrport}/ met {workers} webprocessen (stoppen met Ctrl+C).")
        self.stdout.flush()
        env = os.environ.copy()
        worker = subprocess.Popen([sys.executable, "-m", "harmonie.cli", "worker"], env=env)
        # --preload imports Django once in the master, so the web processes share that memory and start at once.
        web = subprocess.Popen([
            sys.executable, "-m", "gunicorn", "harmonie.wsgi:application", "--bind", addrport,
            "--workers", str(workers), "--preload",
            # gunicorn's control socket has one fixed path per user: two instances (make run in two clones) would clash
            "--no-control-socket", "--timeout", "120", "--graceful-timeout", "10",
            "--access-logfile", "-", "--access-logformat", '%(t)s "%(r)s" %(s)s %(b)s %(M)sms',
        ], env=env)
        # SIGTERM (from a service manager or `make load`) stops both children, as Ctrl+C does
        signal.signal(signal.SIGTERM, _stop)
        try:
            code = web.wait()
        except (KeyboardInterrupt, SystemExit):
            code = 0
        finally:
            for process in (web, worker):
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in (web, worker):
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
        if code:
            raise HarmonieError(f"de webserver stopte met code {code}; zie de meldingen hierboven.")
