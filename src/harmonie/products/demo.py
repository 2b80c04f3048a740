"""Demo catalogues for the fictional partners (registered with ``harmonie.core.demo``).

Four fictional municipalities publish product catalogues with realistic Dutch titles. Many products are shared
(with local titles and differences in audience, online request, lead time and fees), some are unique. The UPL
names are real names from the hand-written reference excerpt, so the demo works offline:

* Lindeveen tags every product itself and has confirmed a few mappings;
* Brakelburg tags about half of its products;
* Oosterwaarde tags nothing: its products only have the matcher's suggestions (to review);
* Heidemeer tags most products, with a doubled URI prefix here and there and one withdrawn UPL name.

Deterministic and idempotent: it goes through ``services.import_catalogue``, so a second run changes nothing.
"""

from __future__ import annotations

from harmonie.core.demo import register_demo_builder

PREFIX = "http://standaarden.overheid.nl/owms/terms/"
P, O, PO = ["particulier"], ["ondernemer"], ["ondernemer", "particulier"]

# UPL slug → per partner (Lindeveen, Brakelburg, Oosterwaarde, Heidemeer): None (not offered) or
# (title, audience, online request, lead time, fees)
CATALOGUE: list[tuple[str, list]] = [
    ("paspoort", [("Paspoort aanvragen", P, "nee", "5 werkdagen", "€ 84,70"),
                  ("Paspoort", P, "nee", "5 werkdagen", "€ 84,70"),
                  ("Paspoort aanvragen of verlengen", P, "nee", "6 werkdagen", "€ 84,70"),
                  ("Paspoort aanvragen", P, "nee", "5 werkdagen", "€ 84,70")]),
    ("identiteitskaart", [("Identiteitskaart aanvragen", P, "nee", "5 werkdagen", "€ 77,50"),
                          ("ID-kaart", P, "nee", "5 werkdagen", "€ 77,50"),
                          ("Identiteitskaart (ID-kaart) aanvragen", P, "nee", "6 werkdagen", "€ 77,50"),
                          ("Identiteitskaart aanvragen", P, "nee", "5 werkdagen", "€ 77,50")]),
    ("rijbewijs", [("Rijbewijs verlengen", P, "nee", "5 werkdagen", "€ 52,40"),
                   ("Rijbewijs aanvragen", P, "nee", "5 werkdagen", "€ 52,40"),
                   ("Rijbewijs vernieuwen", P, "nee", "5 werkdagen", "€ 52,40"), None]),
    ("brpUittr", [("Uittreksel BRP aanvragen", P, "digid", "direct", "€ 15,10"),
                  ("Uittreksel Basisregistratie Personen", P, "digid", "direct", "€ 15,10"),
                  ("Uittreksel uit de BRP", P, "nee", "3 werkdagen", "€ 15,10"),
                  ("Uittreksel BRP", P, "digid", "direct", "€ 14,90")]),
    ("brpInschr", [("Verhuizing doorgeven", P, "digid", "5 werkdagen", "gratis"),
                   ("Verhuizen binnen of naar Brakelburg", P, "digid", "5 werkdagen", "gratis"),
                   ("Verhuizing doorgeven", P, "nee", "5 werkdagen", "gratis"),
                   ("Adreswijziging doorgeven", P, "digid", "5 werkdagen", "gratis")]),
    ("geboorteaangifte", [("Geboorteaangifte doen", P, "nee", "direct", "gratis"),
                          ("Aangifte geboorte", P, "nee", "direct", "gratis"),
                          ("Geboorte aangeven", P, "digid", "direct", "gratis"),
                          ("Geboorteaangifte doen", P, "nee", "direct", "gratis")]),
    ("huwelijk", [("Trouwen of geregistreerd partnerschap", P, "nee", "", "vanaf € 0"),
                  ("Huwelijk en partnerschap", P, "nee", "", "vanaf € 320"),
                  ("Trouwen", P, "nee", "", "vanaf € 0"), None]),
    ("overlijdensaangifte", [("Aangifte van overlijden", P, "nee", "direct", "gratis"),
                             ("Overlijden aangeven", P, "nee", "direct", "gratis"), None,
                             ("Aangifte overlijden", P, "nee", "direct", "gratis")]),
    ("verklaring_omtrent_gedrag_(vog)", [("Verklaring Omtrent het Gedrag (VOG) aanvragen", PO, "nee", "4 weken",
                                          "€ 41,35"),
                                         ("VOG aanvragen", P, "nee", "4 weken", "€ 41,35"),
                                         ("Verklaring omtrent gedrag", PO, "nee", "4 weken", "€ 41,35"),
                                         ("Verklaring Omtrent het Gedrag (VOG)", PO, "ja", "4 weken", "€ 41,35")]),
    ("omgevingsvergunning", [("Omgevingsvergunning aanvragen", PO, "ja", "8 weken", "afhankelijk van de bouwkosten"),
                             ("Omgevingsvergunning", PO, "ja", "8 weken", "leges volgens tarieventabel"),
                             ("Vergunning voor bouwen of verbouwen", P, "ja", "8 weken", ""),
                             ("Omgevingsvergunning aanvragen", PO, "ja", "8 weken", "")]),
    ("omgevingsvergunning_aanleg", [None, ("Aanlegvergunning (omgevingsvergunning voor aanleggen)", PO, "ja",
                                           "8 weken", ""),
                                    None, ("Werk of werkzaamheden uitvoeren", O, "ja", "8 weken", "")]),
    ("evenementenvergunning", [("Evenementenvergunning aanvragen", PO, "ja", "8 weken", "€ 95"),
                               ("Evenement organiseren", PO, "nee", "10 weken", "€ 120"),
                               ("Evenementenvergunning", O, "ja", "6 weken", "€ 95"),
                               ("Evenementenvergunning aanvragen", PO, "ja", "8 weken", "€ 95")]),
    ("horecaExplVrg", [("Exploitatievergunning horeca", O, "ja", "8 weken", "€ 350"),
                       ("Horecavergunning", O, "nee", "8 weken", "€ 412"),
                       ("Exploitatievergunning horecabedrijf", O, "ja", "8 weken", "€ 350"), None]),
    ("standplaatsvergunning", [("Standplaatsvergunning", O, "nee", "4 weken", "€ 60"), None,
                               ("Vaste standplaats aanvragen", O, "nee", "4 weken", "€ 60"),
                               ("Standplaatsvergunning aanvragen", O, "ja", "4 weken", "€ 55")]),
    ("gehandicaptenparkeerkaart", [("Gehandicaptenparkeerkaart aanvragen", P, "nee", "8 weken", "€ 150"),
                                   ("Gehandicaptenparkeerkaart", P, "ja", "8 weken", "gratis"),
                                   ("Parkeerkaart voor gehandicapten", P, "nee", "8 weken", "€ 150"),
                                   ("Gehandicaptenparkeerkaart aanvragen", P, "nee", "6 weken", "€ 150")]),
    ("gehandicaptenparkeerplaats", [("Gehandicaptenparkeerplaats aanvragen", P, "nee", "12 weken", "gratis"),
                                    None, ("Invalidenparkeerplaats bij uw woning", P, "nee", "12 weken", "gratis"),
                                    None]),
    ("afvalinzameling_grofvuil", [("Grofvuil laten ophalen", P, "ja", "2 weken", "gratis"),
                                  ("Grof huishoudelijk afval ophalen", P, "ja", "2 weken", "€ 25"),
                                  ("Grofvuil ophalen", P, "ja", "1 week", "gratis"),
                                  ("Grofvuil laten ophalen", P, "nee", "2 weken", "€ 20")]),
    ("afvalcontainer", [("Afvalcontainer aanvragen of omruilen", P, "ja", "2 weken", "gratis"),
                        ("Minicontainer aanvragen", P, "ja", "2 weken", "€ 35"), None, None]),
    ("melding_openbare_ruimte_(algemeen)", [("Melding openbare ruimte doen", PO, "ja", "", "gratis"),
                                            ("Melding openbare ruimte", PO, "ja", "", "gratis"),
                                            ("Kapotte lantaarnpaal of losse stoeptegel melden", P, "ja", "", "gratis"),
                                            ("Melding openbare ruimte doen", PO, "ja", "", "gratis")]),
    ("hondenbelasting", [("Hondenbelasting", P, "digid", "", "€ 98 per hond"), None,
                         ("Hondenbelasting", P, "digid", "", "€ 112 per hond"),
                         ("Hond aan- of afmelden voor de hondenbelasting", P, "digid", "", "€ 89 per hond")]),
    ("belastingkwijtschelding", [("Kwijtschelding gemeentelijke belastingen", P, "digid", "8 weken", "gratis"),
                                 ("Kwijtschelding aanvragen", P, "digid", "8 weken", "gratis"),
                                 ("Kwijtschelding van belastingen", P, "nee", "8 weken", "gratis"),
                                 ("Kwijtschelding gemeentelijke belastingen", P, "digid", "6 weken", "gratis")]),
    ("woz-beschikking", [("WOZ-waarde en bezwaar", PO, "digid", "", "gratis"),
                         ("WOZ-beschikking", PO, "digid", "", "gratis"), None,
                         ("WOZ-waarde van uw woning", P, "digid", "", "gratis")]),
    ("bijstand", [("Bijstandsuitkering aanvragen", P, "digid", "8 weken", "gratis"),
                  ("Bijstand", P, "digid", "8 weken", "gratis"),
                  ("Uitkering levensonderhoud (bijstand)", P, "nee", "8 weken", "gratis"),
                  ("Bijstandsuitkering aanvragen", P, "digid", "8 weken", "gratis")]),
    ("schuldhulpverlening", [("Schuldhulpverlening", P, "nee", "", "gratis"),
                             ("Hulp bij geldzaken en schulden", P, "nee", "", "gratis"),
                             ("Schuldhulpverlening", P, "nee", "", "gratis"), None]),
    ("wmo-voorziening", [("Hulp bij het huishouden (Wmo)", P, "nee", "6 weken", "eigen bijdrage"),
                         ("Wmo-voorziening aanvragen", P, "ja", "6 weken", "eigen bijdrage"),
                         ("Ondersteuning thuis (Wmo)", P, "nee", "8 weken", "eigen bijdrage"),
                         ("Wmo-voorziening aanvragen", P, "nee", "6 weken", "eigen bijdrage")]),
    ("jeugdhulp", [("Jeugdhulp", P, "nee", "", "gratis"), ("Jeugdhulp aanvragen", P, "nee", "", "gratis"),
                   None, ("Hulp voor jeugd en gezin", P, "nee", "", "gratis")]),
    ("leerlingenvervoer", [("Leerlingenvervoer aanvragen", P, "ja", "8 weken", "gratis"),
                           ("Leerlingenvervoer", P, "ja", "8 weken", "gratis"),
                           ("Vervoer naar school", P, "nee", "8 weken", "gratis"),
                           ("Leerlingenvervoer aanvragen", P, "ja", "6 weken", "gratis")]),
    ("klacht", [("Klacht indienen over de gemeente", PO, "ja", "6 weken", "gratis"),
                ("Klacht indienen", PO, "ja", "6 weken", "gratis"),
                ("Klachten over de gemeente", PO, "nee", "6 weken", "gratis"), None]),
    ("bezwaar", [("Bezwaar maken tegen een besluit", PO, "ja", "12 weken", "gratis"),
                 ("Bezwaar maken", PO, "ja", "12 weken", "gratis"),
                 ("Bezwaarschrift indienen", PO, "nee", "12 weken", "gratis"),
                 ("Bezwaar maken tegen een besluit", PO, "ja", "12 weken", "gratis")]),
    # unique products: only one partner offers them
    ("ligplaatsvergunning", [None, None, None, ("Ligplaatsvergunning woonboot", P, "nee", "8 weken", "€ 145")]),
    ("collectevergunning", [None, ("Collecte houden", O, "nee", "4 weken", "gratis"), None, None]),
    ("geluidsontheffing", [("Ontheffing geluid aanvragen", PO, "ja", "4 weken", "€ 45"), None, None, None]),
    ("naturalisatieceremonie", [None, None, ("Naturalisatieceremonie", P, "nee", "", "gratis"), None]),
]
# A withdrawn UPL name Heidemeer still uses (from the excerpt's withdrawn names).
WITHDRAWN = [("aanduiding_naamgebruik", "Naamgebruik wijzigen", P, "nee", "5 werkdagen", "gratis")]
WITHDRAWN_SLUGS = {slug for slug, *_rest in WITHDRAWN}
# Which of the partner's products carry their own UPL tag: every one, every second, none, all but every 5th.
TAGGED = [lambda i: True, lambda i: i % 2 == 0, lambda i: False, lambda i: i % 5 != 4]
# Lindeveen has confirmed these (its contributor did it in the demo).
CONFIRMED = {"Paspoort aanvragen", "Uittreksel BRP aanvragen", "Hulp bij het huishouden (Wmo)",
             "Omgevingsvergunning aanvragen", "Grofvuil laten ophalen"}


