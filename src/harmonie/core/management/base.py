"""Base class for every ``harmonie`` command: one place for the CLI conventions.

Exit code 0 on success; 2 on bad input, with a Dutch message on stderr naming
the file, line or field (and no output file written); 1 on any other failure.
``--help`` and argument errors are in plain Dutch, including Django's own
options and argparse's stock phrases, for every command and sub-command.
"""

import argparse
import re
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter, handle_default_options
from django.db import connections

from harmonie.core.errors import BadInput, HarmonieError

DUTCH_OPTION_HELP = {
    "help": "Toon deze hulp en stop.",
    "version": "Toon het versienummer en stop.",
    "verbosity": "Hoeveel uitvoer: 0 = weinig, 1 = normaal, 2 = veel, 3 = zeer veel.",
    "settings": "Python-pad naar een instellingenmodule (standaard harmonie.settings).",
    "pythonpath": "Map die aan het Python-pad wordt toegevoegd.",
    "traceback": "Toon bij een fout de volledige technische foutmelding.",
    "no_color": "Geen kleur in de uitvoer.",
    "force_color": "Altijd kleur in de uitvoer.",
    "skip_checks": "Sla de systeemcontroles over.",
}

# argparse's English error phrases → Dutch (argparse ships no Dutch catalogue).
_ERRORS = [
    (re.compile(r"argument (.+?): invalid choice: (.+?) \(choose from (.+)\)"), r"\1: ongeldige keuze \2 (kies uit \3)"),
    (re.compile(r"the following arguments are required: (.+)"), r"deze argumenten ontbreken: \1"),
    (re.compile(r"unrecognized arguments: (.+)"), r"onbekende argumenten: \1"),
    (re.compile(r"argument (.+?): expected one argument"), r"\1: verwacht één waarde"),
    (re.compile(r"argument (.+?): expected at least one argument"), r"\1: verwacht minstens één waarde"),
    (re.compile(r"argument (.+?): invalid (\w+) value: (.+)"), r"\1: ongeldige waarde \3"),
]


def dutch_error_message(message: str) -> str:
    for pattern, replacement in _ERRORS:
        message = pattern.sub(replacement, message)
    return message


class DutchHelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, prefix="gebruik: " if prefix is None else prefix)


def _dutch_parser(parser):
    parser.formatter_class = DutchHelpFormatter
    parser._positionals.title = "argumenten"
    parser._optionals.title = "opties"

    def error(message, _parser=parser):
        _parser.print_usage(sys.stderr)
        _parser.exit(2, f"{_parser.prog}: fout: {dutch_error_message(message)}\n")

    parser.error = error
    for action in parser._actions:
        if action.dest in DUTCH_OPTION_HELP:
            action.help = DUTCH_OPTION_HELP[action.dest]
        if isinstance(action, argparse._SubParsersAction):
            action.title = "opdrachten"
            for sub in set(action.choices.values()):
                _dutch_parser(sub)
    return parser


class HarmonieCommand(BaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", DutchHelpFormatter)
        return _dutch_parser(super().create_parser(prog_name, subcommand, **kwargs))

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except BadInput as exc:
            raise CommandError(exc.message, returncode=2) from exc
        except HarmonieError as exc:
            raise CommandError(exc.message, returncode=1) from exc

    def run_from_argv(self, argv):
        """Like Django's, but errors read 'Fout: …' instead of 'CommandError: …'."""
        self._called_from_command_line = True
        parser = self.create_parser(argv[0], argv[1])
        options = parser.parse_args(argv[2:])
        cmd_options = vars(options)
        args = cmd_options.pop("args", ())
        handle_default_options(options)
        try:
            self.execute(*args, **cmd_options)
        except CommandError as exc:
            if options.traceback:
                raise
            self.stderr.write(f"Fout: {exc}")
            sys.exit(exc.returncode)
        except Exception as exc:  # noqa: BLE001 - exit 1 with a readable line, details with --traceback
            if options.traceback:
                raise
            self.stderr.write(f"Fout: {exc}")
            sys.exit(1)
        finally:
            try:
                connections.close_all()
            except ImproperlyConfigured:
                pass

    @staticmethod
    def write_atomically(path, write):
        """Write an output file via a temporary name, so a failure leaves none behind.

        The file gets the usual permissions (0666 minus the umask), not the
        0600 that a temporary file is created with.
        """
        import os
        import tempfile
        from pathlib import Path

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                write(handle)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
