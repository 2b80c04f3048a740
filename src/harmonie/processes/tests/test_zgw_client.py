"""ZGW Catalogi API client, offline: a local http.server answers like a Catalogi API (paged lists of the real
Open Zaak demo catalogue in API representation) and checks the ZGW JWT of every request."""

import http.server
import json
import threading
import urllib.parse

import jwt
import pytest

from harmonie.core.errors import BadInput, NotAllowed
from harmonie.core.jobs import run_inline
from harmonie.core.models import AuditEntry
from harmonie.processes import services
from harmonie.processes.importers import zgw
from harmonie.processes.models import ZaakType, ZgwConnection

from .zgw_fixture import api_resources

CLIENT_ID, SECRET = "harmonie-test", "geheim-van-de-test-0123456789abcdef"
PAGE_SIZE = 2
PATHS = {"zaaktypen": "ZaakType", "statustypen": "StatusType", "resultaattypen": "ResultaatType",
         "roltypen": "RolType", "eigenschappen": "Eigenschap", "informatieobjecttypen": "InformatieObjectType",
         "besluittypen": "BesluitType", "zaaktype-informatieobjecttypen": "ZaakTypeInformatieObjectType"}


class CatalogiServer:
    def __init__(self, secret=SECRET, foreign_next=False):
        self.secret = secret
        self.foreign_next = foreign_next
        self.requests = []  # (path, query, claims or None)
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, doc):
                body = json.dumps(doc).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json" if status == 200 else "application/problem+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):  # noqa: N802 - http.server API
                parts = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(parts.query))
                claims = None
                auth = self.headers.get("Authorization", "")
                try:
                    claims = jwt.decode(auth.removeprefix("Bearer "), outer.secret, algorithms=["HS256"])
                except jwt.PyJWTError:
                    claims = None
                outer.requests.append((parts.path, query, claims))
                required = {"iss", "iat", "client_id", "user_id", "user_representation"}
                if claims is None or not required <= set(claims) or claims["client_id"] != CLIENT_ID:
                    return self._send(403, {"code": "permission_denied", "title": "Geen rechten", "status": 403,
                                            "detail": "JWT ongeldig", "instance": "urn:uuid:1"})
                resource = parts.path.removeprefix("/catalogi/api/v1/")
                if resource not in PATHS:
                    return self._send(404, {"code": "not_found", "title": "Niet gevonden", "status": 404,
                                            "detail": resource, "instance": "urn:uuid:2"})
                items = outer.resources[PATHS[resource]]
                if "catalogus" in query:
                    items = [i for i in items if i.get("catalogus") == query["catalogus"]]
                page = int(query.get("page", "1"))
                chunk = items[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
                more = page * PAGE_SIZE < len(items)
                host = "http://elders.test" if outer.foreign_next else outer.url
                next_url = f"{host}{parts.path}?{urllib.parse.urlencode({**query, 'page': page + 1})}" if more else None
                self._send(200, {"count": len(items), "next": next_url,
                                 "previous": None if page == 1 else "x", "results": chunk})

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.base = f"{self.url}/catalogi/api/v1/"
        self.resources = api_resources(self.base)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_token_has_the_zgw_claims():
    token = zgw.make_token(CLIENT_ID, SECRET, "carla", "Carla Coördinator", now=1572863906)
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert claims == {"iss": CLIENT_ID, "iat": 1572863906, "client_id": CLIENT_ID, "user_id": "carla",
                      "user_representation": "Carla Coördinator"}
    assert jwt.get_unverified_header(token)["alg"] == "HS256"


def test_client_follows_pages_and_signs_every_request():
    with CatalogiServer() as server:
        client = zgw.ZgwClient(server.base, CLIENT_ID, SECRET)
        catalogue = client.fetch_catalogue()
    assert sorted(b["zaaktype"]["omschrijving"] for b in catalogue.zaaktypen) == [
        "Aanvraag financiële ondersteuning ondernemers behandelen v4", "blijvend_bewaren", "deelzaaktype",
        "deelzaaktype blijvend bewaren"]
    main = next(b for b in catalogue.zaaktypen if b["zaaktype"]["omschrijving"].startswith("Aanvraag"))
    assert [s["omschrijving"] for s in main["statustypen"]] == ["Aanvraag ontvangen", "In behandeling genomen",
                                                                 "Afgehandeld"]
    assert len(main["resultaattypen"]) == 11  # 15 resultaattypen over 8 pages of 2
    assert len([p for p, q, c in server.requests if p.endswith("/resultaattypen")]) == 8
    assert all(c is not None and c["iss"] == CLIENT_ID for _p, _q, c in server.requests)
    assert client.requests == len(server.requests)


def test_catalogus_filter_is_sent():
    with CatalogiServer() as server:
        catalogus = server.resources["Catalogus"][0]["url"]
        zgw.ZgwClient(server.base, CLIENT_ID, SECRET).fetch_catalogue(catalogus)
    queries = {p.rsplit("/", 1)[-1]: q for p, q, _c in server.requests}
    assert queries["zaaktypen"]["catalogus"] == catalogus
    assert "catalogus" not in queries["statustypen"]
    assert all(q.get("status") == "alles" for q in queries.values())  # concept types too


def test_wrong_secret_is_refused_with_a_dutch_message():
    with CatalogiServer() as server:
        with pytest.raises(BadInput, match=r"weigert de toegang \(403\).*client-id en geheim"):
            zgw.ZgwClient(server.base, CLIENT_ID, "een-ander-geheim-0123456789abcdef").fetch_catalogue()


def test_next_page_on_another_host_is_not_followed():
    with CatalogiServer(foreign_next=True) as server:
        with pytest.raises(BadInput, match="andere server"):
            zgw.ZgwClient(server.base, CLIENT_ID, SECRET).fetch_catalogue()


def test_unreachable_api():
    with pytest.raises(BadInput, match="niet bereikbaar"):
        zgw.ZgwClient("http://127.0.0.1:9/catalogi/api/v1/", CLIENT_ID, SECRET, timeout=2).get_list("zaaktypen")


def _connect(role_users, server, env="HARMONIE_TEST_ZGW_SECRET"):
    return services.save_zgw_connection(role_users["bijdrager"], role_users["own"], base_url=server.base,
                                        client_id=CLIENT_ID, secret_env=env)


def test_fetch_stores_zaaktypen_and_is_idempotent(role_users, workspace):
    with CatalogiServer() as server:
        _connect(role_users, server)
        env = {"HARMONIE_TEST_ZGW_SECRET": SECRET}
        first = services.fetch_zgw(role_users["bijdrager"], workspace, role_users["own"], environ=env)
        second = services.fetch_zgw(role_users["bijdrager"], workspace, role_users["own"], environ=env)
    assert (first.added, second.added, second.changed, second.unchanged) == (4, 0, 0, 4)
    assert set(ZaakType.objects.values_list("source", flat=True)) == {"zgw-api"}
    claims = [c for _p, _q, c in server.requests]
    assert {c["user_id"] for c in claims} == {role_users["bijdrager"].username}


def test_secret_comes_from_the_environment_and_is_never_stored(role_users, workspace, monkeypatch):
    with CatalogiServer() as server:
        _connect(role_users, server)
        with pytest.raises(BadInput, match="HARMONIE_TEST_ZGW_SECRET .*niet gezet"):
            services.fetch_zgw(role_users["coordinator"], workspace, role_users["own"], environ={})
        monkeypatch.setenv("HARMONIE_TEST_ZGW_SECRET", SECRET)
        result = run_inline(services.ZAAKTYPE_FETCH_JOB, {"partner_id": role_users["own"].pk,
                                                  "user_id": role_users["coordinator"].pk})
    assert result["added"] == 4
    connection = ZgwConnection.objects.get()
    stored = json.dumps([list(ZgwConnection.objects.values().get().values()),
                         list(AuditEntry.objects.values_list("before", "after"))], default=str)
    assert SECRET not in stored and connection.secret_env == "HARMONIE_TEST_ZGW_SECRET"


def test_connection_settings_are_checked_and_limited_to_the_own_partner(role_users):
    with pytest.raises(BadInput, match="geen geldige naam van een omgevingsvariabele"):
        services.save_zgw_connection(role_users["coordinator"], role_users["own"], base_url="https://x.test/",
                                     client_id="c", secret_env="MIJN GEHEIM")
    with pytest.raises(NotAllowed):
        services.save_zgw_connection(role_users["bijdrager_ander"], role_users["own"], base_url="https://x.test/",
                                     client_id="c", secret_env="ZGW_SECRET")


def test_production_requires_https(role_users, workspace, settings):
    settings.PRODUCTION = True
    with pytest.raises(BadInput, match="https-adres"):
        services.save_zgw_connection(role_users["coordinator"], role_users["own"], base_url="http://x.test/api/",
                                     client_id="c", secret_env="ZGW_SECRET")
    services.save_zgw_connection(role_users["coordinator"], role_users["own"], base_url="https://x.test/api/",
                                 client_id="c", secret_env="ZGW_SECRET")


class _FixedAnswer:
    """A server that answers every GET with the same body (for hostile API responses found by make fuzz)."""

    def __init__(self, body: bytes):
        body_bytes = body

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802 - http.server API
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body_bytes)))
                self.end_headers()
                self.wfile.write(body_bytes)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/catalogi/api/v1/"

    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.mark.parametrize("body, message", [
    (b"[" * 100_000, "te diep genest"),
    (json.dumps({"count": 1, "next": None, "results": [{"url": {}, "omschrijving": "x"}]}).encode(),
     "'url' moet een adres"),
])
def test_hostile_api_answers_are_bad_input(body, message):
    with _FixedAnswer(body) as server:
        with pytest.raises(BadInput, match=message):
            zgw.ZgwClient(server.base, CLIENT_ID, SECRET).fetch_catalogue()
