"""Demo catalogues for the fictional partners (registered with ``harmonie.core.demo``)."""
