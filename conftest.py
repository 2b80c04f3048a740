"""Fixtures shared by every app's tests.

``shared_data`` points at ``../shared/data`` (override with
``HARMONIE_SHARED_DATA``). Tests that need those real files fail under
``CI=true`` when they are missing, and skip with a reason elsewhere.
"""

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent
SHARED_DATA = Path(os.environ.get("HARMONIE_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))
SHARED_BENCH = SHARED_DATA.parent / "bench"


def require_shared(relative: str) -> Path:
    """Return the path of a shared data file or folder, or fail/skip as the rules say."""
    path = SHARED_DATA / relative
    if not path.exists():
        message = f"gedeelde data ontbreekt: {path} (zet HARMONIE_SHARED_DATA)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def shared_data():
    return require_shared("")


@pytest.fixture
def workspace(db):
    from harmonie.core.factories import WorkspaceFactory

    return WorkspaceFactory()


@pytest.fixture
def role_users(db, workspace):
    """One user per role in ``workspace``, plus outsiders, keyed by role name."""
    from harmonie.core.factories import make_role_users

    return make_role_users(workspace)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests only need hashing to work."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def chromium(monkeypatch):
    """A launched headless Chromium (``harmonie.core.tests.browser``). Playwright's sync API keeps an event loop in
    this thread; the test's own ORM calls are still plain synchronous code, hence DJANGO_ALLOW_ASYNC_UNSAFE."""
    from harmonie.core.tests.browser import launched_chromium

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with launched_chromium() as browser:
        yield browser


@pytest.fixture
def browser_page(chromium):
    """A 1280 × 900 Dutch-locale page in its own context; axe-core must be installed (``npm ci``)."""
    from harmonie.core.tests.browser import AXE, require_file

    require_file(AXE, "draai 'npm ci'")
    context = chromium.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        yield page
    finally:
        context.close()
