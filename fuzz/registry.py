"""The one list of fuzzed importers. Adding an importer = adding one ``Importer`` entry to ``IMPORTERS``.

Each entry names:

* ``parse(path, data, name)``: the parser-level entry point (pure parsing, no database);
* ``service(ctx, path, data, name)``: the service-level entry point (service + database), or None;
* ``setup(ctx)``: prepares what the service needs (workspace, partner, user, ...), once per worker;
* ``seeds()``: ``[(file name, bytes)]`` cut from the real files at run time;
* ``mutators``: which mutators apply (see ``mutators.py``);
* ``generated``: ``{format: hint}`` for documents hypothesis generates from scratch (hint: column names,
  JSON keys or XML tags);
* ``must_refuse``: mutators whose output must end in ``BadInput`` (an XXE that parses is a finding);
* ``after_success(ctx)``: extra checks after a successful service call (e.g. exports neutralise formulas).

Imports of Harmonie modules happen inside the callables, after Django is set up by the runner.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import mutators as m
from . import seeds as s
from .config import MAX_BYTES

XML_ATTACK_NAMES = {"xxe", "billion_laughs", "quadratic_blowup"}
ZIP_ATTACK_NAMES = {"zip_bomb", "zip_traversal"}


@dataclass
class Importer:
    name: str
    parse: Callable
    seeds: Callable[[], list]
    mutators: list
    service: Callable | None = None
    setup: Callable | None = None
    generated: dict = field(default_factory=dict)
    must_refuse: set = field(default_factory=set)
    after_success: Callable | None = None
    suffix: str = ""  # forced file suffix (parsers that look at the file name); "" keeps the seed's name
    available: Callable[[], bool] = lambda: True  # False: the code under test has not landed yet
    size_check_in_service: bool = False  # the upload limit is the service's job: "oversized" only counts there
    _seeds: list | None = field(default=None, init=False, repr=False, compare=False)

    def load_seeds(self) -> list[tuple[str, bytes]]:
        # Once per entry: the strategy and the runner both ask, and some seeds are built in the database
        # (the workspace archive exports a workspace it creates; a second build hit its unique slug).
        if self._seeds is None:
            self._seeds = [(name, bytes(data)) for name, data in self.seeds()]
        return self._seeds

    def file_name(self, seed_name: str) -> str:
        if not self.suffix:
            return seed_name
        return Path(seed_name).stem.split(".")[0] + self.suffix


def _module_exists(name: str) -> Callable[[], bool]:
    def check() -> bool:
        import importlib.util

        try:
            return importlib.util.find_spec(name) is not None
        except ModuleNotFoundError:
            return False

    return check


# --- reference lists ------------------------------------------------------------------------


def _reference_parse(kind):
    def parse(path, data, name):
        from harmonie.reference import importers

        return importers.parse(kind, path, max_bytes=MAX_BYTES)

    return parse


def _reference_service(kind):
    def service(ctx, path, data, name):
        from harmonie.reference.services import load_reference

        return load_reference(kind, path, user=ctx.get("coordinator"))

    return service


# --- applications: portfolios -----------------------------------------------------------------


def _workspace_setup(ctx, partner_name="Lindeveen", cbs_code="GM9901"):
    from harmonie.core.factories import PartnerFactory, UserFactory, WorkspaceFactory
    from harmonie.core.models import Membership, Role
    from harmonie.reference.services import ensure_excerpt_loaded

    ensure_excerpt_loaded()
    workspace = WorkspaceFactory(slug="fuzz")
    partner = PartnerFactory(workspace=workspace, name=partner_name, cbs_code=cbs_code)
    PartnerFactory(workspace=workspace, name="Brakelburg", cbs_code="GM9902")
    coordinator = UserFactory(username="fuzz-coordinator")
    Membership.objects.create(user=coordinator, workspace=workspace, role=Role.COORDINATOR)
    ctx.update(workspace=workspace, partner=partner, coordinator=coordinator)


def _portfolio_parse(path, data, name):
    from harmonie.applications import importers

    return importers.parse(data, name, known_components=lambda text: False)


def _portfolio_service(ctx, path, data, name):
    from harmonie.applications.services import import_portfolio

    return import_portfolio(ctx["coordinator"], ctx["workspace"], ctx["partner"], data, name)


def _portfolio_exports(ctx):
    """Every text cell of the XLSX export is neutralised: no formula, nothing that starts with = + - @."""
    import io

    from openpyxl import load_workbook

    from harmonie.applications.services import export_ameff, export_xlsx
    from harmonie.core.spreadsheet import FORMULA_START

    book = load_workbook(io.BytesIO(export_xlsx(ctx["workspace"])))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith(FORMULA_START)):
                    raise AssertionError(f"export: cel {sheet.title}!{cell.coordinate} is niet geneutraliseerd: "
                                         f"{cell.value!r}")
    export_ameff(ctx["workspace"])  # must not fail on what the import accepted


PORTFOLIO_COLUMNS = ["partner", "application", "supplier", "product", "version", "referentiecomponent",
                     "contract_end", "yearly_cost", "users", "hosting", "applicatie", "kosten", "gebruikers"]
AMEFF_TAGS = ["model", "name", "elements", "element", "relationships", "relationship", "properties", "property",
              "value", "propertyDefinitions", "propertyDefinition", "organizations", "item", "label", "documentation"]


# --- processes: event logs ----------------------------------------------------------------------


def _log_parse(path, data, name):
    from harmonie.processes.analysis.readers import read_log

    return read_log(path)


def _log_service(ctx, path, data, name):
    from harmonie.processes.services.logs import analyse_logs

    return analyse_logs([path])


def _eventlog_seeds():
    return [("BPIC15_1-fragment.xes", s.xes_small()), ("BPIC15_1-fragment.csv", s.eventlog_csv_small()),
            ("BPIC15_1-fragment.parquet", s.eventlog_parquet_small())]


XES_TAGS = ["log", "trace", "event", "string", "date", "int", "float", "boolean", "list", "extension", "global"]


# --- people: survey submissions -------------------------------------------------------------------


def _valid_answers() -> dict:
    from harmonie.people.instruments import ALL_FIELDS, CULTURE_PERSPECTIVES

    perspectives = {key for key, _label in CULTURE_PERSPECTIVES}
    return {name: ("Prima zo." if name == "opmerking" else 25 if name.split("-")[0] in perspectives else 3)
            for name in ALL_FIELDS}


def _survey_seeds():
    answers = _valid_answers()
    as_text = {k: str(v) for k, v in answers.items()}
    return [("antwoorden.json", json.dumps(answers).encode()), ("antwoorden-tekst.json", json.dumps(as_text).encode())]


def _form(data: bytes) -> dict:
    from harmonie.core.errors import BadInput

    try:
        value = json.loads(data.decode("utf-8", "replace"))
    except (ValueError, RecursionError):
        raise BadInput("geen formulier (de fuzzer kon de invoer niet als formulier lezen)") from None
    return value if isinstance(value, dict) else {"opmerking": value}


def _survey_parse(path, data, name):
    from harmonie.people.analysis.validation import validate_all

    return validate_all(_form(data))


def _survey_setup(ctx):
    import datetime

    from harmonie.people.services import create_survey

    _workspace_setup(ctx)
    today = datetime.date.today()
    ctx["survey"] = create_survey(ctx["coordinator"], ctx["workspace"], title="Fuzzronde",
                                  opens_on=today - datetime.timedelta(days=1),
                                  closes_on=today + datetime.timedelta(days=30))


def _survey_service(ctx, path, data, name):
    from harmonie.people.services import generate_links, submit

    answers = _form(data)
    _batch, tokens = ctx.pop("next_tokens", None) or generate_links(None, ctx["survey"], partner=ctx["partner"].pk,
                                                                     count=1)
    return submit(tokens[0], answers, client_key="")


def _survey_prepare(ctx):
    """Create the link before the row counts are taken: the measured call is the submission only."""
    from harmonie.people.services import generate_links

    ctx["next_tokens"] = generate_links(None, ctx["survey"], partner=ctx["partner"].pk, count=1)


def _survey_fields():
    from harmonie.people.instruments import ALL_FIELDS

    return list(ALL_FIELDS)


# --- products: CSV input of 'upl learn' / 'upl match' ---------------------------------------------


def _upl_csv_parse(path, data, name):
    from harmonie.products.services.upl import _query_rows, read_csv

    return _query_rows(read_csv(path, required=("id", "title")))


def _upl_match_service(ctx, path, data, name):
    from harmonie.products.services.upl import match_upl

    return match_upl(path, top=3)


def _upl_learn_service(ctx, path, data, name):
    from harmonie.products.services.upl import learn_upl

    return learn_upl(path)


# --- products: catalogues (SC CSV, SC SRU XML, harvester responses, mapped CSV/XLSX) ---------------


def _tholen(ctx):
    _workspace_setup(ctx, "Tholen", "GM0716")


def _den_bosch(ctx):
    _workspace_setup(ctx, "'s-Hertogenbosch", "GM0796")


def _sc_parse(kind):
    def parse(path, data, name):
        from harmonie.products import importers

        # as services.catalogue.parse_source does before it hands the bytes to a parser
        importers.check_size(data, name, MAX_BYTES)
        data = importers.gunzip(data, name, MAX_BYTES)
        if kind == "sc-csv":
            return importers.parse_sc_csv(data, name, None, "'s-Hertogenbosch")
        if kind == "sc-xml":
            return importers.parse_sc_xml(data, name, None, "Tholen")
        mapping = importers.guess_mapping(importers.columns_of(data, name))
        return importers.parse_mapped(data, name, mapping)

    return parse


def _catalogue_service(kind):
    def service(ctx, path, data, name):
        from harmonie.products.services.catalogue import import_catalogue, parse_source

        mapping = None
        if kind == "mapped":
            from harmonie.products import importers

            mapping = importers.guess_mapping(importers.columns_of(data, name))
        catalogue = parse_source(kind, data, name, ctx["partner"], mapping)
        return import_catalogue(ctx["coordinator"], ctx["workspace"], ctx["partner"], catalogue, kind=kind,
                                source=name)

    return service


class _FakeResponse:
    """What ``urllib.request.urlopen`` returns, serving the case's bytes (harvester / ZGW API responses)."""

    def __init__(self, body: bytes):
        import io

        self._body = io.BytesIO(body)
        self.headers = {}
        self.status = 200

    def read(self, size=-1):
        return self._body.read(size)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _serve(parts: list[bytes]):
    """Patch urlopen (in this worker process only) to answer request i with ``parts[i]`` (the last part after)."""
    import urllib.request

    calls = {"n": 0}

    def urlopen(request, timeout=None):
        i = min(calls["n"], len(parts) - 1)
        calls["n"] += 1
        return _FakeResponse(parts[i])

    urllib.request.urlopen = urlopen


