"""Pure-Python analysis of the people layer (no Django imports): validation of answers,
scoring (culture, readiness, urgency), differences, k-anonymity suppression, the results
report and the steering comparison."""
