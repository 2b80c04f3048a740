"""Catalogue importers (one registry): SC CSV, SC SRU XML, the SRU harvester, and mapped CSV/XLSX.

Each returns a ``base.Catalogue`` of ``ProductRow``s; ``services.catalogue`` stores them (atomic, idempotent).
"""

from .base import Catalogue, ProductRow, check_size, gunzip, repair_mojibake
from .harvester import harvest
from .mapped import FIELDS as MAPPED_FIELDS
from .mapped import columns_of, guess_mapping, parse_mapped
from .sc import parse_sc_csv, parse_sc_xml, parse_sru

PARSERS = {"sc-csv": parse_sc_csv, "sc-xml": parse_sc_xml}

__all__ = ["Catalogue", "ProductRow", "PARSERS", "MAPPED_FIELDS", "check_size", "columns_of", "guess_mapping",
           "gunzip", "harvest", "parse_mapped", "parse_sc_csv", "parse_sc_xml", "parse_sru", "repair_mojibake"]
