"""Demo data of the Werkprocessen layer: zaaktypen (``definitions``), event logs (``logs``), models (``bpmn``)."""
