"""``make fuzz``: hostile and broken input for every importer (not collected by ``make test``)."""
