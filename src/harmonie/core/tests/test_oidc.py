"""OIDC login against a local fake identity provider (discovery of endpoints by env, RS256 ID tokens).

The fake provider is a real HTTP server on loopback serving the token, userinfo and JWKS endpoints;
the test walks the whole flow: login page button → /oidc/authenticate/ (state + nonce) → the
provider's callback to /oidc/callback/ → token exchange over HTTP → signature and nonce check →
logged in as the existing account with that e-mail address.
"""

import importlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import NoReverseMatch, clear_url_caches, reverse
from jwt.algorithms import RSAAlgorithm

from harmonie.core import oidc_settings
from harmonie.core.factories import UserFactory
from harmonie.core.twofactor import OIDC_SESSION_KEY

pytestmark = pytest.mark.django_db
CLIENT_ID = "harmonie-test"


class FakeProvider:
    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.published_key = self.key  # the JWKS publishes this one; tokens are signed with ``key``
        self.nonce = None
        self.claims = {}
        self.token_requests = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, data, status=200):
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if self.path == "/jwks":
                    jwk = json.loads(RSAAlgorithm.to_jwk(provider.published_key.public_key()))
                    jwk.update(kid="k1", alg="RS256", use="sig")
                    return self._json({"keys": [jwk]})
                if self.path == "/userinfo":
                    if self.headers.get("Authorization") != "Bearer access-1":
                        return self._json({"error": "invalid_token"}, 401)
                    return self._json(provider.claims)
                return self._json({"error": "not found"}, 404)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = parse_qs(self.rfile.read(length).decode())
                provider.token_requests.append(form)
                if self.path != "/token" or form.get("code") != ["code-1"]:
                    return self._json({"error": "invalid_grant"}, 400)
                now = int(time.time())
                id_token = jwt.encode({"iss": provider.url, "sub": "ext-1", "aud": CLIENT_ID, "iat": now,
                                       "exp": now + 300, "nonce": provider.nonce, **provider.claims},
                                      provider.key, algorithm="RS256", headers={"kid": "k1"})
                return self._json({"access_token": "access-1", "id_token": id_token, "token_type": "Bearer"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def env(self):
        return {
            "HARMONIE_OIDC_CLIENT_ID": CLIENT_ID, "HARMONIE_OIDC_CLIENT_SECRET": "geheim",
            "HARMONIE_OIDC_AUTHORIZATION_ENDPOINT": f"{self.url}/authorize",
            "HARMONIE_OIDC_TOKEN_ENDPOINT": f"{self.url}/token",
            "HARMONIE_OIDC_USERINFO_ENDPOINT": f"{self.url}/userinfo",
            "HARMONIE_OIDC_JWKS_ENDPOINT": f"{self.url}/jwks",
            "HARMONIE_OIDC_NAME": "Gemeente Lindeveen",
        }


def _reload_urls():
    import harmonie.urls

    importlib.reload(harmonie.urls)
    clear_url_caches()


@pytest.fixture
def provider(settings):
    fake = FakeProvider()
    fake.thread.start()
    for key, value in oidc_settings.settings_from_env(fake.env()).items():
        setattr(settings, key, value)
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend",
                                        "harmonie.core.oidc.HarmonieOIDCBackend"]
    _reload_urls()
    yield fake
    fake.server.shutdown()
    settings.HARMONIE_OIDC_ENABLED = False
    _reload_urls()


def start_login(client, provider):
    login_page = client.get(reverse("login")).content.decode()
    assert "Inloggen via Gemeente Lindeveen" in login_page
    init = client.get(reverse("oidc_authentication_init"))
    assert init.status_code == 302 and init["Location"].startswith(f"{provider.url}/authorize?")
    query = parse_qs(urlparse(init["Location"]).query)
    assert query["client_id"] == [CLIENT_ID] and "openid" in query["scope"][0]
    provider.nonce = query["nonce"][0]
    return query["state"][0]


def test_end_to_end_login_maps_to_existing_account_by_email(provider):
    user = UserFactory(username="piet", email="Piet@Lindeveen.example")
    provider.claims = {"email": "piet@lindeveen.example", "email_verified": True}
    client = Client()
    state = start_login(client, provider)
    callback = client.get(reverse("oidc_authentication_callback"), {"code": "code-1", "state": state})
    assert callback.status_code == 302 and callback["Location"] == reverse("web:home")
    assert client.session["_auth_user_id"] == str(user.pk) and client.session[OIDC_SESSION_KEY] is True
    assert client.get(reverse("web:home")).status_code == 200
    assert provider.token_requests[0]["client_secret"] == ["geheim"]


def test_unknown_email_gets_no_account(provider):
    from django.contrib.auth import get_user_model

    provider.claims = {"email": "onbekend@elders.example", "email_verified": True}
    before = get_user_model().objects.count()
    client = Client()
    state = start_login(client, provider)
    callback = client.get(reverse("oidc_authentication_callback"), {"code": "code-1", "state": state})
    assert callback["Location"] == "/inloggen/?oidc=geweigerd"
    assert "_auth_user_id" not in client.session and get_user_model().objects.count() == before
    assert "geen (actief) account" in client.get(callback["Location"]).content.decode()


def test_unverified_email_and_wrong_nonce_are_refused(provider):
    UserFactory(username="piet", email="piet@lindeveen.example")
    provider.claims = {"email": "piet@lindeveen.example", "email_verified": False}
    client = Client()
    state = start_login(client, provider)
    refused = client.get(reverse("oidc_authentication_callback"), {"code": "code-1", "state": state})
    assert refused["Location"] == "/inloggen/?oidc=geweigerd" and "_auth_user_id" not in client.session

    provider.claims = {"email": "piet@lindeveen.example", "email_verified": True}
    client = Client()
    state = start_login(client, provider)
    provider.nonce = "een-andere-nonce"
    response = client.get(reverse("oidc_authentication_callback"), {"code": "code-1", "state": state})
    assert response.status_code == 400  # SuspiciousOperation: nonce mismatch
    assert "_auth_user_id" not in client.session


def test_token_signed_with_another_key_is_refused(provider):
    UserFactory(username="piet", email="piet@lindeveen.example")
    provider.claims = {"email": "piet@lindeveen.example"}
    client = Client()
    state = start_login(client, provider)
    provider.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # not the published key
    response = client.get(reverse("oidc_authentication_callback"), {"code": "code-1", "state": state})
    assert response.status_code == 400  # SuspiciousOperation: JWS verification failed
    assert "_auth_user_id" not in client.session


def test_not_configured_means_no_button_and_no_urls(db):
    _reload_urls()
    with pytest.raises(NoReverseMatch):
        reverse("oidc_authentication_init")
    assert Client().get("/oidc/authenticate/").status_code == 404
    assert "Inloggen via" not in Client().get(reverse("login")).content.decode()


def test_partial_configuration_is_an_error():
    assert oidc_settings.settings_from_env({}) == {}
    with pytest.raises(ImproperlyConfigured, match="HARMONIE_OIDC_JWKS_ENDPOINT"):
        oidc_settings.settings_from_env({"HARMONIE_OIDC_CLIENT_ID": "x", "HARMONIE_OIDC_CLIENT_SECRET": "y",
                                         "HARMONIE_OIDC_AUTHORIZATION_ENDPOINT": "https://a",
                                         "HARMONIE_OIDC_TOKEN_ENDPOINT": "https://t",
                                         "HARMONIE_OIDC_USERINFO_ENDPOINT": "https://u"})


PRODUCTION_ENV = {
    "HARMONIE_PRODUCTION": "1",
    "HARMONIE_SECRET_KEY": "k7#Qv9!pZ2@xL5$wR8^tY1&uI4*oP6(aS3)dF0_gH+jK-lZ=xC|vB~nM;q" * 2,
    "HARMONIE_ALLOWED_HOSTS": "harmonie.example.nl",
}
OIDC_ENV = {
    "HARMONIE_OIDC_CLIENT_ID": "harmonie", "HARMONIE_OIDC_CLIENT_SECRET": "uit-de-omgeving",
    "HARMONIE_OIDC_AUTHORIZATION_ENDPOINT": "https://idp.example.nl/authorize",
    "HARMONIE_OIDC_TOKEN_ENDPOINT": "https://idp.example.nl/token",
    "HARMONIE_OIDC_USERINFO_ENDPOINT": "https://idp.example.nl/userinfo",
    "HARMONIE_OIDC_JWKS_ENDPOINT": "https://idp.example.nl/jwks",
}


def test_production_with_oidc_passes_check_deploy_and_partial_config_refuses_to_start(tmp_path):
    from .test_cli import harmonie

    ok = harmonie(tmp_path, "check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION_ENV, **OIDC_ENV})
    assert ok.returncode == 0, ok.stderr + ok.stdout
    urls = harmonie(tmp_path, "shell", "-c", "from django.urls import reverse; print(reverse('oidc_authentication_callback'))",
                    env={**PRODUCTION_ENV, **OIDC_ENV})
    assert urls.stdout.strip().endswith("/oidc/callback/"), urls.stderr
    partial = dict(OIDC_ENV)
    del partial["HARMONIE_OIDC_TOKEN_ENDPOINT"]
    refused = harmonie(tmp_path, "check", env={**PRODUCTION_ENV, **partial})
    assert refused.returncode != 0 and "HARMONIE_OIDC_TOKEN_ENDPOINT" in refused.stderr
