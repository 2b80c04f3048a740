"""A small client for a live ZGW Catalogi API (Open Zaak, or any implementation of the VNG standard).

Authentication is the ZGW JWT: an HS256 token signed with the client's secret, with the claims ``iss`` and
``client_id`` (the client id), ``iat`` (now), ``user_id`` and ``user_representation`` (for the API's audit
trail), sent as ``Authorization: Bearer <token>``. List endpoints are paged (``{count, next, previous,
results}``); the client follows ``next`` only on the same host (the token is never sent elsewhere) and stops at
``MAX_PAGES``. The secret is passed in by the caller (services read it from the environment variable the
partner's ``ZgwConnection`` names) and is never stored or logged.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request

from harmonie.core.errors import BadInput

from .openzaak import Catalogue, bundle

# resource → (path, filter by catalogus?)
ENDPOINTS = {
    "ZaakType": ("zaaktypen", True),
    "StatusType": ("statustypen", False),
    "ResultaatType": ("resultaattypen", False),
    "RolType": ("roltypen", False),
    "Eigenschap": ("eigenschappen", False),
    "InformatieObjectType": ("informatieobjecttypen", True),
    "BesluitType": ("besluittypen", True),
    "ZaakTypeInformatieObjectType": ("zaaktype-informatieobjecttypen", False),
}
MAX_PAGES = 500
MAX_RESPONSE_BYTES = 20 * 1024 * 1024
TIMEOUT = 30


def make_token(client_id: str, secret: str, user_id: str = "harmonie", user_representation: str = "Harmonie",
               now: int | None = None) -> str:
    import jwt

    claims = {"iss": client_id, "iat": int(now if now is not None else time.time()), "client_id": client_id,
              "user_id": user_id, "user_representation": user_representation}
    return jwt.encode(claims, secret, algorithm="HS256", headers={"client_identifier": client_id})


class ZgwClient:
    def __init__(self, base_url: str, client_id: str, secret: str, *, user_id: str = "harmonie",
                 user_representation: str = "Harmonie", timeout: float = TIMEOUT):
        parts = urllib.parse.urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise BadInput(f"Adres '{base_url}' is geen http(s)-adres van een Catalogi API.")
        if not secret:
            raise BadInput("Het geheim (secret) van de ZGW-koppeling is leeg.")
        self.base_url = base_url.rstrip("/") + "/"
        self.origin = (parts.scheme, parts.netloc)
        self.client_id = client_id
        self.secret = secret
        self.user_id = user_id
        self.user_representation = user_representation
        self.timeout = timeout
        self.requests = 0

    def _get(self, url: str):
        parts = urllib.parse.urlsplit(url)
        if (parts.scheme, parts.netloc) != self.origin:
            raise BadInput(f"De Catalogi API verwijst naar een andere server ('{parts.netloc}'); Harmonie stuurt het "
                           f"token alleen naar {self.origin[1]}.")
        token = make_token(self.client_id, self.secret, self.user_id, self.user_representation)
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}",
                                                       "Accept": "application/json",
                                                       "Accept-Crs": "EPSG:4326"})
        self.requests += 1
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - http(s) checked
                body = response.read(MAX_RESPONSE_BYTES + 1)
        except urllib.error.HTTPError as exc:
            if exc.code in (401, 403):
                raise BadInput(f"De Catalogi API weigert de toegang ({exc.code}) op '{url}': controleer client-id en "
                               f"geheim van de ZGW-koppeling en de autorisaties (catalogi.lezen).") from exc
            raise BadInput(f"De Catalogi API antwoordt met fout {exc.code} op '{url}'.") from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise BadInput(f"De Catalogi API op '{self.base_url}' is niet bereikbaar ({reason}).") from exc
        if len(body) > MAX_RESPONSE_BYTES:
            raise BadInput(f"Het antwoord van '{url}' is groter dan {MAX_RESPONSE_BYTES} bytes.")
        try:
            return json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BadInput(f"Het antwoord van '{url}' is geen geldige JSON ({exc}).") from exc
        except RecursionError as exc:
            raise BadInput(f"Het antwoord van '{url}' is te diep genest om te lezen.") from exc
        except ValueError as exc:  # an integer of more than 4300 digits (int()'s limit)
            raise BadInput(f"Het antwoord van '{url}' bevat een getal met te veel cijfers.") from exc

    def get_list(self, path: str, params: dict | None = None) -> list[dict]:
        """All items of a (paged) list endpoint."""
        url = urllib.parse.urljoin(self.base_url, path)
        if params:
            url += "?" + urllib.parse.urlencode(params)
        items: list[dict] = []
        for _page in range(MAX_PAGES):
            doc = self._get(url)
            if isinstance(doc, list):  # an unpaged implementation
                items.extend(doc)
                return items
            if not isinstance(doc, dict) or not isinstance(doc.get("results"), list):
                raise BadInput(f"Het antwoord van '{url}' is geen lijst van de Catalogi API (veld 'results' "
                               f"ontbreekt).")
            items.extend(doc["results"])
            if not doc.get("next"):
                return items
            url = doc["next"]
        raise BadInput(f"'{path}' heeft meer dan {MAX_PAGES} pagina's; Harmonie stopt daar.")

    def fetch_catalogue(self, catalogus_url: str = "", progress=None) -> Catalogue:
        resources = {}
        for index, (res, (path, by_catalogus)) in enumerate(ENDPOINTS.items()):
            if progress is not None:
                progress.update(done=index, total=len(ENDPOINTS), message=f"Catalogi API: {path} ophalen")
            params = {"catalogus": catalogus_url} if catalogus_url and by_catalogus else {}
            # Open Zaak lists only published types (and the types of published zaaktypen) by default.
            params["status"] = "alles"
            items = self.get_list(path, params)
            for number, item in enumerate(items, start=1):
                if not isinstance(item, dict):
                    raise BadInput(f"Catalogi API '{path}', item {number}: verwacht een JSON-object.")
            resources[res] = items
        if progress is not None:
            progress.update(done=len(ENDPOINTS), total=len(ENDPOINTS))
        for number, zaaktype in enumerate(resources["ZaakType"], start=1):
            if not isinstance(zaaktype.get("url"), str):
                raise BadInput(f"Catalogi API 'zaaktypen', item {number}: het veld 'url' moet een adres (tekst) zijn.")
        zaaktypen_urls = {zt["url"] for zt in resources["ZaakType"]}
        # Without a catalogus filter on the dependent lists, keep only what belongs to the fetched zaaktypen.
        for res in ("StatusType", "ResultaatType", "RolType", "Eigenschap", "ZaakTypeInformatieObjectType"):
            resources[res] = [item for item in resources[res]
                              if isinstance(item.get("zaaktype"), str) and item["zaaktype"] in zaaktypen_urls]
        resources["Catalogus"] = []
        zaaktypen = bundle(resources, f"Catalogi API '{self.base_url}':")
        if not zaaktypen:
            raise BadInput(f"De Catalogi API op '{self.base_url}' gaf geen zaaktypen"
                           f"{' in catalogus ' + catalogus_url if catalogus_url else ''}; er is niets geïmporteerd.")
        return Catalogue(source_name=self.base_url, format="zgw-api", zaaktypen=zaaktypen)