def _harvest_parse(path, data, name):
    from harmonie.products.importers import harvest

    _serve([data])
    return harvest("http://sru.invalid/sru", "Tholen", page_size=10, timeout=5, max_bytes=MAX_BYTES, max_pages=3)


def _harvest_service(ctx, path, data, name):
    from harmonie.products.importers import harvest
    from harmonie.products.services.catalogue import import_catalogue

    _serve([data])
    catalogue = harvest("http://sru.invalid/sru", "Tholen", page_size=10, timeout=5, max_bytes=MAX_BYTES, max_pages=3)
    return import_catalogue(ctx["coordinator"], ctx["workspace"], ctx["partner"], catalogue, kind="sc-harvest",
                            source="http://sru.invalid/sru")


SC_COLUMNS = ["authority_label", "spatial_label", "identifier_url", "title", "abstract", "audience", "subject",
              "productID", "onlineAanvragen", "aanvraagURL", "upl_label", "upl_uri", "modified"]
SC_TAGS = ["searchRetrieveResponse", "numberOfRecords", "records", "record", "recordData", "gzd", "originalData",
           "scproduct", "meta", "owmskern", "identifier", "title", "modified", "spatial", "authority", "owmsmantel",
           "audience", "abstract", "subject", "scmeta", "productID", "onlineAanvragen", "aanvraagURL", "uniformeProductnaam"]


