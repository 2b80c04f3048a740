"""Demo bpmn for the fictional partners."""
