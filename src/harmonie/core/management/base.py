"""Base class for every ``harmonie`` command: one place for the CLI conventions.

Exit code 0 on success; 2 on bad input, with a Dutch message on stderr naming
the file, line or field (and no output file written); 1 on any other failure.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from harmonie.core.errors import BadInput, HarmonieError


class HarmonieCommand(BaseCommand):
    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except BadInput as exc:
            raise CommandError(exc.message, returncode=2) from exc
        except HarmonieError as exc:
            raise CommandError(exc.message, returncode=1) from exc

    def run_from_argv(self, argv):
        try:
            super().run_from_argv(argv)
        except SystemExit:
            raise
        except CommandError:
            raise
        except Exception as exc:  # noqa: BLE001 - exit 1 with a readable line, details with --traceback
            if "--traceback" in argv:
                raise
            sys.stderr.write(f"Fout: {exc}\n")
            sys.exit(1)

    @staticmethod
    def write_atomically(path, write):
        """Write an output file via a temporary name, so a failure leaves none behind."""
        import os
        import tempfile
        from pathlib import Path

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                write(handle)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
