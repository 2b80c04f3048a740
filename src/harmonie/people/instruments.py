"""The instruments of the layers "Cultuur & urgentie" and "Aansturing".

Plain Python data (no Django), so ``analysis`` can use the same keys.

* Cultuurprofiel: the competing-values structure (Quinn & Rohrbaugh 1983; Cameron & Quinn) with
  6 dimensions x 4 types and 100 points per dimension, for "nu" and "gewenst". The item texts are
  written by this project; they are NOT the OCAI items and the instrument is not called OCAI.
* Veranderbereidheid: the 12 ORIC items (Shea et al. 2014, CC BY), translated into Dutch by this
  project (unvalidated translation).
* Gevoelde urgentie: "willen" versus "moeten" items written by this project.
* Aansturing & governance: the (non-anonymous) questionnaire for coördinator and partners.
"""

from dataclasses import dataclass

# --- culture profile (competing-values structure) -------------------------------------------

CULTURE_TYPES: tuple[tuple[str, str], ...] = (
    ("clan", "Clan (samenwerken)"),
    ("adhocratie", "Adhocratie (vernieuwen)"),
    ("markt", "Markt (presteren)"),
    ("hierarchie", "Hiërarchie (beheersen)"),
)
CULTURE_TYPE_KEYS = tuple(key for key, _label in CULTURE_TYPES)
CULTURE_TYPE_LABELS = dict(CULTURE_TYPES)
POINTS_PER_DIMENSION = 100


@dataclass(frozen=True)
class CultureDimension:
    key: str
    title: str
    question: str
    statements: dict  # type key -> statement


CULTURE_DIMENSIONS: tuple[CultureDimension, ...] = (
    CultureDimension(
        "kenmerken", "Wat typeert de organisatie",
        "Welke beschrijving past het best bij de organisatie als geheel?",
        {
            "clan": "Het voelt als een hechte gemeenschap: collega's kennen elkaar en delen veel met elkaar.",
            "adhocratie": "Het is een levendige plek waar mensen met nieuwe ideeën komen en dingen uitproberen.",
            "markt": "Het draait om resultaat: afspraken worden nagekomen en doelen worden gehaald.",
            "hierarchie": "Alles is goed geregeld: vaste procedures en regels bepalen hoe we werken.",
        },
    ),
    CultureDimension(
        "leiding", "Leidinggevenden",
        "Hoe geven leidinggevenden in de organisatie vooral leiding?",
        {
            "clan": "Zij begeleiden en ondersteunen, als een coach die mensen laat groeien.",
            "adhocratie": "Zij stimuleren vernieuwing en nemen zelf ook risico's.",
            "markt": "Zij sturen zakelijk en doelgericht op prestaties.",
            "hierarchie": "Zij coördineren en organiseren, zodat alles soepel en voorspelbaar loopt.",
        },
    ),
    CultureDimension(
        "medewerkers", "Omgang met medewerkers",
        "Hoe gaat de organisatie met medewerkers om?",
        {
            "clan": "Door samenwerking, overleg en meedoen: iedereen hoort erbij.",
            "adhocratie": "Door mensen ruimte en vrijheid te geven om het op hun eigen manier te doen.",
            "markt": "Door hoge eisen te stellen en te belonen wie presteert.",
            "hierarchie": "Door duidelijkheid en zekerheid: heldere taken en een vaste werkwijze.",
        },
    ),
    CultureDimension(
        "binding", "Wat de organisatie bij elkaar houdt",
        "Wat houdt de organisatie vooral bij elkaar?",
        {
            "clan": "Loyaliteit en onderling vertrouwen.",
            "adhocratie": "De wil om te vernieuwen en voorop te lopen.",
            "markt": "De gedeelde wil om doelen te halen en te winnen.",
            "hierarchie": "Formele regels, afspraken en beleid.",
        },
    ),
    CultureDimension(
        "nadruk", "Waar de organisatie op stuurt",
        "Waar legt de organisatie in haar plannen de nadruk op?",
        {
            "clan": "Op de ontwikkeling van mensen, openheid en vertrouwen.",
            "adhocratie": "Op nieuwe diensten, nieuwe kansen en experimenteren.",
            "markt": "Op meetbare doelen, concurrentiekracht en productie.",
            "hierarchie": "Op stabiliteit, efficiency en beheersing.",
        },
    ),
    CultureDimension(
        "succes", "Wanneer het een succes is",
        "Wanneer vindt de organisatie zichzelf succesvol?",
        {
            "clan": "Als teams goed samenwerken en mensen zich betrokken voelen.",
            "adhocratie": "Als we iets nieuws of unieks hebben neergezet.",
            "markt": "Als de resultaten beter zijn dan afgesproken of dan die van anderen.",
            "hierarchie": "Als alles betrouwbaar, foutloos en binnen budget verloopt.",
        },
    ),
)
CULTURE_DIMENSION_KEYS = tuple(d.key for d in CULTURE_DIMENSIONS)
CULTURE_PERSPECTIVES = (("nu", "Nu"), ("gewenst", "Gewenst"))

