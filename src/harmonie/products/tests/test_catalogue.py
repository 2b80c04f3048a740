"""Catalogue import service on the real Drechtsteden catalogues, Vlieland and Tholen (shared SC data).

The UPL list is the real OWMS value list (current and withdrawn names). Covers: real counts per partner,
idempotency, the diff of a changed catalogue, repaired URIs and withdrawn flags, top-3 suggestions, confirming,
overriding, bulk confirmation, confirmed mappings improving later suggestions, the job, audit, and that bad
input leaves nothing half-imported.
"""

import csv
import gzip
import io

import pytest
from conftest import require_shared

from harmonie.core.errors import BadInput, NotAllowed
from harmonie.core.factories import PartnerFactory, UserFactory, WorkspaceFactory
from harmonie.core.jobs import Progress, _run
from harmonie.core.models import AuditEntry, Job, JobStatus, Membership, Role
from harmonie.products import services
from harmonie.products.models import (
    CatalogueImport,
    CatalogueUpload,
    MappingOrigin,
    ProductMapping,
    ProductRecord,
)

pytestmark = pytest.mark.django_db
PREFIX = "http://standaarden.overheid.nl/owms/terms/"
DRECHTSTEDEN = {"Dordrecht": 248, "Papendrecht": 118, "Zwijndrecht": 72}