# --- processes: zaaktypen (Open Zaak ZIP, i-Navigator XML, ZGW API), BPMN, event-log import ------------


def _openzaak_resources():
    from harmonie.processes.tests.zgw_fixture import api_resources

    return api_resources()


def _openzaak_seeds():
    from harmonie.processes.tests.zgw_fixture import make_zip

    return [("catalogus-export.zip", make_zip(_openzaak_resources()))]


ZGW_BASE = "http://openzaak.test/catalogi/api/v1/"
ZGW_SECRET = "fuzz-geheim-" + "x" * 32


def _zgw_seeds():
    from harmonie.processes.importers.zgw import ENDPOINTS

    resources = _openzaak_resources()
    parts = [json.dumps({"count": len(resources.get(res, [])), "next": None, "previous": None,
                         "results": resources.get(res, [])}, ensure_ascii=False).encode() for res in ENDPOINTS]
    return [("catalogi-api.antwoorden", b"\n\x1e\n".join(parts))]


def _zgw_parse(path, data, name):
    from harmonie.processes.importers.zgw import ZgwClient

    _serve(data.split(b"\n\x1e\n"))
    return ZgwClient(ZGW_BASE, "fuzz", ZGW_SECRET).fetch_catalogue()


def _zgw_setup(ctx):
    from harmonie.processes.services.definitions import save_zgw_connection

    _workspace_setup(ctx)
    save_zgw_connection(ctx["coordinator"], ctx["partner"], base_url=ZGW_BASE, client_id="fuzz",
                        secret_env="FUZZ_ZGW_SECRET")