CULTURE_SOURCE = (
    "Cultuurprofiel op de structuur van het Concurrerende-waardenmodel (competing values framework): "
    "Quinn, R.E. & Rohrbaugh, J. (1983), Management Science 29(3), 363–377; Cameron, K.S. & Quinn, R.E., "
    "Diagnosing and Changing Organizational Culture. De vragen zijn door Harmonie zelf geschreven; "
    "dit is niet het OCAI-instrument."
)

# --- readiness for change (ORIC, Shea et al. 2014) -------------------------------------------

SCALE_5 = (
    (1, "Oneens"),
    (2, "Enigszins oneens"),
    (3, "Niet eens, niet oneens"),
    (4, "Enigszins eens"),
    (5, "Eens"),
)
SCALE_5_VALUES = tuple(value for value, _label in SCALE_5)

# (number, subscale C=commitment / E=efficacy, Dutch text with {verandering})
ORIC_ITEMS: tuple[tuple[int, str, str], ...] = (
    (1, "E", "Mensen die hier werken hebben er vertrouwen in dat de organisatie medewerkers betrokken kan krijgen "
             "bij {verandering}."),
    (2, "C", "Mensen die hier werken zetten zich in om {verandering} door te voeren."),
    (3, "E", "Mensen die hier werken hebben er vertrouwen in dat zij de voortgang van {verandering} kunnen "
             "volgen."),
    (4, "C", "Mensen die hier werken zullen alles doen wat nodig is om {verandering} door te voeren."),
    (5, "E", "Mensen die hier werken hebben er vertrouwen in dat de organisatie medewerkers kan ondersteunen "
             "terwijl zij aan {verandering} wennen."),
    (6, "C", "Mensen die hier werken willen {verandering} doorvoeren."),
    (7, "E", "Mensen die hier werken hebben er vertrouwen in dat zij de vaart erin kunnen houden bij "
             "{verandering}."),
    (8, "E", "Mensen die hier werken hebben er vertrouwen in dat zij de uitdagingen aankunnen die zich bij "
             "{verandering} kunnen voordoen."),
    (9, "C", "Mensen die hier werken zijn vastbesloten om {verandering} door te voeren."),
    (10, "E", "Mensen die hier werken hebben er vertrouwen in dat zij de taken zo kunnen afstemmen dat "
              "{verandering} soepel verloopt."),
    (11, "C", "Mensen die hier werken zijn gemotiveerd om {verandering} door te voeren."),
    (12, "E", "Mensen die hier werken hebben er vertrouwen in dat zij de politieke kant van {verandering} "
              "kunnen hanteren."),
)
ORIC_COMMITMENT = (2, 4, 6, 9, 11)
ORIC_EFFICACY = (1, 3, 5, 7, 8, 10, 12)
ORIC_DEFAULT_CHANGE = "de harmonisatie met onze partnergemeenten"

ORIC_SOURCE = (
    "Veranderbereidheid: ORIC (Organizational Readiness for Implementing Change), 12 items. "
    "Shea CM, Jacobs SR, Esserman DA, Bruce K, Weiner BJ. Organizational readiness for implementing change: "
    "a psychometric assessment of a new measure. Implementation Science 2014;9:7. doi:10.1186/1748-5908-9-7. "
    "Gepubliceerd onder Creative Commons Naamsvermelding (CC BY). Nederlandse vertaling door Harmonie: "
    "niet gevalideerde vertaling."
)

# --- felt urgency: "willen" versus "moeten" ---------------------------------------------------

URGENCY_WANT: tuple[tuple[int, str], ...] = (
    (1, "Ik wil zelf dat onze gemeente op dit gebied samenwerkt met de partnergemeenten."),
    (2, "Ik zie zelf wat de samenwerking oplevert voor mijn werk of voor inwoners en ondernemers."),
    (3, "Ik zet me graag in om de samenwerking te laten slagen."),
    (4, "Als het aan mij lag, zouden we eerder en meer samen doen."),
)
URGENCY_HAVE_TO: tuple[tuple[int, str], ...] = (
    (1, "De samenwerking wordt ons opgelegd."),
    (2, "We doen het vooral omdat het bestuur of de directie het verplicht."),
    (3, "Nieuwe applicaties of een nieuwe werkwijze dwingen mij anders te werken, of ik dat nu zinvol vind of "
        "niet."),
    (4, "Ik heb weinig invloed op hoe de samenwerking wordt ingericht."),
)
URGENCY_SOURCE = (
    "Gevoelde urgentie: eigen vragen van Harmonie over ‘willen’ (eigen motivatie) en ‘moeten’ (opgelegd), "
    "naar de les uit ‘I&A-samenwerking: geen breekijzer’ (Quarant): harmonisatie lukt alleen als medewerkers "
    "de urgentie zelf voelen. Een hoge ‘moeten’-score met een lage ‘willen’-score wijst op dwang."
)

