from django.core.management import call_command

from harmonie.core.jobs import reap_stale_jobs
from harmonie.core.management.base import HarmonieCommand


class Command(HarmonieCommand):
    help = ("Start de achtergrondverwerker: voert imports, analyses en rapporten uit de wachtrij uit. "
            "Taken die nog 'bezig' stonden van een gestopte verwerker worden eerst als mislukt gemarkeerd, "
            "zodat u ze opnieuw kunt starten.")

    def add_arguments(self, parser):
        parser.add_argument("--max-tasks", type=int, default=None, help="Stop na dit aantal taken (voor tests).")
        parser.add_argument("--only-reaper", action="store_true", help=(
            "Markeer alleen vastgelopen taken als mislukt en stop."))

    def handle(self, *args, max_tasks=None, only_reaper=False, **options):
        reaped = reap_stale_jobs()
        if reaped:
            self.stderr.write(f"{reaped} onderbroken taak/taken als mislukt gemarkeerd.")
        if only_reaper:
            return
        kwargs = {"startup_delay": False, "interval": 0.5}
        if max_tasks:
            kwargs["max_tasks"] = max_tasks
        call_command("db_worker", **kwargs)
