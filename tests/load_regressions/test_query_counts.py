"""Query counts of the pages ``make load`` measures: they must not grow with the number of partners.

The load test runs a 30-partner workspace; a page that makes a query per partner (or per product) is what
turns 20 ms into 200 ms there. Each test renders the page for a small and a large workspace and pins the
count: the same for both (no N+1), and at most the number below.
"""

import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection
from django.urls import reverse

from harmonie.core.factories import PartnerFactory


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def _grow(workspace, to: int):
    while workspace.partners.count() < to:
        PartnerFactory(workspace=workspace)


@pytest.fixture
def coordinator_client(client, role_users):
    client.force_login(role_users["coordinator"])
    return client


@pytest.mark.django_db
def test_dashboard_query_count_does_not_grow_with_partners(coordinator_client, workspace, django_assert_max_num_queries):
    url = reverse("web:workspace_detail", args=[workspace.slug])
    coordinator_client.get(url)  # first request: sessions, excerpt loading and other one-off work
    small = _queries(coordinator_client, url)
    _grow(workspace, 30)
    large = _queries(coordinator_client, url)
    print("dashboard", small, large)
    assert large == small
    with django_assert_max_num_queries(small):
        coordinator_client.get(url)


def _with_layer_data(workspace, count: int):
    """``count`` partners with steering answers, KPI definitions and an application portfolio (the demo data)."""
    from harmonie.applications.demo import build_applications_demo
    from harmonie.people.demo import build_people_demo

    _grow(workspace, count)
    partners = list(workspace.partners.order_by("pk"))
    build_people_demo(workspace, partners)
    build_applications_demo(workspace, partners)


def _counts(client, workspace, url_name, kwargs, sizes=(2, 5)) -> list[int]:
    url = reverse(url_name, kwargs=kwargs)
    counts = []
    for size in sizes:
        _with_layer_data(workspace, size)
        client.get(url)
        counts.append(_queries(client, url))
    return counts


@pytest.mark.django_db
@pytest.mark.slow
def test_steering_layer_page_query_count_does_not_grow_with_partners(coordinator_client, workspace,
                                                                       django_assert_max_num_queries):
    """Was one query per partner for answers and one for KPIs (60 extra queries at 30 partners)."""
    small, large = _counts(coordinator_client, workspace, "web:layer", {"slug": workspace.slug,
                                                                          "layer_key": "aansturing"})
    assert large == small
    with django_assert_max_num_queries(12):
        coordinator_client.get(reverse("web:layer", args=[workspace.slug, "aansturing"]))


@pytest.mark.django_db
@pytest.mark.slow
def test_diagnosis_overview_query_count_does_not_grow_with_partners(coordinator_client, workspace,
                                                                      django_assert_max_num_queries):
    small, large = _counts(coordinator_client, workspace, "diagnosis:overview", {"slug": workspace.slug})
    assert large == small
    with django_assert_max_num_queries(45):
        coordinator_client.get(reverse("diagnosis:overview", kwargs={"slug": workspace.slug}))


@pytest.mark.django_db
@pytest.mark.slow
def test_applications_overview_query_count_does_not_grow_with_partners(coordinator_client, workspace,
                                                                         django_assert_max_num_queries):
    small, large = _counts(coordinator_client, workspace, "applications:overview", {"slug": workspace.slug})
    assert large == small
    with django_assert_max_num_queries(20):
        coordinator_client.get(reverse("applications:overview", kwargs={"slug": workspace.slug}))


@pytest.mark.django_db
@pytest.mark.slow
def test_product_matrix_query_count_does_not_grow_with_partners(coordinator_client, workspace,
                                                                 django_assert_max_num_queries):
    """The matrix is built from a handful of aggregate queries and cached; rendering adds none per row or
    partner (the page is 20 % of the load test's requests)."""
    from harmonie.products.demo import build_products_demo

    url = reverse("products:matrix", kwargs={"slug": workspace.slug})
    counts = []
    _grow(workspace, 4)
    partners = list(workspace.partners.order_by("pk"))
    for group in (partners[:2], partners[2:]):  # two catalogues, then four
        build_products_demo(workspace, group)
        coordinator_client.get(url)  # builds and caches the matrix
        counts.append(_queries(coordinator_client, url))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(12):
        html = coordinator_client.get(url).content.decode()
    assert "4 partners met een catalogus" in html
