"""The SRU harvester, offline: a local http.server in a thread serves the real Vlieland.xml split into pages
(built here from the real file), with the service's startRecord/maximumRecords/nextRecordPosition paging; plus
HTTP errors, timeouts, malformed and oversized responses, and a harvest as a job into the database."""

import re
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import require_shared

from harmonie.core.errors import BadInput
from harmonie.products.importers import harvest
from harmonie.products.importers.harvester import page_url

SERVER_MAX = 10  # the test service never gives more than 10 records per page, like a real service's cap


def split_pages_source():
    text = require_shared("sc/Vlieland.xml").read_text(encoding="utf-8")
    start = text.index("<records>") + len("<records>")
    end = text.index("</records>")
    records = re.findall(r"<record>.*?</record>", text[start:end], flags=re.S)
    return text[:start], records, text[end + len("</records>"):]


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, body: bytes, status=200, content_type="text/xml; charset=UTF-8"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 - http.server API
        parts = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(parts.query))
        self.server.requests.append((parts.path, query))
        head, records, tail = self.server.pages
        if parts.path == "/fout":
            return self.send(b"<html>Service Unavailable</html>", status=503, content_type="text/html")
        if parts.path == "/traag":
            time.sleep(1.5)
        start = int(query.get("startRecord", "1"))
        size = min(int(query.get("maximumRecords", "10")), SERVER_MAX)
        authority = re.fullmatch(r'authority=="(.+)"', query.get("query", ""))
        chosen = records[start - 1:start - 1 + size] if authority and authority.group(1) == "Vlieland" else []
        total = len(records) if chosen or start == 1 and authority and authority.group(1) == "Vlieland" else 0
        after = start + len(chosen)
        next_part = f"<nextRecordPosition>{after}</nextRecordPosition>" if after <= total else ""
        if parts.path == "/lus" and start > 1:
            next_part = f"<nextRecordPosition>{start}</nextRecordPosition>"
        body = (head.replace("<numberOfRecords>43</numberOfRecords>", f"<numberOfRecords>{total}</numberOfRecords>")
                + "".join(chosen) + "</records>" + next_part + tail)
        if parts.path == "/kapot" and start > 1:
            body = body[: len(body) // 2]
        if parts.path == "/groot":
            body = body + "<!--" + "x" * 300_000 + "-->"
        return self.send(body.encode("utf-8"))


@pytest.fixture
def sru():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.pages = split_pages_source()
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_pages_are_the_real_file_split():
    head, records, tail = split_pages_source()
    assert len(records) == 43 and "<numberOfRecords>43</numberOfRecords>" in head and "facetedResults" in tail


def test_harvest_follows_the_paging_to_the_end(sru):
    server, base = sru
    seen = []
    catalogue = harvest(f"{base}/sru/Search", "Vlieland", page_size=100, timeout=5,
                        progress=lambda done, total: seen.append((done, total)))
    assert len(catalogue.rows) == 43 and catalogue.format == "harvest"
    assert len({r.source_key for r in catalogue.rows}) == 43
    assert [r.line for r in catalogue.rows] == list(range(1, 44))
    assert catalogue.rows[0].title == "Vergoeding leerlingenvervoer"
    starts = [int(q["startRecord"]) for _p, q in server.requests]
    assert starts == [1, 11, 21, 31, 41]  # the service's nextRecordPosition, not the client's page size
    query = server.requests[0][1]
    assert query["query"] == 'authority=="Vlieland"' and query["operation"] == "searchRetrieve"
    assert query["x-connection"] == "sc" and query["version"] == "1.2" and query["maximumRecords"] == "100"
    assert seen[-1] == (43, 43)


def test_smaller_client_pages_and_existing_query_parameters(sru):
    server, base = sru
    catalogue = harvest(f"{base}/sru/Search?x-connection=sc&extra=1", "Vlieland", page_size=7, timeout=5)
    assert len(catalogue.rows) == 43 and len(server.requests) == 7
    assert all(q["extra"] == "1" and q["maximumRecords"] == "7" for _p, q in server.requests)
    assert page_url("https://zoekdienst.example/sru/Search", "Súdwest-Fryslân", 21, 50).endswith(
        "query=authority%3D%3D%22S%C3%BAdwest-Frysl%C3%A2n%22&startRecord=21&maximumRecords=50")


def test_unknown_authority_gives_a_dutch_message(sru):
    _server, base = sru
    with pytest.raises(BadInput, match="geen producten voor 'Atlantis'"):
        harvest(f"{base}/sru/Search", "Atlantis", timeout=5)
    with pytest.raises(BadInput, match="aanhalingstekens"):
        harvest(f"{base}/sru/Search", 'Vlieland" OR "1"=="1', timeout=5)


def test_http_errors_timeouts_and_unreachable(sru):
    _server, base = sru
    with pytest.raises(BadInput, match=r"pagina 1 met HTTP-fout 503"):
        harvest(f"{base}/fout", "Vlieland", timeout=5)
    with pytest.raises(BadInput, match=r"niet binnen 0.5 seconden"):
        harvest(f"{base}/traag", "Vlieland", timeout=0.5)
    with pytest.raises(BadInput, match="niet bereikbaar"):
        harvest("http://127.0.0.1:9/sru", "Vlieland", timeout=2)
    with pytest.raises(BadInput, match="http:// of https://"):
        harvest("file:///etc/passwd", "Vlieland")


def test_malformed_oversized_and_looping_responses(sru):
    _server, base = sru
    with pytest.raises(BadInput, match=r"onbruikbaar antwoord: .*pagina 2.*geen geldige XML"):
        harvest(f"{base}/kapot", "Vlieland", timeout=5)
    with pytest.raises(BadInput, match="te groot antwoord"):
        harvest(f"{base}/groot", "Vlieland", timeout=5, max_bytes=200_000)
    with pytest.raises(BadInput, match="twee keer|niet na startRecord"):
        harvest(f"{base}/lus", "Vlieland", timeout=5)


@pytest.mark.django_db
def test_harvest_job_imports_into_the_partner(sru, settings):
    from harmonie.core.factories import PartnerFactory, UserFactory, WorkspaceFactory
    from harmonie.core.jobs import Progress, _run
    from harmonie.core.models import JobStatus, Membership, Role
    from harmonie.products import services
    from harmonie.products.models import CatalogueImport, HarvestSetting, ProductRecord

    _server, base = sru
    settings.HARMONIE_SC_SRU_URL = f"{base}/sru/Search"
    workspace = WorkspaceFactory()
    partner = PartnerFactory(workspace=workspace, name="Vlieland",
                             owms_uri="http://standaarden.overheid.nl/owms/terms/Vlieland_(gemeente)")
    user = UserFactory(username="bijdrager-vlieland")
    Membership.objects.create(user=user, workspace=workspace, role=Role.PARTNERBIJDRAGER, partner=partner)
    job = services.start_harvest(user, workspace, partner)
    result = _run(job, Progress(job_id=job.pk))
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert result["added"] == 43 and ProductRecord.objects.filter(partner=partner).count() == 43
    record = CatalogueImport.objects.get(partner=partner)
    assert record.kind == "harvest" and 'authority="Vlieland"' in record.source
    assert HarvestSetting.objects.get(partner=partner).sru_url == f"{base}/sru/Search"
    again = services.start_harvest(user, workspace, partner)
    assert _run(again, Progress(job_id=again.pk))["unchanged"] == 43
    assert CatalogueImport.objects.filter(partner=partner).count() == 1


@pytest.mark.django_db
def test_harvest_from_the_import_page(sru):
    from django.test import Client
    from django.urls import reverse

    from harmonie.core.factories import PartnerFactory, UserFactory, WorkspaceFactory
    from harmonie.core.jobs import Progress, _run
    from harmonie.core.models import Job, JobStatus, Membership, Role
    from harmonie.products.models import HarvestSetting, ProductRecord

    _server, base = sru
    workspace = WorkspaceFactory()
    partner = PartnerFactory(workspace=workspace, name="Vlieland")
    user = UserFactory(username="coord-vlieland")
    Membership.objects.create(user=user, workspace=workspace, role=Role.COORDINATOR)
    client = Client()
    client.force_login(user)
    url = reverse("products:catalogue_import", args=[workspace.slug, partner.pk])
    response = client.post(url, {"source": "harvest", "authority": "Vlieland", "sru_url": f"{base}/sru/Search"})
    assert response.status_code == 302
    job = Job.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])
    _run(job, Progress(job_id=job.pk))
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and ProductRecord.objects.filter(partner=partner).count() == 43
    # the address and name are remembered for this partner and proposed next time
    assert HarvestSetting.objects.get(partner=partner).authority == "Vlieland"
    assert f"{base}/sru/Search" in client.get(url).content.decode()
    jobs = Job.objects.count()
    response = client.post(url, {"source": "harvest", "authority": "Vlieland", "sru_url": "ftp://elders.example/sru"})
    assert response.status_code == 200 and 'id="id_sru_url_fout"' in response.content.decode()
    assert Job.objects.count() == jobs  # refused before a job is started