def demo_rows(index: int, slug_name: str):
    from .importers.base import ProductRow

    rows = []
    entries = [(slug, variants[index]) for slug, variants in CATALOGUE if variants[index] is not None]
    if index == 3:
        entries += [(slug, (title, aud, online, lead, fees)) for slug, title, aud, online, lead, fees in WITHDRAWN]
    for number, (slug, (title, audience, online, lead_time, fees)) in enumerate(entries, start=1):
        tags = []
        if TAGGED[index](number) or slug in WITHDRAWN_SLUGS:
            uri = PREFIX + slug
            tags = [PREFIX + uri if index == 3 and number % 7 == 0 else uri]  # doubled prefix, as in real data
        key = slug_name + "/" + title.lower().replace(" ", "-").replace("(", "").replace(")", "")
        rows.append(ProductRow(
            line=number, source_key=f"https://www.{slug_name}.example/{key.split('/', 1)[1]}", title=title,
            abstract=f"{title} bij de gemeente {slug_name.capitalize()}.", audience=list(audience),
            online_request=online, lead_time=lead_time, fees=fees,
            url=f"https://www.{slug_name}.example/{key.split('/', 1)[1]}", tags=tags,
        ))
    return rows


@register_demo_builder
def build_products_demo(workspace, partners):
    from . import services
    from .importers.base import Catalogue
    from .models import CatalogueSourceKind, MappingOrigin, ProductRecord

    matcher = services.load_matcher()
    for index, partner in enumerate(sorted(partners, key=lambda p: p.cbs_code)[:4]):
        name = partner.name.lower()
        catalogue = Catalogue(name=f"demo-catalogus-{name}.csv", format="demo", rows=demo_rows(index, name),
                              file_sha256="")
        services.import_catalogue(None, workspace, partner, catalogue, kind=CatalogueSourceKind.DEMO,
                                  source=catalogue.name, matcher=matcher)
        if index == 0:
            for product in ProductRecord.objects.filter(partner=partner, title__in=CONFIRMED):
                if not product.mappings.filter(origin__in=services.catalogue.CHOSEN).exists():
                    top = product.mappings.filter(origin=MappingOrigin.SOURCE).order_by("rank").first()
                    if top is not None:
                        services.confirm_mapping(None, product, top.upl_uri)