@pytest.fixture(scope="module")
def sc_rows():
    with gzip.open(require_shared("sc/sc-products-170-gemeenten-2023-10.csv.gz"), "rt", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return reader.fieldnames, list(reader)


def sc_csv(sc_rows, names, *, gz=False, transform=None) -> bytes:
    header, rows = sc_rows
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        if row["authority_label"] in names:
            writer.writerow(transform(dict(row)) if transform else row)
    data = out.getvalue().encode("utf-8")
    return gzip.compress(data) if gz else data


@pytest.fixture
def upl(db):
    from harmonie.reference.services import load_reference

    load_reference("upl", require_shared("owms-waardelijsten/UniformeProductnaam.json"))


@pytest.fixture
def drecht(upl):
    """A workspace with Dordrecht, Papendrecht and Zwijndrecht as partners (real OWMS URIs) and a contributor."""
    workspace = WorkspaceFactory(name="Drechtsteden")
    partners = {name: PartnerFactory(workspace=workspace, name=name, is_fictional=False,
                                     owms_uri=f"{PREFIX}{name}_(gemeente)") for name in DRECHTSTEDEN}
    coordinator = UserFactory(username="coord-drecht")
    Membership.objects.create(user=coordinator, workspace=workspace, role=Role.COORDINATOR)
    contributor = UserFactory(username="bijdrager-dordrecht")
    Membership.objects.create(user=contributor, workspace=workspace, role=Role.PARTNERBIJDRAGER,
                              partner=partners["Dordrecht"])
    return workspace, partners, coordinator, contributor


def run_import(user, workspace, partner, data, name, kind="sc-csv"):
    catalogue = services.parse_source(kind, data, name, partner)
    return services.import_catalogue(user, workspace, partner, catalogue, kind=kind, source=name)


def test_real_drechtsteden_catalogues(drecht, sc_rows):
    workspace, partners, coordinator, _contributor = drecht
    data = sc_csv(sc_rows, set(DRECHTSTEDEN) | {"Alblasserdam", "Sliedrecht"}, gz=True)
    for name, expected in DRECHTSTEDEN.items():
        outcome = run_import(coordinator, workspace, partners[name], data, "drechtsteden.csv.gz")
        assert len(outcome.added) == expected and outcome.total == expected
        assert outcome.skipped_other > 0  # the other municipalities in the same file
        assert ProductRecord.objects.filter(partner=partners[name]).count() == expected
    # every product has exactly three ranked suggestions with calibrated scores in [0, 1]
    suggestions = ProductMapping.objects.filter(product__workspace=workspace, origin=MappingOrigin.SUGGESTION)
    assert suggestions.count() == 3 * sum(DRECHTSTEDEN.values())
    assert set(suggestions.values_list("rank", flat=True)) == {1, 2, 3}
    assert all(0.0 <= s <= 1.0 for s in suggestions.values_list("score", flat=True))
    # source tags as the municipality published them: Dordrecht has 43 tagged products (41 current + 1
    # withdrawn name, 1 planschade), see the shared file; all tags are stored with their labels
    dordrecht = partners["Dordrecht"]
    tagged = ProductRecord.objects.filter(partner=dordrecht).exclude(source_tags=[]).count()
    header, rows = sc_rows
    real_tagged = sum(1 for r in rows if r["authority_label"] == "Dordrecht" and r["upl_uri"]
                      and "nog_niet_beschikbaar" not in r["upl_uri"])
    assert tagged == real_tagged
    withdrawn = ProductMapping.objects.filter(product__partner=dordrecht, origin=MappingOrigin.SOURCE, withdrawn=True)
    assert withdrawn.count() == 1
    record = CatalogueImport.objects.get(partner=dordrecht)
    assert record.added == 248 and record.details["withdrawn_tags"] == 1
    assert any("ingetrokken" in w for w in record.details["warnings"])
    entry = AuditEntry.objects.filter(object_type="products.catalogue").order_by("id").first()
    assert entry.file_name == "drechtsteden.csv.gz" and entry.added == 248 and len(entry.file_sha256) == 64
    overview = {row["partner"].name: row for row in services.catalogue_overview(workspace)}
    assert overview["Papendrecht"]["products"] == 118 and overview["Papendrecht"]["to_review"] == 118


def test_reimport_changes_nothing_and_a_changed_catalogue_shows_the_diff(drecht, sc_rows):
    workspace, partners, coordinator, _c = drecht
    zwijndrecht = partners["Zwijndrecht"]
    data = sc_csv(sc_rows, {"Zwijndrecht"})
    run_import(coordinator, workspace, zwijndrecht, data, "zwijndrecht.csv")
    before = sorted(ProductMapping.objects.filter(product__partner=zwijndrecht)
                    .values_list("product__source_key", "origin", "rank", "upl_uri", "score"))
    stamps = dict(ProductRecord.objects.filter(partner=zwijndrecht).values_list("pk", "updated_at"))
    again = run_import(coordinator, workspace, zwijndrecht, gzip.compress(data), "zwijndrecht.csv.gz")
    assert (again.added, again.changed, again.removed, again.unchanged) == ([], [], [], 72)
    assert CatalogueImport.objects.filter(partner=zwijndrecht).count() == 1
    assert dict(ProductRecord.objects.filter(partner=zwijndrecht).values_list("pk", "updated_at")) == stamps
    assert sorted(ProductMapping.objects.filter(product__partner=zwijndrecht)
                  .values_list("product__source_key", "origin", "rank", "upl_uri", "score")) == before

    header, rows = sc_rows
    mine = [r for r in rows if r["authority_label"] == "Zwijndrecht"]
    dropped, edited = mine[0]["title"], mine[1]["title"]

    def change(row):
        if row["title"] == edited:
            row["audience"] = "ondernemer"
            row["onlineAanvragen"] = "ja"
        return row

    changed_rows = [change(dict(r)) for r in mine[1:]]
    new = dict(mine[2], identifier_url="https://www.zwijndrecht.nl/nieuw-product", productID="nieuw",
               title="Nieuw product: parkeervergunning bewoners", upl_uri="")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerows(changed_rows + [new])
    outcome = run_import(coordinator, workspace, zwijndrecht, out.getvalue().encode("utf-8"), "zwijndrecht-2.csv")
    assert outcome.added == ["Nieuw product: parkeervergunning bewoners"]
    assert outcome.removed == [dropped]
    assert len(outcome.changed) == 1 and outcome.changed[0].startswith(edited)
    assert "doelgroep" in outcome.changed[0] and "online aanvragen" in outcome.changed[0]
    latest = CatalogueImport.objects.filter(partner=zwijndrecht).first()
    assert (latest.added, latest.changed, latest.removed, latest.unchanged) == (1, 1, 1, 70)
    assert latest.details["removed"] == [dropped]
    assert ProductRecord.objects.filter(partner=zwijndrecht).count() == 72


def test_doubled_prefix_is_repaired(drecht, sc_rows):
    workspace, partners, coordinator, _c = drecht

    def double(row):
        if row["upl_uri"] and "|" not in row["upl_uri"]:
            row["upl_uri"] = PREFIX + row["upl_uri"]
        return row

    outcome = run_import(coordinator, workspace, partners["Papendrecht"],
                         sc_csv(sc_rows, {"Papendrecht"}, transform=double), "papendrecht.csv")
    assert outcome.repaired > 30
    uris = set(ProductMapping.objects.filter(product__partner=partners["Papendrecht"], origin=MappingOrigin.SOURCE)
               .values_list("upl_uri", flat=True))
    assert uris and not any(u.count("owms/terms") > 1 for u in uris)


def test_vlieland_and_tholen_xml(upl):
    workspace = WorkspaceFactory()
    vlieland = PartnerFactory(workspace=workspace, name="Vlieland", owms_uri=f"{PREFIX}Vlieland_(gemeente)")
    tholen = PartnerFactory(workspace=workspace, name="Tholen")  # matched by name (no OWMS URI)
    data = require_shared("sc/Vlieland.xml").read_bytes()
    outcome = run_import(None, workspace, vlieland, data, "Vlieland.xml", kind="sc-xml")
    assert len(outcome.added) == 43
    product = ProductRecord.objects.get(partner=vlieland,
                                        source_key="https://www.vlieland.nl/vergoeding-leerlingenvervoer")
    assert product.title == "Vergoeding leerlingenvervoer" and product.audience == ["particulier"]
    assert product.online_request == "nee" and str(product.modified) == "2023-04-06"
    assert list(product.mappings.filter(origin=MappingOrigin.SOURCE).values_list("upl_label", flat=True)) == \
        ["leerlingenvervoer"]
    outcome = run_import(None, workspace, tholen, require_shared("sc/Tholen.xml").read_bytes(), "Tholen.xml",
                         kind="sc-xml")
    assert len(outcome.added) == 10
    with pytest.raises(BadInput, match="geen producten van Tholen"):
        run_import(None, workspace, tholen, data, "Vlieland.xml", kind="sc-xml")


def test_bad_input_leaves_nothing_half_imported(drecht, sc_rows):
    workspace, partners, coordinator, _c = drecht
    dordrecht = partners["Dordrecht"]
    header, rows = sc_rows
    mine = [dict(r) for r in rows if r["authority_label"] == "Dordrecht"]
    mine[100]["title"] = "   "
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerows(mine)
    with pytest.raises(BadInput, match=r"regel 102: de titel is leeg"):
        run_import(coordinator, workspace, dordrecht, out.getvalue().encode(), "kapot.csv")
    assert not ProductRecord.objects.filter(partner=dordrecht).exists()
    with pytest.raises(BadInput, match="kolom"):
        run_import(coordinator, workspace, dordrecht, b"naam;omschrijving\nPaspoort;x\n", "fout.csv")
    with pytest.raises(BadInput, match="te groot"):
        from django.test import override_settings

        with override_settings(HARMONIE_CATALOGUE_MAX_BYTES=1000):
            run_import(coordinator, workspace, dordrecht, sc_csv(sc_rows, {"Dordrecht"}), "groot.csv")
    assert not ProductRecord.objects.filter(workspace=workspace).exists()
    assert not CatalogueImport.objects.exists()


def test_contributor_of_another_partner_may_not_import(drecht, sc_rows):
    workspace, partners, _coordinator, contributor = drecht
    with pytest.raises(NotAllowed):
        run_import(contributor, workspace, partners["Papendrecht"], sc_csv(sc_rows, {"Papendrecht"}), "p.csv")


def test_confirm_override_bulk_and_memory(drecht, sc_rows):
    workspace, partners, coordinator, contributor = drecht
    dordrecht, zwijndrecht = partners["Dordrecht"], partners["Zwijndrecht"]
    run_import(coordinator, workspace, dordrecht, sc_csv(sc_rows, {"Dordrecht"}), "d.csv")
    product = ProductRecord.objects.filter(partner=dordrecht, source_tags=[]).order_by("title").first()
    second = product.mappings.get(origin=MappingOrigin.SUGGESTION, rank=2)
    mapping = services.confirm_mapping(contributor, product, second.upl_uri)
    assert mapping.origin == MappingOrigin.CONFIRMED and mapping.confirmed_by == contributor
    # overriding with a UPL name typed in the search box (a label, any case)
    mapping = services.confirm_mapping(contributor, product, "Parkeervergunning")
    assert mapping.origin == MappingOrigin.OVERRIDDEN and mapping.upl_label == "parkeervergunning"
    assert product.mappings.filter(origin__in=services.catalogue.CHOSEN).count() == 1
    assert AuditEntry.objects.filter(object_type="products.productmapping").count() == 2
    with pytest.raises(BadInput, match="niet in de huidige UPL-lijst"):
        services.confirm_mapping(contributor, product, "bestaat niet")
    with pytest.raises(NotAllowed):
        services.confirm_mapping(contributor, ProductRecord.objects.create(
            workspace=workspace, partner=zwijndrecht, source_key="x", title="x", content_hash="x"), "paspoort")

    # confirmed mappings improve later suggestions: a later import of the same and of a similar title in this
    # workspace ranks the confirmed UPL first
    from harmonie.products.importers.base import Catalogue, ProductRow

    catalogue = Catalogue(name="zw.csv", format="sc-csv", rows=[
        ProductRow(line=2, source_key="a", title=product.title),
        ProductRow(line=3, source_key="b", title=product.title + "s"),
        ProductRow(line=4, source_key="c", title="Uittreksel BRP aanvragen"),
    ])
    matcher = services.load_matcher()
    plain = matcher.suggest(product.title, "", "", k=3)
    assert plain[0][0] != f"{PREFIX}parkeervergunning"  # the matcher alone would not say this
    services.import_catalogue(coordinator, workspace, zwijndrecht, catalogue, kind="sc-csv", matcher=matcher)
    top = {m.product.source_key: m for m in ProductMapping.objects.filter(
        product__partner=zwijndrecht, origin=MappingOrigin.SUGGESTION, rank=1).select_related("product")}
    assert top["a"].upl_uri == f"{PREFIX}parkeervergunning" and top["a"].score >= 0.9
    assert top["b"].upl_uri == f"{PREFIX}parkeervergunning" and top["b"].score >= 0.79
    assert top["c"].upl_uri != f"{PREFIX}parkeervergunning"
    assert ProductMapping.objects.filter(product__partner=zwijndrecht, product__source_key="a",
                                         origin=MappingOrigin.SUGGESTION).count() == 3

    # bulk: exactly the unconfirmed products whose rank-1 suggestion reaches the threshold (and does not
    # contradict their own tag)
    candidates = services.bulk_candidates(dordrecht, 0.5)
    expected = [p for p in ProductRecord.objects.filter(partner=dordrecht).exclude(pk=product.pk)
                if (s := p.mappings.get(origin=MappingOrigin.SUGGESTION, rank=1)).score >= 0.5
                and (not p.source_tags or s.upl_uri in p.source_tags)]
    assert {p.pk for p, _m in candidates} == {p.pk for p in expected}
    assert services.bulk_confirm(contributor, dordrecht, 0.5) == len(expected) > 0
    assert services.bulk_candidates(dordrecht, 0.5) == []
    confirmed = services.catalogue_overview(workspace)[0]
    assert confirmed["partner"] == dordrecht and confirmed["confirmed"] == len(expected) + 1


def test_import_job_runs_atomically_with_progress(drecht, sc_rows):
    workspace, partners, coordinator, contributor = drecht
    dordrecht = partners["Dordrecht"]
    job = services.start_catalogue_import(contributor, workspace, dordrecht, kind="sc-csv",
                                          data=sc_csv(sc_rows, {"Dordrecht"}, gz=True), file_name="dordrecht.csv.gz")
    result = _run(job, Progress(job_id=job.pk))
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and result["added"] == 248 and job.total == 248
    assert not CatalogueUpload.objects.exists()
    assert CatalogueImport.objects.get(partner=dordrecht).job_id == job.pk
    # a failing job (another partner's data only) stores nothing and says why, in Dutch
    job = services.start_catalogue_import(contributor, workspace, dordrecht, kind="sc-csv",
                                          data=sc_csv(sc_rows, {"Papendrecht"}), file_name="papendrecht.csv")
    _run(job, Progress(job_id=job.pk))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "geen producten van Dordrecht" in job.message
    assert ProductRecord.objects.filter(partner=dordrecht).count() == 248
    assert Job.objects.filter(kind=services.JOB_KIND).count() == 2
