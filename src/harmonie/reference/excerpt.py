"""A small, hand-written excerpt of the reference lists, for the demo and a fresh install.

Written by hand (not copied from the national files) so ``make run`` works
offline: about fifty common municipal products with their UPL names and URIs,
a dozen GEMMA referentiecomponenten (with their GEMMA Object IDs, so mappings
keep working once the full model is loaded), forty-odd current municipalities
with their CBS codes and a few abolished ones with end date and successor.
When a full list is loaded it becomes a new, current version and wins.
"""

from .importers.base import ParseResult
from .importers.gemeenten import GemeenteEntry
from .importers.gemma import GemmaElementData
from .importers.upl import UplEntry

UPL_BASE = "http://standaarden.overheid.nl/owms/terms/"

# (uniforme productnaam, URI slug, voor burgers, voor bedrijven)
UPL_PRODUCTS = [
    ("paspoort", "paspoort", True, False),
    ("identiteitskaart", "identiteitskaart", True, False),
    ("rijbewijs", "rijbewijs", True, False),
    ("reisdocument", "reisdocument", True, False),
    ("brp-uittreksel", "brpUittr", True, False),
    ("brp-inschrijving", "brpInschr", True, False),
    ("briefadres", "briefadres", True, False),
    ("adresonderzoek", "adresonderzoek", True, False),
    ("aangifte vertrek buitenland", "AangifteVertrekBuitenland", True, False),
    ("geboorteaangifte", "geboorteaangifte", True, False),
    ("geboorteakte", "geboorteakte", True, False),
    ("huwelijk", "huwelijk", True, False),
    ("huwelijksaangifte", "huwelijksaangifte", True, False),
    ("overlijdensaangifte", "overlijdensaangifte", True, False),
    ("overlijdensakte", "overlijdensakte", True, False),
    ("naturalisatieverzoek", "naturalisatieverzoek", True, False),
    ("naturalisatieceremonie", "naturalisatieceremonie", True, False),
    ("verklaring omtrent gedrag (vog)", "verklaring_omtrent_gedrag_(vog)", True, True),
    ("achternaamwijziging", "achternaamwijziging", True, False),
    ("gevonden of verloren voorwerp", "gevVerlVoorwerp", True, True),
    ("omgevingsvergunning", "omgevingsvergunning", True, True),
    ("omgevingsvergunning bouw", "omgevingsvergunning_bouw", True, True),
    ("omgevingsvergunning aanleg", "omgevingsvergunning_aanleg", True, True),
    ("evenementenvergunning", "evenementenvergunning", True, True),
    ("horecabedrijf exploitatievergunning", "horecaExplVrg", False, True),
    ("standplaatsvergunning", "standplaatsvergunning", True, True),
    ("marktvergunning", "marktvergunning", True, True),
    ("collectevergunning", "collectevergunning", True, True),
    ("ligplaatsvergunning", "ligplaatsvergunning", True, True),
    ("geluidsontheffing", "geluidsontheffing", True, True),
    ("huisnummertoekenning", "huisnummertoekenning", True, True),
    ("gehandicaptenparkeerkaart", "gehandicaptenparkeerkaart", True, False),
    ("gehandicaptenparkeerplaats", "gehandicaptenparkeerplaats", True, False),
    ("afvalcontainer", "afvalcontainer", True, True),
    ("afvalinzameling grofvuil", "afvalinzameling_grofvuil", True, False),
    ("melding openbare ruimte (algemeen)", "melding_openbare_ruimte_(algemeen)", True, True),
    ("hondenbelasting", "hondenbelasting", True, False),
    ("rioolheffing", "rioolheffing", True, True),
    ("onroerendezaakbelasting (ozb)", "onroerendezaakbelasting_(ozb)", True, True),
    ("woz-beschikking", "woz-beschikking", True, True),
    ("belastingkwijtschelding", "belastingkwijtschelding", True, False),
    ("bijstand", "bijstand", True, False),
    ("bijzonderebijstandsuitkering", "bijzBijstUitk", True, False),
    ("schuldhulpverlening", "schuldhulpverlening", True, False),
    ("wmo-voorziening", "wmo-voorziening", True, False),
    ("persoonsgebonden budget wmo", "pgbWmo", True, False),
    ("jeugdhulp", "jeugdhulp", True, False),
    ("leerlingenvervoer", "leerlingenvervoer", True, False),
    ("leerplichtvrijstelling", "leerplichtvrijstelling", True, False),
    ("klacht", "klacht", True, True),
    ("bezwaar", "bezwaar", True, True),
]
# Withdrawn UPL names: (name, slug, end date).
UPL_WITHDRAWN = [
    ("aanduiding naamgebruik", "aanduiding_naamgebruik", "2017-11-28"),
]

