import os
import signal
import subprocess
import sys

from django.core.management import call_command

from harmonie.core.management.base import HarmonieCommand


class Command(HarmonieCommand):
    help = "Start de webapplicatie én de achtergrondverwerker (voor gebruik op één machine, zoals 'make run')."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="Adres en poort (standaard 127.0.0.1:8000).")

    def handle(self, *args, addrport, **options):
        self.stdout.write(f"Harmonie draait op http://{addrport}/ (stoppen met Ctrl+C).")
        worker = subprocess.Popen([sys.executable, "-m", "harmonie.cli", "worker"], env=os.environ.copy())
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