def _zgw_service(ctx, path, data, name):
    from harmonie.processes.services.definitions import fetch_zgw

    _serve(data.split(b"\n\x1e\n"))
    return fetch_zgw(ctx["coordinator"], ctx["workspace"], ctx["partner"], environ={"FUZZ_ZGW_SECRET": ZGW_SECRET})


def _definitions_parse(source):
    def parse(path, data, name):
        from harmonie.processes.importers import inavigator, openzaak

        # the upload limit, as the service passes it (services.definitions._parse)
        if source == "openzaak-zip":
            return openzaak.parse_zip(data, name, max_bytes=MAX_BYTES)
        return inavigator.parse(data, name, max_bytes=MAX_BYTES)

    return parse


def _definitions_service(source):
    def service(ctx, path, data, name):
        from harmonie.processes.services.definitions import import_definitions

        return import_definitions(ctx["coordinator"], ctx["workspace"], ctx["partner"], data, name, source)

    return service


def _bpmn_seeds():
    from harmonie.processes.tests import __file__ as tests_init

    folder = Path(tests_init).parent / "test_bpmn_files"
    return [(p.name, p.read_bytes()) for p in sorted(folder.glob("*.bpmn"))[:4]]


def _bpmn_parse(path, data, name):
    from harmonie.processes.importers.bpmn import parse_bpmn

    return parse_bpmn(data, name, max_bytes=MAX_BYTES)


def _bpmn_service(ctx, path, data, name):
    from harmonie.processes.services.bpmn import import_model

    return import_model(ctx["coordinator"], ctx["workspace"], ctx["partner"], data, name)


BPMN_TAGS = ["definitions", "process", "startEvent", "endEvent", "task", "userTask", "sequenceFlow", "laneSet",
             "lane", "flowNodeRef", "exclusiveGateway", "subProcess", "documentation", "collaboration", "participant"]


def _log_import_parse(path, data, name):
    from harmonie.processes.importers.logs import Pseudonymiser, read_upload

    return read_upload(path, name, pseudonymiser=Pseudonymiser(b"fuzz"), max_bytes=MAX_BYTES)