# (naam, Object ID, groep)
GEMMA_COMPONENTS = [
    ("Zaakregistratiecomponent", "a97b6545-d5a7-485d-9b13-3ce22db5b9cf", "generiek"),
    ("Documentregistratiecomponent", "0e99ec6c-283a-4ec9-8efa-e11468e6b878", "generiek"),
    ("Generiek zaakafhandelcomponent", "f2dfbd0b-9d36-405c-bdbe-827f3296de29", "generiek"),
    ("Zaaktypecataloguscomponent", "3ef9cdd9-631c-4d3e-88c3-f756423d6314", "generiek"),
    ("Relatiebeheercomponent (CRM)", "eb436669-87b4-4134-b59b-dbfda11de5bc", "generiek"),
    ("Producten-en-dienstencataloguscomponent", "3f12eec9-2b11-4388-869d-9507453e3707", "generiek"),
    ("Archiefbeheercomponent", "b209fee8-d39a-4699-b0b4-02273c35c8c1", "generiek"),
    ("Mijngemeentecomponent", "96f66a08-8e0b-4602-944b-73ca3ba659f2", "generiek"),
    ("Klachten- en meldingencomponent", "d2d0679e-1fe3-4ec3-9b56-e11d693d1408", "domeinen"),
    ("Burgerzakencomponent", "a69a3d2f-6129-423d-9e7b-12f82f1e6f66", "domeinen"),
    ("Belastingencomponent", "dd600708-7aa3-48c3-aad9-056e15b3245c", "domeinen"),
    ("Financieel component", "45d49c0d-ef2c-48fa-9ebf-9b5b84678445", "domeinen"),
    ("Wmo-component", "291f6de3-eb33-499d-a6b4-012eb53781a2", "domeinen"),
    ("Vergunning- Toezicht- Handhavingcomponent", "ca98dd6d-1c0b-43dc-a26e-61ebd1cd810d", "domeinen"),
]

PROVINCE = "https://identifier.overheid.nl/tooi/id/provincie/pv"
# (CBS code, naam, provinciecode, OWMS slug)
GEMEENTEN = [
    ("0363", "Amsterdam", 27, "Amsterdam"),
    ("0599", "Rotterdam", 28, "Rotterdam"),
    ("0518", "'s-Gravenhage", 28, "'s-Gravenhage"),
    ("0344", "Utrecht", 26, "Utrecht_(gemeente)"),
    ("0772", "Eindhoven", 30, "Eindhoven_(gemeente)"),
    ("0014", "Groningen", 20, "Groningen_(gemeente)"),
    ("0855", "Tilburg", 30, "Tilburg_(gemeente)"),
    ("0034", "Almere", 24, "Almere_(gemeente)"),
    ("0758", "Breda", 30, "Breda_(gemeente)"),
    ("0268", "Nijmegen", 25, "Nijmegen_(gemeente)"),
    ("0200", "Apeldoorn", 25, "Apeldoorn_(gemeente)"),
    ("0392", "Haarlem", 27, "Haarlem"),
    ("0202", "Arnhem", 25, "Arnhem_(gemeente)"),
    ("0153", "Enschede", 23, "Enschede_(gemeente)"),
    ("0307", "Amersfoort", 26, "Amersfoort_(gemeente)"),
    ("0479", "Zaanstad", 27, "Zaanstad"),
    ("0796", "'s-Hertogenbosch", 30, "'s-Hertogenbosch"),
    ("0394", "Haarlemmermeer", 27, "Haarlemmermeer_(gemeente)"),
    ("0193", "Zwolle", 23, "Zwolle_(gemeente)"),
    ("0637", "Zoetermeer", 28, "Zoetermeer_(gemeente)"),
    ("0546", "Leiden", 28, "Leiden_(gemeente)"),
    ("0935", "Maastricht", 31, "Maastricht_(gemeente)"),
    ("0228", "Ede", 25, "Ede_(gemeente)"),
    ("0484", "Alphen aan den Rijn", 28, "Alphen_aan_den_Rijn_(gemeente)"),
    ("0080", "Leeuwarden", 21, "Leeuwarden_(gemeente)"),
    ("0361", "Alkmaar", 27, "Alkmaar_(gemeente)"),
    ("0114", "Emmen", 22, "Emmen_(gemeente)"),
    ("0503", "Delft", 28, "Delft_(gemeente)"),
    ("0983", "Venlo", 31, "Venlo_(gemeente)"),
    ("0150", "Deventer", 23, "Deventer_(gemeente)"),
    ("0794", "Helmond", 30, "Helmond_(gemeente)"),
    ("0828", "Oss", 30, "Oss_(gemeente)"),
    ("0362", "Amstelveen", 27, "Amstelveen_(gemeente)"),
    ("0402", "Hilversum", 27, "Hilversum_(gemeente)"),
    # Drechtsteden
    ("0482", "Alblasserdam", 28, "Alblasserdam_(gemeente)"),
    ("0505", "Dordrecht", 28, "Dordrecht_(gemeente)"),
    ("0531", "Hendrik-Ido-Ambacht", 28, "Hendrik-Ido-Ambacht_(gemeente)"),
    ("0590", "Papendrecht", 28, "Papendrecht_(gemeente)"),
    ("0610", "Sliedrecht", 28, "Sliedrecht_(gemeente)"),
    ("0642", "Zwijndrecht", 28, "Zwijndrecht_(gemeente)"),
    ("0523", "Hardinxveld-Giessendam", 28, "Hardinxveld-Giessendam_(gemeente)"),
    ("0512", "Gorinchem", 28, "Gorinchem_(gemeente)"),
    ("1978", "Molenlanden", 28, "Molenlanden"),
    # successors of the abolished ones below
    ("1979", "Eemsdelta", 20, "Eemsdelta"),
    ("1966", "Het Hogeland", 20, "Het_Hogeland"),
    ("1945", "Berg en Dal", 25, "Berg_en_Dal"),
]
# (CBS code, naam, provinciecode, OWMS slug, einddatum, opvolger CBS code, opvolger naam)
HISTORIC_GEMEENTEN = [
    ("0003", "Appingedam", 20, "Appingedam_(gemeente)", "2020-12-31", "1979", "Eemsdelta"),
    ("0005", "Bedum", 20, "Bedum_(gemeente)", "2018-12-31", "1966", "Het Hogeland"),
    ("0241", "Groesbeek", 25, "Groesbeek_(gemeente)", "2015-12-31", "1945", "Berg en Dal"),
]


