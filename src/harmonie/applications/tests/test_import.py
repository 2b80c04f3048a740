"""Portfolio import per partner: CSV, XLSX, AMEFF; atomic, idempotent, audited, permission-checked."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from harmonie.applications import services
from harmonie.applications.models import Application, ComponentMapping, MappingStatus
from harmonie.core.errors import BadInput, NotAllowed
from harmonie.core.jobs import run_inline, start_job
from harmonie.core.models import AuditEntry, Job, JobStatus

pytestmark = pytest.mark.django_db

CSV = (
    "application,supplier,product,referentiecomponent,contract_end,yearly_cost,users,hosting\n"
    "Zaaksysteem,Acme,Acme Zaken 5,Zaakregistratiecomponent | Generiek zaakafhandelcomponent,31-12-2026,"
    "\"45.000,00\",120,SaaS\n"
    "Belastingen,Gamma,Gamma Heffing,Belastingencomponent,2027-06-30,30000,25,on-premises\n"
    "Kantoorsoftware,Microsoft,Microsoft 365,,,,400,SaaS\n"
)


def test_csv_import_stores_applications_and_mappings(role_users, workspace):
    own = role_users["own"]
    result = services.import_portfolio(role_users["coordinator"], workspace, own, CSV.encode(), "portfolio.csv")
    assert (result.added, result.changed, result.removed) == (3, 0, 0)
    app = Application.objects.get(partner=own, name="Zaaksysteem")
    assert app.contract_end == date(2026, 12, 31) and app.yearly_cost == Decimal("45000.00") and app.users == 120
    assert sorted(m.gemma_name for m in app.mappings.all()) == ["Generiek zaakafhandelcomponent",
                                                                "Zaakregistratiecomponent"]
    assert AuditEntry.objects.filter(workspace=workspace, object_type=services.OBJECT_TYPE, added=3).count() == 1


def test_reimport_of_the_same_file_changes_nothing(role_users, workspace):
    own = role_users["own"]
    services.import_portfolio(None, workspace, own, CSV.encode(), "portfolio.csv")
    before = list(Application.objects.order_by("pk").values())
    mappings = list(ComponentMapping.objects.order_by("pk").values())
    audits = AuditEntry.objects.count()
    result = services.import_portfolio(None, workspace, own, CSV.encode(), "portfolio.csv")
    assert (result.added, result.changed, result.removed, result.unchanged) == (0, 0, 0, 3)
    assert list(Application.objects.order_by("pk").values()) == before
    assert list(ComponentMapping.objects.order_by("pk").values()) == mappings
    assert AuditEntry.objects.count() == audits


def test_changed_file_updates_and_removes(role_users, workspace):
    own = role_users["own"]
    services.import_portfolio(None, workspace, own, CSV.encode(), "portfolio.csv")
    changed = CSV.replace("31-12-2026", "31-12-2027").rsplit("Kantoorsoftware", 1)[0]
    result = services.import_portfolio(None, workspace, own, changed.encode(), "portfolio-v2.csv")
    assert (result.added, result.changed, result.removed) == (0, 1, 1)
    assert Application.objects.get(name="Zaaksysteem").contract_end == date(2027, 12, 31)


@pytest.mark.parametrize("bad, message", [
    ("Nieuw,X,,Onbekende component,,,,\n", "regel 5: referentiecomponent 'Onbekende component' staat niet in GEMMA"),
    ("Nieuw,X,,,31-02-2026,,,\n", "regel 5: contract-einddatum '31-02-2026' is geen bestaande datum"),
    ("Nieuw,X,,,morgen,,,\n", "regel 5: contract-einddatum 'morgen' is geen datum"),
    ("zaaksysteem,X,,,,,,\n", "regel 5: applicatie 'zaaksysteem' komt al voor op regel 2"),
    ("Nieuw,X,,,,veel,,\n", "regel 5: kosten 'veel' zijn geen bedrag"),
])
def test_bad_input_names_the_row_and_stores_nothing(role_users, workspace, bad, message):
    own = role_users["own"]
    with pytest.raises(BadInput) as exc:
        services.import_portfolio(None, workspace, own, (CSV + bad).encode(), "portfolio.csv")
    assert message in exc.value.message
    assert not Application.objects.exists() and not AuditEntry.objects.filter(object_type=services.OBJECT_TYPE).exists()


def test_column_mapping_and_semicolon_csv(role_users, workspace):
    data = "Naam;Firma;GEMMA;Einde\nZaken;Acme;Zaakregistratiecomponent;1-1-2027\n".encode("cp1252")
    result = services.import_portfolio(None, workspace, role_users["own"], data, "eigen.csv", mapping={
        "application": "Naam", "supplier": "Firma", "referentiecomponent": "GEMMA", "contract_end": "Einde"})
    assert result.added == 1
    assert Application.objects.get().contract_end == date(2027, 1, 1)


def test_xlsx_import_with_date_cells(role_users, workspace):
    book = Workbook()
    sheet = book.active
    sheet.append(["applicatie", "leverancier", "referentiecomponent", "contract einddatum", "kosten per jaar"])
    sheet.append(["Zaken", "Acme", "Zaakregistratiecomponent", date(2028, 3, 31), 1250.5])
    sheet.append(["Burgerzaken", "Beta", "Burgerzakencomponent", "31-12-2026", None])
    buffer = io.BytesIO()
    book.save(buffer)
    result = services.import_portfolio(None, workspace, role_users["own"], buffer.getvalue(), "p.xlsx")
    assert result.added == 2
    zaken = Application.objects.get(name="Zaken")
    assert zaken.contract_end == date(2028, 3, 31) and zaken.yearly_cost == Decimal("1250.50")


AMEFF = b"""<?xml version="1.0" encoding="UTF-8"?>
<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
       identifier="id-m">
  <name>Landschap</name>
  <elements>
    <element identifier="id-app1" xsi:type="ApplicationComponent"><name>Zaaksysteem Acme</name>
      <properties><property propertyDefinitionRef="p1"><value>Acme</value></property>
        <property propertyDefinitionRef="p2"><value>31-12-2026</value></property></properties></element>
    <element identifier="id-a97b6545-d5a7-485d-9b13-3ce22db5b9cf" xsi:type="ApplicationComponent">
      <name>Zaakregistratiecomponent</name>
      <properties><property propertyDefinitionRef="p3"><value>Referentiecomponent</value></property></properties>
    </element>
    <element identifier="id-app2" xsi:type="ApplicationComponent"><name>Heffingen</name>
      <properties><property propertyDefinitionRef="p4"><value>Belastingencomponent</value></property></properties>
    </element>
  </elements>
  <relationships>
    <relationship identifier="id-r1" xsi:type="Specialization" source="id-app1"
                  target="id-a97b6545-d5a7-485d-9b13-3ce22db5b9cf"/>
  </relationships>
  <propertyDefinitions>
    <propertyDefinition identifier="p1" type="string"><name>Leverancier</name></propertyDefinition>
    <propertyDefinition identifier="p2" type="string"><name>Contract einddatum</name></propertyDefinition>
    <propertyDefinition identifier="p3" type="string"><name>GEMMA type</name></propertyDefinition>
    <propertyDefinition identifier="p4" type="string"><name>Referentiecomponent</name></propertyDefinition>
  </propertyDefinitions>
