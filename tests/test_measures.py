"""Measure rules on invented texts written like other départements' fiches."""

import pytest

from fiche_extract.rules.measures import extract_measures
from fiche_extract.reading.normalise import plain_text_document


def measures(text):
    return [(m.value, m.unit, m.total) for m in extract_measures(plain_text_document(text))]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("8 234 117 euros : les engagements cumulés de l'État.", (8234117, "EUR")),
        ("3,4 millions d'euros : aide octroyée par l'État.", (3400000, "EUR")),
        ("12,08 millions d’euros : l'enveloppe du fonds.", (12080000, "EUR")),
        ("Subvention 2022 : 98 500 euros.", (98500, "EUR")),
        ("Un budget de 3 Md€ pour le plan.", (3000000000, "EUR")),
        ("Une aide de 8 M€ pour le territoire.", (8000000, "EUR")),
        ("Soit 2 % de la population.", (2, "percent")),
        ("Ce volume représente 0,7 % des contrats signés.", (0.7, "percent")),
        ("une équipe de 3,5 ETP.", (3.5, "FTE")),
        ("12 espaces France Services :", (12, "count")),
    ],
)
def test_forms_of_figures(text, expected):
    got = measures(text)
    assert got and got[0][:2] == (pytest.approx(expected[0]), expected[1]), got


def test_value_and_total():
    assert measures("142 communes sur 187 classées en zone de revitalisation rurale.") == [(142, "count", 187)]
    got = measures("9 mis en service dans le département sur un total de 80 mis en service au niveau régional.")
    assert got == [(9, "count", 80)]


def test_dont_part_takes_object_and_scope():
    ms = extract_measures(plain_text_document("312 zones prioritaires à couvrir identifiées en Bretagne, dont 40 dans le département."))
    assert [(m.value, m.scope) for m in ms] == [(312, "region"), (40, "departement")]
    assert ms[1].object == ms[0].object == "zones prioritaires"


def test_number_words_and_stated_zero():
    got = measures("Elle agit en déclinant quatre grandes missions.\n\nAucun pass numérique déployé dans le département.")
    assert (4, "count", None) in got and (0, "count", None) in got


def test_years_dates_phones_and_programme_codes_are_not_measures():
    text = (
        "Créé en 2004, il est financé depuis le 1er janvier 2020 pour 2021 et 2022. "
        "Crédits du P147. Appeler le 03 84 57 00 00. Une vague close le 31 juillet 2020. "
        "Épidémie de Covid-19, réseau 4G, CA de Blois (41), publié le 3 juin 2021, au 1er trimestre 2021."
    )
    assert measures(text) == []


def test_table_rows_give_counts_and_shares():
    got = measures("Zone AMII 31 200 (24 %) 15 100 (48 %)\n\nTOTAL 98 600 41 000 (42 %)\n")
    assert got == [
        (31200, "count", None), (24, "percent", None), (15100, "count", None), (48, "percent", None),
        (98600, "count", None), (41000, "count", None), (42, "percent", None),
    ]


def test_adjacent_numbers_in_a_flattened_row_stay_apart():
    # the source groups digits with thin spaces and separates cells with plain spaces
    got = measures("TOTAL 157\u2009700 139\u2009100 (88\u202f%)\n")
    assert got == [(157700, "count", None), (139100, "count", None), (88, "percent", None)]


def test_evidence_points_at_the_figure():
    nt = plain_text_document("Intro.\n\n7 contrats de ruralité :\nPETR A ; PETR B\n")
    m = extract_measures(nt)[0]
    assert nt.text[m.start:m.end] == "7" and m.object == "contrats de ruralité"


def test_counts_with_a_scale_word_partitives_and_zeros_after_dont():
    assert measures("Près de 13 millions de Français restent éloignés du numérique.") == [(13000000, "count", None)]
    assert (2, "count", None) in measures("Le département compte 5 CRTE. Deux de ces territoires seront accompagnés.")
    assert measures("217 fabriques retenues au titre de l'AMI, dont aucune dans les Alpes-Maritimes.") == [
        (217, "count", None), (0, "count", None)]


def test_number_words_in_a_title_in_capitals_but_not_in_a_commune_name():
    assert measures("LABELLISATION DE DEUX NOUVEAUX ESPACES FRANCE SERVICES\n\nTexte.") == [(2, "count", None)]
    assert measures("SIGNATURE À FLORAC TROIS RIVIÈRES\n\nTexte.") == []


def test_figures_after_a_list_of_communes():
    """A list ending on a name that ends in `p.` (no page reference), or on a name
    without a full stop before a sentence opened by a number word, leaves the next
    figure whole."""
    def measures(text):
        return [(m.value, m.object) for m in extract_measures(plain_text_document(text))]

    after_stop = measures("15 communes lauréates : Vincey, Tendon et Ramonchamp.\n\n"
                          "10 chefs de projet cofinancés par l'ANCT.\n")
    assert (10.0, "chefs de projet cofinancés") in after_stop
    after_name = measures("12 villes : Chanas, La Bâtie-Montgascon et\nApprieu\nQuatre chefs de projet cofinancés.\n")
    assert (4.0, "chefs de projet cofinancés") in after_name
    assert measures("La réunion est prévue p. 10 du dossier.\n") == []  # a page reference is still no figure