def _log_import_service(ctx, path, data, name):
    from harmonie.processes.services.logs import import_event_log

    return import_event_log(ctx["coordinator"], ctx["workspace"], ctx["partner"], path, name)


def _eventlog_xlsx() -> bytes:
    import csv
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in csv.reader(io.StringIO(s.eventlog_csv_small().decode())):
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


INAVIGATOR_TAGS = ["dsp", "preambule", "processen", "proces", "velden", "kernomschrijving", "naam", "resultaten",
                   "resultaat", "statussen", "status", "termijn", "eenheid", "vertrouwelijkheid", "datum-begin"]


# --- core: a whole samenwerkingsverband as ZIP ('harmonie workspace import') -------------------------


def _workspace_archive_seeds():
    import tempfile

    from harmonie.applications.demo import build_applications_demo
    from harmonie.core.exchange import export_workspace
    from harmonie.core.factories import PartnerFactory, WorkspaceFactory
    from harmonie.people.demo import build_people_demo
    from harmonie.reference.services import ensure_excerpt_loaded

    ensure_excerpt_loaded()
    workspace = WorkspaceFactory(slug="fuzz-bron", vision="Samen sterker.")
    partners = [PartnerFactory(workspace=workspace, name=n, cbs_code=c)
                for n, c in (("Lindeveen", "GM9901"), ("Brakelburg", "GM9902"))]
    build_people_demo(workspace, partners)
    build_applications_demo(workspace, partners)
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "samenwerking.zip"
        export_workspace("fuzz-bron", target)
        return [("samenwerking.zip", target.read_bytes())]


def _workspace_archive_parse(path, data, name):
    from harmonie.core.exchange import _Archive

    return _Archive(path)


def _workspace_archive_service(ctx, path, data, name):
    from harmonie.core.exchange import import_workspace

    ctx["n"] = ctx.get("n", 0) + 1
    return import_workspace(path, new_slug=f"fuzz-import-{ctx['n']}")