</model>"""


def test_ameff_import(role_users, workspace):
    result = services.import_portfolio(None, workspace, role_users["own"], AMEFF, "landschap.xml")
    assert result.added == 2
    app = Application.objects.get(name="Zaaksysteem Acme")
    assert app.supplier == "Acme" and app.contract_end == date(2026, 12, 31)
    assert [m.gemma_name for m in app.mappings.all()] == ["Zaakregistratiecomponent"]
    assert [m.gemma_name for m in Application.objects.get(name="Heffingen").mappings.all()] == \
        ["Belastingencomponent"]


def test_ameff_with_external_entity_is_refused(role_users, workspace):
    evil = b"""<?xml version="1.0"?><!DOCTYPE model [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/"><name>&x;</name></model>"""
    with pytest.raises(BadInput, match="DTD, entiteiten of externe verwijzingen"):
        services.import_portfolio(None, workspace, role_users["own"], evil, "evil.xml")
    bomb = b"""<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>
<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/"><name>&b;</name></model>"""
    with pytest.raises(BadInput, match="geweigerd"):
        services.import_portfolio(None, workspace, role_users["own"], bomb, "bomb.xml")


def test_ameff_unknown_element_type_names_the_element(role_users, workspace):
    data = AMEFF.replace(b'identifier="id-app2" xsi:type="ApplicationComponent"',
                         b'identifier="id-app2" xsi:type="ApplicationThing"')
    with pytest.raises(BadInput, match=r"element 3 \('id-app2'\): onbekend ArchiMate-elementtype 'ApplicationThing'"):
        services.import_portfolio(None, workspace, role_users["own"], data, "landschap.xml")
    assert not Application.objects.exists()


def test_permissions(role_users, workspace):
    own, other = role_users["own"], role_users["other"]
    services.import_portfolio(role_users["bijdrager"], workspace, own, CSV.encode(), "p.csv")
    with pytest.raises(NotAllowed):
        services.import_portfolio(role_users["bijdrager"], workspace, other, CSV.encode(), "p.csv")
    with pytest.raises(NotAllowed):
        services.import_portfolio(role_users["lezer"], workspace, own, CSV.encode(), "p.csv")
    services.import_portfolio(role_users["coordinator"], workspace, other, CSV.encode(), "p.csv")
    assert Application.objects.filter(partner=other).count() == 3


def test_multi_partner_file_imports_only_this_partner(role_users, workspace):
    own, other = role_users["own"], role_users["other"]
    data = (f"partner,application,referentiecomponent\n{own.name},A,Zaakregistratiecomponent\n"
            f"{other.name},B,Zaakregistratiecomponent\n").encode()
    result = services.import_portfolio(None, workspace, own, data, "alle.csv")
    assert result.added == 1 and result.skipped_other_partners == 1
    with pytest.raises(BadInput, match="regel 4: partner 'Onbekend'"):
        services.import_portfolio(None, workspace, own, data + b"Onbekend,C,\n", "alle.csv")


def test_import_job_inline_and_through_the_queue(role_users, workspace):
    own = role_users["own"]
    job = start_job  # noqa: F841 - imported for the queue variant below
    from harmonie.applications.models import PortfolioUpload

    upload = PortfolioUpload.objects.create(workspace=workspace, partner=own, file_name="p.csv", content=CSV.encode())
    result = run_inline(services.JOB_KIND, {"upload_id": upload.pk, "user_id": role_users["coordinator"].pk})
    assert result["added"] == 3 and not PortfolioUpload.objects.exists()
    # the job page links to the imported portfolio
    assert result["url"] == f"/w/{workspace.slug}/applicaties/partners/{own.pk}/"
    assert own.name in result["url_label"]


@pytest.mark.django_db(transaction=True)
def test_start_import_runs_in_worker(role_users, workspace):
    job = services.start_import(role_users["bijdrager"], workspace, role_users["own"], CSV.encode(), "p.csv")
    call_command("db_worker", batch=True, startup_delay=False, interval=0.1)
    job = Job.objects.get(pk=job.pk)
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert job.result["added"] == 3
    bad = services.start_import(role_users["coordinator"], workspace, role_users["own"],
                                (CSV + "X,,,Geen component,,,,\n").encode(), "p2.csv")
    call_command("db_worker", batch=True, startup_delay=False, interval=0.1)
    bad = Job.objects.get(pk=bad.pk)
    assert bad.status == JobStatus.FAILED and "regel 5" in bad.message
    assert bad.failed_on_input  # the page asks for a corrected file instead of a retry
    assert Application.objects.count() == 3


def test_suggestions_and_confirmation(role_users, workspace):
    own = role_users["own"]
    data = "application,supplier,product\nZaaksysteem Acme,Acme,Zaken\nBelastingen en heffingen,Gamma,Heffing\n"
    services.import_portfolio(None, workspace, own, data.encode(), "p.csv")
    found = dict((app.name, sugg) for app, sugg in services.suggestions(workspace))
    assert found["Belastingen en heffingen"][0].name == "Belastingencomponent"
    assert "zaak" in found["Zaaksysteem Acme"][0].name.lower()
    app = Application.objects.get(name="Zaaksysteem Acme")
    with pytest.raises(NotAllowed):
        services.confirm_mapping(role_users["bijdrager_ander"], app, "Zaakregistratiecomponent")
    services.confirm_mapping(role_users["bijdrager"], app, "Zaakregistratiecomponent")
    assert app.mappings.get().status == MappingStatus.CONFIRMED
    assert [a.name for a in services.unmapped_applications(workspace)] == ["Belastingen en heffingen"]
