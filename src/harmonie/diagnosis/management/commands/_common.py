"""Shared Dutch --help texts for the diagnosis commands."""

DUTCH_HELP = {
    "help": "Toon deze hulp en stop.",
    "version": "Toon het versienummer en stop.",
    "verbosity": "Hoeveel uitvoer: 0 = weinig, 1 = normaal, 2 = veel, 3 = zeer veel.",
    "settings": "Python-pad naar een settings-module (anders DJANGO_SETTINGS_MODULE).",
    "pythonpath": "Map die aan het Python-pad wordt toegevoegd.",
    "traceback": "Toon bij een fout de volledige traceback.",
    "no_color": "Geen kleur in de uitvoer.",
    "force_color": "Altijd kleur in de uitvoer.",
    "skip_checks": "Sla de systeemcontroles over.",
}


def dutch(parser):
    parser._positionals.title = "argumenten"
    parser._optionals.title = "opties"
    for action in parser._actions:
        if action.dest in DUTCH_HELP:
            action.help = DUTCH_HELP[action.dest]
    return parser
