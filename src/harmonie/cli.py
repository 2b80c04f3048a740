"""The ``harmonie`` console script: Django's management commands under one name.

``harmonie migrate``, ``harmonie demo``, ``harmonie reference load upl FILE``,
``harmonie worker`` … are ordinary management commands; this wrapper sets the
settings module (no ``manage.py`` needed) and replaces Django's English list
of every command with a Dutch overview of Harmonie's own commands.
"""

import os
import sys

# Django commands a Harmonie user needs; the rest stays reachable (harmonie help --alles).
USEFUL_DJANGO_COMMANDS = {
    "migrate": "Database aanmaken of bijwerken (de database die DATABASE_URL noemt; standaard SQLite in var/).",
    "createsuperuser": "Een beheerdersaccount aanmaken.",
    "changepassword": "Het wachtwoord van een account wijzigen.",
    "check": "De installatie controleren (met --deploy: de productie-instellingen).",
    "spectacular": "Het OpenAPI-schema genereren (make schema).",
}


def _overview() -> str:
    import django
    from django.core.management import get_commands, load_command_class

    django.setup()
    lines = ["Harmonie – werkbank voor samenwerkende gemeenten.", "",
             "gebruik: harmonie OPDRACHT [opties]   (harmonie OPDRACHT --help legt een opdracht uit)", "",
             "Opdrachten van Harmonie:"]
    commands = get_commands()
    for name, app in sorted(commands.items()):
        if not app.startswith("harmonie."):
            continue
        text = (load_command_class(app, name).help or "").strip()
        first = text.split(". ")[0].rstrip(".") + "." if text else ""
        lines.append(f"  {name:<16} {first}")
    lines += ["", "Algemene opdrachten:"]
    lines += [f"  {name:<16} {text}" for name, text in USEFUL_DJANGO_COMMANDS.items()]
    lines += ["", "Alle technische Django-opdrachten: harmonie help --alles", "Handleiding: docs/index.md"]
    return "\n".join(lines)


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harmonie.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "harmonie"
    if argv[1:] in ([], ["-h"], ["--help"], ["help"]):
        print(_overview())
        return
    if argv[1:] == ["help", "--alles"]:
        argv = argv[:2]
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
