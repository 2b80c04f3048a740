"""Demo data for the Applicaties layer: four fictional portfolios of 80–150 applications each.

Application and partner data are fictional (supplier and product names are
used as plain text); the referentiecomponenten are real GEMMA names from the
hand-written excerpt, so the demo works offline. Deterministic (seeded by the
partner's CBS code) and idempotent: it goes through ``services.import_portfolio``,
so a second run changes nothing.

It also plans one consolidation — "Migratie naar één zaaksysteem" — that is NOT
backed by process harmonisation yet: the crowbar pattern from the article.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date

from harmonie.core.demo import register_demo_builder

# referentiecomponent → functional slots; each slot: alternatives (application name, supplier, product)
SLOTS = {
    "Zaakregistratiecomponent": [
        [("Zaaksysteem Centric", "Centric", "Centric Zaakregistratie 4"),
         ("Decos JOIN Zaken", "Decos", "JOIN Zaken 2024"),
         ("Open Zaak", "Maykin Media", "Open Zaak 1.x")],
    ],
    "Generiek zaakafhandelcomponent": [
        [("Zaakafhandelplatform", "Dimpact", "ZAC"),
         ("Decos JOIN Behandelen", "Decos", "JOIN Behandelen"),
         ("Centric Zaakafhandeling", "Centric", "Centric Zaakafhandeling")],
        [("Werkvoorraadmodule", "Centric", "Werkvoorraad"), ("Takenlijst JOIN", "Decos", "JOIN Taken")],
    ],
    "Documentregistratiecomponent": [
        [("Corsa DMS", "Zeeland Software", "Corsa 7"), ("Decos JOIN Documenten", "Decos", "JOIN Documenten"),
         ("Alfresco DMS", "Hyland", "Alfresco Content Services")],
        [("Postregistratie", "Zeeland Software", "Corsa Post"), ("Digitale postkamer", "Decos", "JOIN Post")],
    ],
    "Archiefbeheercomponent": [
        [("e-Depot regionaal", "Regionaal Historisch Centrum", "e-Depot"),
         ("Archiefbeheer Atlantis", "Deventit", "Atlantis"), ("MAIS-Flexis", "DE REE archiefsystemen", "MAIS")],
    ],
    "Zaaktypecataloguscomponent": [
        [("Zaaktypecatalogus i-Navigator", "i-Navigator", "i-Navigator ZTC"),
         ("Open Catalogi ZTC", "Conduction", "ZTC 1.0")],
    ],
    "Relatiebeheercomponent (CRM)": [
        [("KCC Klantcontactsysteem", "Centric", "Klantinteractie"),
         ("Dynamics KCS", "Microsoft", "Dynamics 365 Customer Service"),
         ("Contactmoment registratie", "Exxellence", "Klantcontact")],
        [("Afsprakenplanner balie", "Qmatic", "Orchestra"), ("Afspraken online", "JCC Software", "G-Plan")],
    ],
    "Producten-en-dienstencataloguscomponent": [
        [("PDC Website", "Tridion", "PDC-module"), ("Open PDC", "Open Webconcept", "Open PDC"),
         ("SDU PDC", "Sdu", "PDC Online")],
    ],
    "Mijngemeentecomponent": [
        [("Mijn Gemeente portaal", "Open Formulieren", "Open Inwoner"),
         ("Mijn Loket", "Exxellence", "Mijn Loket"), ("Burgerportaal", "Centric", "Mijn Gemeente")],
    ],
    "Klachten- en meldingencomponent": [
        [("Meldingen Openbare Ruimte", "Gemeente Amsterdam (open source)", "Signalen"),
         ("Fixi meldingen", "Fixi", "Fixi"), ("Klachtenregistratie", "Centric", "Klachten")],
        [("Klachtenregistratie intern", "Exxellence", "Klachten en bezwaar")],
    ],
    "Burgerzakencomponent": [
        [("Burgerzaken BRP", "PinkRoccade", "iBurgerzaken"), ("Key2Burgerzaken", "Centric", "Key2Burgerzaken")],
        [("Reisdocumentenmodule", "PinkRoccade", "iBurgerzaken Reisdocumenten"),
         ("Key2Reisdocumenten", "Centric", "Key2Burgerzaken Reisdocumenten")],
        [("Verkiezingen", "Procura", "Verkiezingen"), ("Kiezersregister", "Centric", "Key2Verkiezingen")],
        [("Gemeentelijke basisadministratie koppeling", "PinkRoccade", "GBA-V koppelvlak")],
    ],
    "Belastingencomponent": [
        [("Heffen en innen", "Centric", "Key2Belastingen"), ("Belastingpakket GouwIT", "GouwIT", "WOZ en Heffingen"),
         ("Belastingsamenwerking", "BSGR", "Heffingenregistratie")],
        [("WOZ-waardering", "Centric", "Key2WOZ"), ("WOZ Taxatie", "Ortec", "Ortec WOZ")],
        [("Kwijtscheldingsmodule", "Centric", "Key2Kwijtschelding"), ("Kwijtschelding online", "GouwIT", "Kwijt")],
    ],
    "Financieel component": [
        [("Financiële administratie", "Centric", "Key2Financiën"), ("Unit4 Financials", "Unit4", "Unit4 ERP"),
         ("AFAS Financieel", "AFAS", "AFAS Profit")],
        [("Begrotingsmodule", "Pepperflow", "Pepperflow"), ("Planning & control", "Unit4", "Unit4 P&C")],
        [("Factuurverwerking", "Centric", "Key2Inkoop"), ("Digitale factuurstroom", "Blue10", "Blue10")],
        [("Debiteurenbeheer", "Centric", "Key2Debiteuren")],
    ],
    "Wmo-component": [
        [("Sociaal domein suite", "PinkRoccade", "iSociaal Domein"),
         ("Suite4Sociaal Domein", "Centric", "Suite4SD"), ("Sociaal domein GWS", "Centric", "GWS4all")],
        [("Wmo-portaal", "Stipter", "Wmo-portaal"), ("Wmo Berichtenverkeer", "Inforing", "iWmo koppeling")],
        [("Jeugdhulpregistratie", "PinkRoccade", "iJeugd"), ("Jeugd Suite", "Centric", "Suite4Jeugd")],
    ],
    "Vergunning- Toezicht- Handhavingcomponent": [
        [("VTH-systeem Squit", "Roxit", "Squit XO"), ("Powerbrowser", "Genetics", "Powerbrowser"),
         ("Mozard VTH", "Mozard", "Mozard")],
        [("Mobiel toezicht", "Roxit", "Squit Mobiel"), ("Toezicht app", "Genetics", "Inspectie-app")],
        [("APV-vergunningen", "Decos", "JOIN APV"), ("Evenementenloket", "Exxellence", "Evenementen")],
    ],
}

# Applications without an obvious referentiecomponent in the excerpt (left for mapping suggestions).
OTHER = """Kantoorsoftware;Microsoft;Microsoft 365
Samenwerkingsplatform;Microsoft;Teams
Intranet;Infoland;Intranet
Website;Tridion;Tridion Sites
Website CMS;iPROX;iPROX-CMS
Formulierenserver;Open Formulieren;Open Formulieren
E-formulieren;Exxellence;Formulieren
GIS-viewer;Esri;ArcGIS Online
GIS desktop;Esri;ArcGIS Pro
Geo-loket;Geonovum;GeoWeb
BAG-beheer;Centric;Key2BAG
BGT-beheer;Sweco;BGT-beheer
Kabels en leidingen;Kadaster;KLIC-viewer
Beheer openbare ruimte;Antea;GBI
Groenbeheer;Sweco;iGroen
Wegbeheer;CROW;Wegbeheer
Rioleringsbeheer;Antea;Riool
Begraafplaatsadministratie;Akorda;Akorda
Parkeervergunningen;Parkeerbeheer BV;Parkeerbeheer
Marktkramen;Marktplan;Markt
Leerlingenvervoer;Kaal;Leerlingenvervoer
Leerplichtadministratie;Centric;Key2Onderwijs
Subsidieregistratie;Eposs;Subsidies
Inkoopregistratie;Negometrix;Negometrix
Contractbeheer;Sofon;Contractbeheer
Personeelsinformatiesysteem;Youforce;HR Core
Salarisadministratie;Visma;Raet Payroll
Verlofregistratie;Youforce;Verlof
Tijdschrijven;Unit4;Tijd
Opleidingsportaal;GoodHabitz;Leerplatform
Bestuurlijke informatie;iBabs;iBabs
Raadsinformatiesysteem;Notubiz;Notubiz
Bestuursagenda;iBabs;Agenda
Wet open overheid publicaties;Openbaar;Woo-platform
Woo-verzoeken;Exxellence;Woo
Toegangsbeheer;Microsoft;Entra ID
Wachtwoordkluis;Bitwarden;Bitwarden
Servicedesk;TOPdesk;TOPdesk
Wijzigingsbeheer;TOPdesk;TOPdesk Change
Netwerkbeheer;Cisco;DNA Center
Back-up;Veeam;Veeam Backup
Mobiel apparaatbeheer;Microsoft;Intune
Printbeheer;Canon;uniFLOW
Videobellen;Zoom;Zoom
Telefonie;Cisco;Webex Calling
Callcenter;Enreach;Contact Center
Sociale media beheer;Hootsuite;Hootsuite
Nieuwsbrieven;Laposta;Laposta
Enquêtes;Survalyzer;Survalyzer
Datawarehouse;Microsoft;Azure Synapse
Rapportage;Microsoft;Power BI
Open data portaal;CKAN;CKAN
Sportaccommodaties;Kompas;Zaalverhuur
Vastgoedbeheer;Planon;Planon
Facilitaire meldingen;Planon;Planon Self-Service
Energiemonitoring;Joulz;Energiemonitor
Wagenparkbeheer;Fleetsoftware;Wagenpark
Schuldhulpverlening;Stichting Inlichtingenbureau;Allegro
Inburgering;PinkRoccade;iInburgering
Participatie en werk;Centric;Suite4Werk
Re-integratie;Matchcare;Matchcare
Minimaregelingen;Centric;Suite4Minima
Bijzondere bijstand;Centric;GWS4all Bijzondere Bijstand
Leerlingadministratie;Centric;Key2Leerling
Jongerenloket;Eigen ontwikkeling;Jongerenloket
Veiligheidshuis;Regionale registratie;GCOS
Cameratoezicht;Milestone;XProtect
Crisisbeheersing;LCMS;LCMS
Handhaving openbare ruimte;BOA-app;Handhaving
Rijbewijzen;RDW;Rijbewijsaanvraag
Naturalisatie;IND;Naturalisatieportaal
Gevonden voorwerpen;Verloren of Gevonden;VerlorenofGevonden
Hondenregistratie;Centric;Key2Honden
Monumentenregister;Erfgoedsoftware;Monumenten
Archeologie;Erfgoedsoftware;Archeologie
Grondexploitatie;Centric;Key2Grondexploitatie
Erfpacht;Centric;Key2Erfpacht
Omgevingsplan;Nazca-i;Omgevingsplan
Toepasbare regels;Sdu;Regelbeheer
Milieuregistratie;Roxit;Milieu
Bodeminformatie;Roxit;Bodem
Verkeersbesluiten;KOOP;Verkeersbesluiten
Projectportfolio;Planview;Projectplace
Risicomanagement;NAVARA;Risicomanagement
Verwerkingsregister;Privacyperfect;Verwerkingsregister
Datalekkenregister;Privacyperfect;Datalekken
Contractenregister ICT;Sofon;ICT-contracten
Licentiebeheer;Snow;Snow License Manager
Beveiligingsmonitoring;Splunk;SIEM
Anti-malware;Microsoft;Defender
E-mailbeveiliging;Mimecast;Mimecast
Digitale handtekening;Validsign;Validsign
Scanstraat;Kofax;Kofax Capture
Notulen;Notubiz;Verslaglegging
Klanttevredenheid;KTO-bureau;KTO-online
Wijkplatform;Buurtmarktplaats;Buurtplatform
Evenementenkalender;Eigen ontwikkeling;Agenda
Vrijwilligersvacaturebank;Vrijwilligerswerk;Vacaturebank""".splitlines()

# With the full GEMMA model loaded, these local applications get a referentiecomponent too (names as GEMMA
# spells them); with only the excerpt they stay unmapped and appear with mapping suggestions.
FULL_GEMMA_HINTS = {
    "Kantoorsoftware": "Kantoorautomatiseringcomponent", "Samenwerkingsplatform": "Samenwerkingscomponent",
    "Intranet": "Intranetcomponent", "Website": "Webcontentpublicatie- en beheercomponent",
    "Website CMS": "Webcontentpublicatie- en beheercomponent",
    "Formulierenserver": "E-formulieren publicatie-en-beheercomponent",
    "E-formulieren": "E-formulieren publicatie-en-beheercomponent", "GIS-viewer": "Geo-gegevens analysecomponent",
    "GIS desktop": "Geo-gegevens analysecomponent", "BAG-beheer": "BAG-beheercomponent",
    "BGT-beheer": "BGT-beheercomponent", "Kabels en leidingen": "KLIC-component",
    "Begraafplaatsadministratie": "Gravenbeheercomponent", "Parkeervergunningen": "Parkeerbeheercomponent",
    "Leerlingenvervoer": "Leerlingenvervoercomponent", "Leerplichtadministratie": "Leerlingenbeheercomponent",
    "Subsidieregistratie": "Subsidiecomponent", "Inkoopregistratie": "Inkoopcomponent",
    "Contractbeheer": "Contractbeheercomponent", "Personeelsinformatiesysteem": "Personeelsinformatiecomponent",
    "Salarisadministratie": "Salarisadministratie en -verwerkingcomponent",
    "Tijdschrijven": "Tijdregistratiecomponent", "Bestuurlijke informatie": "Bestuur- en Raadsinformatiecomponent",
    "Raadsinformatiesysteem": "Bestuur- en Raadsinformatiecomponent", "Toegangsbeheer": "Gebruikersbeheercomponent",
    "Wachtwoordkluis": "Wachtwoordbeheercomponent", "Servicedesk": "Helpdeskcomponent",
    "Netwerkbeheer": "Netwerkbeheercomponent", "Back-up": "Data-back-up-en-herstel-component",
    "Mobiel apparaatbeheer": "Mobile-device-managementcomponent", "Callcenter": "Callcentercomponent",
    "Sociale media beheer": "Sociale mediacomponent", "Datawarehouse": "Data-warehousecomponent",
    "Rapportage": "BI-component", "Open data portaal": "Open-data-portaalcomponent",
    "Vastgoedbeheer": "Vastgoedexploitatiecomponent", "Schuldhulpverlening": "Budgetadvies- en schuldhulpverleningcomponent",
    "Participatie en werk": "Reïntegratie- en werkzoekendencomponent", "Re-integratie": "Reïntegratie- en werkzoekendencomponent",
    "Minimaregelingen": "Inkomenscomponent", "Bijzondere bijstand": "Inkomenscomponent",
    "Cameratoezicht": "Cameratoezichtcomponent", "Crisisbeheersing": "Crisismanagementcomponent",
    "Gevonden voorwerpen": "Gevonden en verloren voorwerpencomponent", "Monumentenregister": "Monumentencomponent",
    "Archeologie": "Archeologiecomponent", "Erfpacht": "Erfpachtrechtcomponent",
    "Grondexploitatie": "Terreinexploitatiecomponent", "Omgevingsplan": "Omgevingsbeleidcomponent",
    "Toepasbare regels": "Toepasbare regelscomponent", "Bodeminformatie": "Bodembeheercomponent",
    "Projectportfolio": "Projectmanagementcomponent", "Risicomanagement": "Risicobeheercomponent",
    "Verwerkingsregister": "Verwerkingenregistercomponent", "Licentiebeheer": "Software-licentiebeheercomponent",
    "Beveiligingsmonitoring": "SIEM-beheercomponent", "Anti-malware": "Anti-Malware-component",
    "E-mailbeveiliging": "Anti-spamcomponent", "Digitale handtekening": "Digitale-handtekeningcomponent",
    "Scanstraat": "Scanning-en-imagingcomponent", "Klanttevredenheid": "Klanttevredenheidcomponent",
    "Wijkplatform": "Buurtmarktplaatscomponent", "Enquêtes": "Klantfeedbackcomponent",
}

TARGETS = {"GM9901": 138, "GM9902": 112, "GM9903": 96, "GM9904": 84}
HOSTING = ["SaaS", "on-premises", "SSC-datacenter", "private cloud"]
CONSOLIDATION_TITLE = "Migratie naar één zaaksysteem"


def portfolio_rows(code: str, index: int, known=lambda name: False) -> list[dict]:
    """The fictional portfolio of one partner (deterministic). ``known(name)``: is this GEMMA component loaded?"""
    rng = random.Random(f"harmonie-demo-{code}")
    rows = []
    for component, slots in SLOTS.items():
        for slot in slots:
            # Partners drift apart more on the later slots; Burgerzaken is the most harmonised.
            weights = [5 - min(i, 3) for i in range(len(slot))]
            if component == "Burgerzakencomponent":
                weights = [8] + [1] * (len(slot) - 1)
            name, supplier, product = rng.choices(slot, weights=weights)[0]
            if component == "Zaakregistratiecomponent":
                name, supplier, product = slot[index % len(slot)]  # every partner its own zaaksysteem
            rows.append({"application": name, "supplier": supplier, "product": product,
                         "referentiecomponent": component})
    # Zaakregistratie and zaakafhandeling often live in one suite
    first = rows[0]
    first["referentiecomponent"] = "Zaakregistratiecomponent | Generiek zaakafhandelcomponent" \
        if index % 2 == 0 else first["referentiecomponent"]
    names = {r["application"] for r in rows}
    pool = [line.split(";") for line in OTHER]
    rng.shuffle(pool)
    for name, supplier, product in pool:
        if len(rows) >= TARGETS.get(code, 100):
            break
        if name not in names:
            names.add(name)
            hint = FULL_GEMMA_HINTS.get(name, "")
            rows.append({"application": name, "supplier": supplier, "product": product,
                         "referentiecomponent": hint if hint and known(hint) else ""})
    counter = 1
    while len(rows) < TARGETS.get(code, 100):  # local tools (Excel/Access applications) fill the rest
        rows.append({"application": f"Lokale registratie {counter:02d}", "supplier": "Eigen beheer",
                     "product": "Access-database", "referentiecomponent": ""})
        counter += 1
    for row in rows:
        year = rng.choice([2025, 2026, 2026, 2027, 2027, 2028, 2029, 2030])
        month = rng.choice([3, 6, 9, 12])
        end = date(year, month, {3: 31, 6: 30, 9: 30, 12: 31}[month])
        row["contract_end"] = "" if rng.random() < 0.06 else (
            end.isoformat() if rng.random() < 0.5 else end.strftime("%d-%m-%Y"))
        big = bool(row["referentiecomponent"])
        row["yearly_cost"] = str(rng.randrange(15000, 160000, 500) if big else rng.randrange(500, 25000, 250))
        row["users"] = str(rng.randrange(20, 450) if big else rng.randrange(2, 120))
        row["hosting"] = rng.choice(HOSTING)
    return rows


def portfolio_csv(code: str, index: int, known=lambda name: False) -> bytes:
    buffer = io.StringIO()
    columns = ["application", "supplier", "product", "referentiecomponent", "contract_end", "yearly_cost", "users",
               "hosting"]
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    writer.writerows(portfolio_rows(code, index, known))
    return buffer.getvalue().encode("utf-8")


@register_demo_builder
def build_applications_demo(workspace, partners):
    from . import services

    known = services.component_index().__contains__
    for index, partner in enumerate(sorted(partners, key=lambda p: p.cbs_code)):
        services.import_portfolio(None, workspace, partner, portfolio_csv(partner.cbs_code, index, known),
                                  f"demo-portfolio-{partner.name.lower()}.csv")
    services.plan_consolidation(
        None, workspace, "Zaakregistratiecomponent", CONSOLIDATION_TITLE,
        "procesharmonisatie zaakgericht werken (vergunningen, meldingen, bezwaar en beroep)",
        target_application="Open Zaak", planned_from=date(2027, 1, 1), harmonisation_done=False,
        notes=("Voorgesteld door het SSC omdat de contracten in 2026 aflopen. De werkprocessen en zaaktypen van de "
               "partners zijn nog niet geharmoniseerd: zonder die harmonisatie dwingt het ene zaaksysteem de "
               "werkwijze af (het zaaksysteem als breekijzer)."))
