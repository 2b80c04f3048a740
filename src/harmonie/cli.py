"""The ``harmonie`` console script: Django's management commands under one name.

``harmonie migrate``, ``harmonie demo``, ``harmonie reference load upl FILE``,
``harmonie worker`` … are ordinary management commands; this wrapper only sets
the settings module so no ``manage.py`` is needed.
"""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harmonie.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "harmonie"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
