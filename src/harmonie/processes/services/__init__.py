"""Werkprocessen layer services: the one entry point that views, API, CLI and jobs call.

Split by subject and re-exported here:

* ``logs`` — event logs: reading, comparing (``compare_logs`` of ``harmonie processes compare``), importing
  per partner and the workspace comparison;
* ``definitions`` — zaaktypen: Open Zaak ZIP, ZGW Catalogi API, i-Navigator, their comparison and export;
* ``bpmn`` — process models: BPMN import/export, activity matching, the reference process.
"""

from .logs import *  # noqa: F401,F403
from .logs import analyse_logs, compare_logs  # noqa: F401
from .definitions import *  # noqa: F401,F403
from .bpmn import *  # noqa: F401,F403
