"""``make load``: the load test against PostgreSQL (see docs/belasting-en-fuzzing.md)."""
