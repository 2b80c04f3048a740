"""``harmonie audit verify``: check the tamper-evident audit log (hash chain)."""

from django.core.management.base import CommandError

from harmonie.core.audit import verify_chain
from harmonie.core.management.base import HarmonieCommand


class Command(HarmonieCommand):
    help = ("Auditlog. 'verify' controleert de hashketen van het auditlog: elke regel bevat de hash van "
            "zijn eigen inhoud en van de vorige regel. Exitcode 0 als de keten intact is, 1 met de eerste "
            "kapotte regel als een regel is gewijzigd, verwijderd of ingevoegd.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="actie")
        sub.add_parser("verify", help="Controleer de hashketen van het auditlog.")

    def handle(self, *args, action=None, **options):
        if action == "verify":
            report = verify_chain()
            if not report.ok:
                raise CommandError(report.message, returncode=1)
            self.stdout.write(f"Auditlog intact: {report.checked} regels gecontroleerd. "
                              f"Laatste hash: {report.last_hash}")