IMPORTERS: list[Importer] = [
    Importer("reference.upl", _reference_parse("upl"), service=_reference_service("upl"),
             seeds=lambda: [("UPL-actueel.csv", s.csv_head("upl/UPL-actueel-2025-04.csv", 40)),
                            ("UniformeProductnaam.json", s.json_head("owms-waardelijsten/UniformeProductnaam.json", 30)),
                            ("Gemeente-owms.xml", s.xml_records("owms-waardelijsten/Gemeente-owms-2021.xml", b"value",
                                                                20, b"</cv>"))],
             mutators=m.CSV + m.JSON + m.XML_ATTACKS + m.TREE_MUTATORS,
             generated={"csv": ["UniformeProductnaam", "URI", "Gemeente", "Burger", "SDG", "Grondslag", "startDate",
                                "endDate"],
                        "json": ["prefLabel", "resourceIdentifier", "startDate", "endDate", "head", "results",
                                 "bindings", "value", "URI", "UniformeProductnaam"],
                        "xml": ["cv", "value", "prefLabel", "resourceIdentifier", "startDate", "endDate"]},
             must_refuse=XML_ATTACK_NAMES | {"oversized"}),
    Importer("reference.gemma", _reference_parse("gemma"), service=_reference_service("gemma"),
             seeds=lambda: [("GEMMA_test.xml", (s.SHARED / "gemma/samples-ameff-GEMMA_test.xml").read_bytes())],
             mutators=m.XML, generated={"xml": AMEFF_TAGS}, must_refuse=XML_ATTACK_NAMES | {"oversized"}),
    Importer("reference.selectielijst", _reference_parse("selectielijst"), service=_reference_service("selectielijst"),
             seeds=lambda: [("procestypen.json", s.json_head("selectielijst/api-procestypen-2020.json", 6)),
                            ("resultaten.json", s.json_head("selectielijst/api-resultaten-2017-2020.json", 8)),
                            ("resultaattypeomschrijvingen.json",
                             s.json_head("selectielijst/api-resultaattypeomschrijvingen.json", 6))],
             mutators=m.JSON, generated={"json": ["url", "nummer", "jaar", "naam", "omschrijving", "procesType",
                                                  "waardering", "bewaartermijn", "volledigNummer", "definitie",
                                                  "procesobject", "next", "results"]},
             must_refuse={"oversized"}),
    Importer("reference.gemeenten", _reference_parse("gemeenten"), service=_reference_service("gemeenten"),
             seeds=lambda: [("gemeenten-tooi.csv", s.csv_head("tooi-organisaties/gemeenten-tooi.csv", 40)),
                            ("rwc_gemeenten.json", s.json_head("tooi-organisaties/rwc_gemeenten_compleet_4.json", 40))],
             mutators=m.CSV + m.JSON,
             generated={"csv": ["organisatiecode", "cbs_gemeentecode", "naam", "begindatum", "einddatum", "tooi_uri",
                                "owms_uri", "opvolger_code"],
                        "json": ["@id", "@type", "@graph", "@value",
                                 "https://identifier.overheid.nl/tooi/def/ont/gemeentecode",
                                 "https://identifier.overheid.nl/tooi/def/ont/officieleNaamExclSoort",
                                 "https://identifier.overheid.nl/tooi/def/ont/einddatum",
                                 "http://www.w3.org/ns/prov#invalidated", "http://www.w3.org/ns/prov#generated"]},
             must_refuse={"oversized"}),
    Importer("applications.portfolio", _portfolio_parse, service=_portfolio_service, setup=_workspace_setup,
             seeds=lambda: [("portfolio.csv", s.portfolio_csv()), ("portfolio.xlsx", s.portfolio_xlsx()),
                            ("GEMMA_test.xml", (s.SHARED / "gemma/samples-ameff-GEMMA_test.xml").read_bytes())],
             mutators=m.CSV + m.XML_ATTACKS + m.ZIP + m.TREE_MUTATORS,
             generated={"csv": PORTFOLIO_COLUMNS, "xlsx": PORTFOLIO_COLUMNS, "xml": AMEFF_TAGS},
             must_refuse=XML_ATTACK_NAMES | {"oversized", "zip_bomb"}, after_success=_portfolio_exports,
             size_check_in_service=True),
    Importer("processes.eventlog", _log_parse, service=_log_service, seeds=_eventlog_seeds,
             mutators=m.CSV + m.XML_ATTACKS + m.TREE_MUTATORS + [m.zip_corrupt],
             generated={"csv": ["case_id", "activity", "timestamp", "resource"], "xml": XES_TAGS},
             must_refuse=XML_ATTACK_NAMES),
    Importer("people.survey_submission", _survey_parse, service=_survey_service, setup=_survey_setup,
             seeds=_survey_seeds, mutators=[m.replace_text_node, m.byte_flip, m.truncate, m.deep_nesting,
                                            m.giant_field, m.insert_junk, m.duplicate_range],
             generated={"form": _survey_fields}),
    Importer("products.upl_match_csv", _upl_csv_parse, service=_upl_match_service, setup=_workspace_setup,
             seeds=lambda: [("producten.csv", s.upl_match_csv())], mutators=m.CSV,
             generated={"csv": ["id", "title", "abstract", "audience", "upl_uri"]}, suffix=".csv"),
    Importer("products.sc_csv", _sc_parse("sc-csv"), service=_catalogue_service("sc-csv"), setup=_den_bosch,
             seeds=lambda: [("sc-producten.csv", s.sc_csv_small())], mutators=m.CSV + [m.zip_wrap],
             generated={"csv": SC_COLUMNS}, must_refuse={"oversized"},
             available=_module_exists("harmonie.products.importers.sc")),
    Importer("products.sc_xml", _sc_parse("sc-xml"), service=_catalogue_service("sc-xml"), setup=_tholen,
             seeds=lambda: [("Tholen.xml", s.sc_xml_small())], mutators=m.XML, generated={"xml": SC_TAGS},
             must_refuse=XML_ATTACK_NAMES | {"oversized"}, available=_module_exists("harmonie.products.importers.sc")),
    Importer("products.mapped", _sc_parse("mapped"), service=_catalogue_service("mapped"), setup=_workspace_setup,
             seeds=lambda: [("eigen-catalogus.csv", s.upl_match_csv()), ("portfolio.xlsx", s.portfolio_xlsx())],
             mutators=m.CSV + m.ZIP, generated={"csv": ["titel", "id", "samenvatting", "doelgroep", "upl", "kosten"],
                                                "xlsx": ["titel", "id", "samenvatting", "doelgroep", "upl"]},
             must_refuse={"oversized", "zip_bomb"}, available=_module_exists("harmonie.products.importers.mapped")),
    Importer("products.harvester", _harvest_parse, service=_harvest_service, setup=_tholen,
             seeds=lambda: [("sru-pagina.xml", s.sc_xml_small().replace(b"<numberOfRecords>10<", b"<numberOfRecords>3<"))], mutators=m.XML, generated={"xml": SC_TAGS},
             must_refuse=XML_ATTACK_NAMES | {"oversized"},
             available=_module_exists("harmonie.products.importers.harvester")),
    Importer("processes.openzaak_zip", _definitions_parse("openzaak-zip"),
             service=_definitions_service("openzaak-zip"), setup=_workspace_setup, seeds=_openzaak_seeds,
             mutators=m.ZIP + [m.byte_flip, m.truncate], must_refuse={"oversized", "zip_bomb", "zip_traversal"},
             available=_module_exists("harmonie.processes.importers.openzaak")),
    Importer("processes.zgw_api", _zgw_parse, service=_zgw_service, setup=_zgw_setup, seeds=_zgw_seeds,
             mutators=m.JSON, generated={"json": ["url", "omschrijving", "zaaktype", "volgnummer", "naam", "results",
                                                   "next", "count", "informatieobjecttype", "doorlooptijd"]},
             available=_module_exists("harmonie.processes.importers.zgw")),
    Importer("processes.inavigator", _definitions_parse("inavigator"), service=_definitions_service("inavigator"),
             setup=_workspace_setup,
             seeds=lambda: [("i-navigator.xml", (s.SHARED / "inavigator/example-stripped-single.xml").read_bytes())],
             mutators=m.XML, generated={"xml": INAVIGATOR_TAGS}, must_refuse=XML_ATTACK_NAMES | {"oversized"},
             available=_module_exists("harmonie.processes.importers.inavigator")),
    Importer("processes.bpmn", _bpmn_parse, service=_bpmn_service, setup=_workspace_setup, seeds=_bpmn_seeds,
             mutators=m.XML, generated={"xml": BPMN_TAGS}, must_refuse=XML_ATTACK_NAMES | {"oversized"},
             available=_module_exists("harmonie.processes.importers.bpmn")),
    Importer("processes.log_import", _log_import_parse, service=_log_import_service, setup=_workspace_setup,
             seeds=lambda: _eventlog_seeds() + [("BPIC15_1-fragment.xlsx", _eventlog_xlsx())],
             mutators=m.CSV + m.XML_ATTACKS + m.TREE_MUTATORS + [m.zip_bomb, m.zip_corrupt],
             generated={"csv": ["case_id", "activity", "timestamp", "resource"], "xml": XES_TAGS},
             must_refuse=XML_ATTACK_NAMES | {"oversized", "zip_bomb"},
             available=_module_exists("harmonie.processes.importers.logs")),
    Importer("core.workspace_archive", _workspace_archive_parse, service=_workspace_archive_service,
             seeds=_workspace_archive_seeds, mutators=m.ZIP + [m.resign_member] * 6,
             must_refuse={"oversized", "zip_bomb", "zip_traversal"},
             available=_module_exists("harmonie.core.exchange")),
]

# Prepare hooks: run before the row counts of a service-level case are taken.
PREPARE = {"people.survey_submission": _survey_prepare}


def entries(names=None) -> list[Importer]:
    chosen = [e for e in IMPORTERS if not names or e.name in names or e.name.split(".")[0] in names]
    return [e for e in chosen if e.available()]
