"""Products layer services: the one entry point that views, API, CLI and jobs call.

The layer is large, so the services are split by subject and re-exported here:

* ``upl`` — the UPL list, learning and matching (``learn_upl``, ``match_upl``, ``load_matcher``) and the
  file-based ``compare_catalog`` of ``harmonie catalog compare``;
* ``catalogue`` — importing partners' catalogues (SC CSV/XML, harvester, mapped CSV/XLSX) and confirming
  UPL mappings;
* ``matrix`` — the product matrix of a workspace, its harmonisation index, proposals and exports.
"""

from .upl import *  # noqa: F401,F403
from .upl import CsvTable, read_csv  # noqa: F401
from .catalogue import *  # noqa: F401,F403
from .matrix import *  # noqa: F401,F403
