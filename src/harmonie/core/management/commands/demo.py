from harmonie.core.demo import build_demo
from harmonie.core.management.base import HarmonieCommand


class Command(HarmonieCommand):
    help = ("Maak of ververs het demo-samenwerkingsverband (korte naam 'demo') met fictieve gemeenten en "
            "gegevens, en toon de inloggegevens. Bestaande demogegevens worden bijgewerkt, niet verdubbeld.")

    def handle(self, *args, **options):
        result = build_demo()
        self.stdout.write(f"Demo-samenwerkingsverband klaar: {result.workspace.name} (korte naam '{result.workspace.slug}').")
        self.stdout.write("Inloggen met:")
        for username, password, role in result.logins:
            self.stdout.write(f"  gebruikersnaam {username:<22} wachtwoord {password}   ({role})")
