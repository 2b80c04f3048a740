"""Werkprocessen pages, split by subject: ``logs`` (event logs, comparison, process maps), ``definitions``
(zaaktypen) and ``bpmn`` (process models, activity matching, the reference process)."""