FREE_TEXT_MAX = 2000

# Steps of the respondent form, in order.
STEPS: tuple[tuple[str, str], ...] = (
    ("nu", "Cultuur nu"),
    ("gewenst", "Gewenste cultuur"),
    ("bereidheid", "Veranderbereidheid"),
    ("urgentie", "Urgentie"),
    ("versturen", "Controleren en versturen"),
)
STEP_KEYS = tuple(key for key, _label in STEPS)


def culture_field(perspective: str, dimension: str, type_key: str) -> str:
    return f"{perspective}-{dimension}-{type_key}"


def step_fields(step: str) -> list[str]:
    """The answer field names that belong to one step of the respondent form."""
    if step in ("nu", "gewenst"):
        return [culture_field(step, d, t) for d in CULTURE_DIMENSION_KEYS for t in CULTURE_TYPE_KEYS]
    if step == "bereidheid":
        return [f"oric-{number}" for number, _s, _t in ORIC_ITEMS]
    if step == "urgentie":
        return ([f"willen-{n}" for n, _t in URGENCY_WANT] + [f"moeten-{n}" for n, _t in URGENCY_HAVE_TO]
                + ["opmerking"])
    return []


ALL_FIELDS = tuple(name for step in STEP_KEYS for name in step_fields(step))

# --- management & governance questionnaire (not anonymous) -----------------------------------

DECIDERS = (
    "Eigen college van B&W",
    "Gemeentesecretaris / directie",
    "Bestuur van de samenwerking",
    "Directeur van de samenwerkingsorganisatie",
    "Afdelingshoofd of teamleider",
    "Anders",
)


@dataclass(frozen=True)
class SteeringQuestion:
    key: str
    theme: str
    label: str
    choices: tuple = ()  # empty: free text


STEERING_QUESTIONS: tuple[SteeringQuestion, ...] = (
    SteeringQuestion("besluit_applicatie", "Beslisbevoegdheden",
                     "Wie beslist bij uw gemeente over de keuze van een nieuwe applicatie?", DECIDERS),
    SteeringQuestion("besluit_proces", "Beslisbevoegdheden",
                     "Wie beslist over een wijziging van een werkproces dat ook de partners raakt?", DECIDERS),
    SteeringQuestion("mandaat", "Mandaten",
                     "Welk mandaat heeft de samenwerkingsorganisatie namens uw gemeente?",
                     ("Geen mandaat", "Alleen uitvoering", "Uitvoering en inkoop", "Uitvoering, inkoop en budget")),
    SteeringQuestion("mandaat_toelichting", "Mandaten", "Toelichting op het mandaat (bijvoorbeeld het mandaatbesluit)."),
    SteeringQuestion("begroting", "Planning & control",
                     "Hoe wordt de bijdrage van uw gemeente aan de samenwerking vastgesteld?",
                     ("Vaste verdeelsleutel (inwoners)", "Naar afname (dienstverlening)", "Combinatie",
                      "Jaarlijks onderhandeld")),
    SteeringQuestion("rapportage", "Planning & control",
                     "Hoe vaak ontvangt uw gemeente een voortgangsrapportage van de samenwerking?",
                     ("Maandelijks", "Per kwartaal", "Per vier maanden", "Per halfjaar", "Jaarlijks")),
    SteeringQuestion("evaluatie", "Wgr-bepalingen",
                     "Wat regelt de gemeenschappelijke regeling over evaluatie?",
                     ("Evaluatie elke vier jaar", "Evaluatie elke vijf jaar", "Anders geregeld", "Niet geregeld",
                      "Weet ik niet")),
    SteeringQuestion("uittreding", "Wgr-bepalingen",
                     "Wat regelt de gemeenschappelijke regeling over uittreding?",
                     ("Uittreding met uittreedsom (kosten voor de uittreder)", "Uittreding zonder kosten",
                      "Anders geregeld", "Niet geregeld", "Weet ik niet")),
    SteeringQuestion("opzegtermijn", "Wgr-bepalingen", "Welke opzegtermijn geldt bij uittreding?"),
)
STEERING_KEYS = tuple(q.key for q in STEERING_QUESTIONS)

# KPIs every partner defines in its own words: the comparison shows where the same KPI is
# defined (or normed) differently.
STEERING_KPIS: tuple[tuple[str, str], ...] = (
    ("doorlooptijd_vergunning", "Doorlooptijd omgevingsvergunning"),
    ("klanttevredenheid", "Klanttevredenheid dienstverlening"),
    ("beschikbaarheid", "Beschikbaarheid van de kernapplicaties"),
    ("eerste_contact", "Vragen in één keer afgehandeld (klantcontact)"),
    ("ziekteverzuim", "Ziekteverzuim"),
)
STEERING_KPI_KEYS = tuple(key for key, _label in STEERING_KPIS)
TEXT_MAX = 1000