def upl_items() -> list[UplEntry]:
    items = [UplEntry(uri=UPL_BASE + slug, label=label, gemeente=True, burger=burger, bedrijf=bedrijf)
             for label, slug, burger, bedrijf in UPL_PRODUCTS]
    items += [UplEntry(uri=UPL_BASE + slug, label=label, gemeente=True, end_date=end)
              for label, slug, end in UPL_WITHDRAWN]
    return items


def gemma_items() -> list[GemmaElementData]:
    return [
        GemmaElementData(
            identifier=f"id-{object_id}", object_id=object_id, type="ApplicationComponent", name=name,
            gemma_type="Referentiecomponent", gemma_status="In gebruik",
            folder=f"GEMMA/Application/Applicatiecomponenten/Referentiecomponenten {group}",
            properties={"GEMMA type": "Referentiecomponent", "GEMMA status": "In gebruik", "Object ID": object_id},
        )
        for name, object_id, group in GEMMA_COMPONENTS
    ]


def _gemeente(code, name, province, slug, **extra) -> GemeenteEntry:
    return GemeenteEntry(
        cbs_code=f"GM{code}", name=name, name_incl_soort=f"gemeente {name}", province=f"{PROVINCE}{province}",
        tooi_uri=f"https://identifier.overheid.nl/tooi/id/gemeente/gm{code}",
        owms_uri=f"http://standaarden.overheid.nl/owms/terms/{slug}", **extra,
    )


def gemeenten_items() -> list[GemeenteEntry]:
    items = [_gemeente(*row) for row in GEMEENTEN]
    items += [_gemeente(code, name, province, slug, end_date=end, successor_code=f"GM{succ}", successor_name=succ_name)
              for code, name, province, slug, end, succ, succ_name in HISTORIC_GEMEENTEN]
    return items


def parse_result(kind: str) -> ParseResult:
    """The excerpt of one kind as a ``ParseResult`` (the Selectielijst excerpt is empty: load the real list)."""
    items = {"upl": upl_items, "gemma": gemma_items, "gemeenten": gemeenten_items,
             "selectielijst": list}[kind]()
    return ParseResult(kind=kind, format="uittreksel", items=items, file_sha256="")
