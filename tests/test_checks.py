"""Each consistency check, with a failing and a passing case."""

import pytest

INTRO = "Cette fiche territoriale présente les programmes d'action de l'ANCT : France Services, Petites villes de demain.\n\n"


def checks(ex, name):
    return [f for f in ex.findings if f.check == name]


def test_count_matches_list(extract_text):
    bad = extract_text(INTRO + "Petites villes de demain\n\n4 villes bénéficiaires du programme :\nMaurs, Ydes et Massiac\n")
    found = checks(bad, "count_matches_list")
    assert len(found) == 1 and "4 villes" in found[0].message and "3 listed" in found[0].message
    good = extract_text(INTRO + "Petites villes de demain\n\n3 villes bénéficiaires du programme :\nMaurs, Ydes et Massiac\n")
    assert checks(good, "count_matches_list") == []


def test_list_cut_by_a_column_break_goes_on(extract_text):
    """A blank line where a column or page ends, inside a list whose sentence has not
    ended: the list goes on into the next block, and the count matches."""
    cut_in_an_item = extract_text(INTRO + "Numérique\n\n3 collectivités lauréates : CC Vallée de l'Hérault\n\n"
                                  "(Gignac), CC du Clermontais et CC Lodévois et Larzac.\n\nIncubateur\n")
    assert checks(cut_in_an_item, "count_matches_list") == []
    # SIREN of the three communautés de communes (INSEE, EPCI au 1er janvier)
    assert [p.insee_code for p in cut_in_an_item.places if p.kind == "epci"] == ["243400694", "243400355", "200017341"]
    cut_after_a_semicolon = extract_text(INTRO + "Ruralités\n\n3 contrats de ruralité : PETR Pays de Lunel ;\n\n"
                                         "PETR Cœur d'Hérault ; PETR Haut-Languedoc et Vignobles\n\n"
                                         "112 sur 342 communes du département sont classées en ZRR.\n")
    assert checks(cut_after_a_semicolon, "count_matches_list") == []
    # a list that ended (full stop) before the break is not continued: a short list stays short
    short = extract_text(INTRO + "Numérique\n\n3 collectivités lauréates : CC du Clermontais, CC Lodévois et Larzac.\n\n"
                         "Les conseillers, les médiateurs et les aidants seront formés.\n")
    assert "2 listed" in checks(short, "count_matches_list")[0].message


def test_list_lines_that_separate_names_go_on(extract_text):
    """A list without a full stop ends at a line that opens a sentence, not at a line
    that goes on separating names (`de l'Armor à l'Argoat, CA Dinan`); semicolons
    separate names that hold `et` (`Pays de Bassillac et Auberoche`)."""
    ex = extract_text(INTRO + "Numérique\n\n4 collectivités lauréates : CA Lannion-Trégor\nCommunauté, CA Guingamp-Paimpol\n"
                      "Agglomération de l'Armor à l'Argoat, CA Dinan\nAgglomération et CC Leff Armor Communauté\n"
                      "Engagements de l'État et des partenaires financiers : 3,1 millions d'euros.\n")
    assert checks(ex, "count_matches_list") == []
    assert len([p for p in ex.places if p.kind == "epci" and p.insee_code]) == 4
    crte = extract_text(INTRO + "Territoires\n\nLe département compte 3 CRTE : Pays de Bassillac et Auberoche ; "
                        "Vallées de la Dordogne ; Grand\nChancelade\n\n2 de ces territoires seront accompagnés.\n")
    assert checks(crte, "count_matches_list") == []


def test_count_matches_bullet_list(extract_text):
    bad = extract_text(INTRO + "2 projets retenus :\n• le premier projet ;\n• le deuxième projet ;\n• le troisième projet.\n")
    assert "3 listed" in checks(bad, "count_matches_list")[0].message
    good = extract_text(INTRO + "2 projets retenus :\n• le premier projet ;\n• le deuxième projet.\n")
    assert checks(good, "count_matches_list") == []


TABLE = INTRO + "France Très Haut Débit\n\nZone AMII {a} ({pa} %) 10 000 ({ra} %)\n\nZone RIP 60 000 (60 %) 30 000 (50 %)\n\nTOTAL {t} 40 000 (40 %)\n"


def test_table_parts_and_shares(extract_text):
    good = extract_text(TABLE.format(a="40 000", pa="40", ra="25", t="100 000"))
    assert checks(good, "table_parts_sum") == [] and checks(good, "table_share") == []
    bad_sum = extract_text(TABLE.format(a="40 000", pa="40", ra="25", t="110 000"))
    assert len(checks(bad_sum, "table_parts_sum")) == 1
    bad_share = extract_text(TABLE.format(a="40 000", pa="40", ra="75", t="100 000"))
    assert [f.message.split(":")[0] for f in checks(bad_share, "table_share")] == ["Zone AMII"]


def test_table_with_narrow_group_spaces_keeps_adjacent_figures_apart(extract_text):
    """Digit groups joined by narrow no-break spaces, cells by plain spaces: `521 000
    291 500` is two figures, and this consistent table raises nothing."""
    nb = "\u202f"
    table = (INTRO + "France Très Haut Débit\n\n"
             f"Zone AMII 156{nb}300 (30 %) 148{nb}900 (95 %)\n\nZone RIP 364{nb}700 (70 %) 142{nb}600 (39 %)\n\n"
             f"TOTAL 521{nb}000 291{nb}500 (56 %)\n")
    ex = extract_text(table)
    assert ex.tables and ex.tables[0].rows[-1][1:3] == [f"521{nb}000", f"291{nb}500 (56 %)"]
    assert checks(ex, "table_parts_sum") == [] and checks(ex, "table_share") == []


def test_place_outside_department(extract_text):
    bad = extract_text(
        INTRO + "Fabriques numériques\n\n120 fabriques retenues, dont 2 dans le Cantal : Le Fablab à Aurillac, Le Lieu à Rodez\n"
    )
    found = checks(bad, "place_outside_department")
    assert bad.document.department_code == "15"
    assert [f.message.split(" ")[0] for f in found] == ["Rodez"]
    good = extract_text(INTRO + "Fabriques numériques\n\n120 fabriques retenues, dont 2 dans le Cantal : Le Fablab à Aurillac, Le Lieu à Mauriac\n")
    assert checks(good, "place_outside_department") == []


def test_figure_stated_twice(extract_text):
    bad = extract_text(INTRO + "France Services\n\n12 espaces France Services labellisés.\n\nLe département compte 14 espaces France Services labellisés.\n")
    assert len(checks(bad, "figure_stated_twice")) == 1
    good = extract_text(INTRO + "France Services\n\n12 espaces France Services labellisés.\n\nLe département compte 12 espaces France Services labellisés.\n")
    assert checks(good, "figure_stated_twice") == []


def test_no_false_findings_on_lists_bullets_and_scopes(extract_text):
    """Consistent texts written the ways the fiches and communiqués write them."""
    ex = extract_text(
        INTRO
        + "Petites villes de demain\n\n3 communes bénéficiaires du programme : Lavelanet, Mazères et Pamiers\n"
        "Depuis 2018, 57 460 000 € ont été engagés par l'État et ses partenaires.\n\n"
        "2 collectivités lauréates : CC des Albères, de la Côte Vermeille et de l'Illibéris, CC du Vallespir\n\n"
        "Elle exerce trois grandes missions : l'accompagnement sur mesure, la revitalisation commerciale et "
        "artisanale et l'élaboration de pactes territoriaux.\n\n"
        "France Mobile\n\n603 zones prioritaires identifiées en Centre-Val de Loire, dont 36 dans le département.\n\n"
        "Les projets retenus :\n• Grasse : création d'une maison de santé (1,8 M€) ;\n"
        "• Vence : création d'une maison de santé (1,6 M€).\n"
    )
    assert checks(ex, "count_matches_list") == []
    assert checks(ex, "figure_stated_twice") == []
    scopes = {m.value: m.scope for m in ex.measures}
    assert scopes[603] == "region" and scopes[36] == "departement"
    # the list's names the comma split are one intercommunality again
    assert [p.insee_code for p in ex.places if p.kind == "epci"] == ["200043602", "246600373"]


def test_required_section_missing(extract_text):
    text = INTRO + "Territoires et ruralités\n\n3 contrats signés.\n\nPolitique de la ville\n\n1 QPV.\n"
    found = checks(extract_text(text), "required_section_missing")
    assert [f.message for f in found] == ["no section 'Numérique' in this fiche territoriale"]
    full = extract_text(text + "\nNumérique\n\n4 conseillers numériques.\n")
    assert checks(full, "required_section_missing") == []


def test_number_not_parsed(extract_text):
    bad = extract_text(INTRO + "Une aide de 3.5 M€ a été versée.\n")
    assert [f.evidence for f in checks(bad, "number_not_parsed")] == ["3.5 M€"]
    good = extract_text(INTRO + "Une aide de 3,5 M€ a été versée.\n")
    assert checks(good, "number_not_parsed") == []


def test_part_exceeds_total_and_percent_range(extract_text):
    bad = extract_text(INTRO + "Ruralité\n\n330 communes sur 321 classées en ZRR. Soit 120 % de la population.\n")
    assert len(checks(bad, "part_exceeds_total")) == 1 and len(checks(bad, "percent_out_of_range")) == 1
    good = extract_text(INTRO + "Ruralité\n\n285 communes sur 321 classées en ZRR. Soit 12 % de la population.\n")
    assert checks(good, "part_exceeds_total") == [] and checks(good, "percent_out_of_range") == []


@pytest.mark.parametrize("name", ["fiche-territoriale-lot.txt", "fiche-territoriale-lot.pdf"])
def test_corpus_fiche_raises_agen_marmande_and_the_official_lists_only(extractions, name):
    """Agen and Marmande are no Lot communes; the official lists (of 2024) have no
    Petites ville de demain at Cœur de Causse and no France services at Cazals, 19
    Petites villes de demain and 24 France services in the Lot."""
    from conftest import CORPUS

    ex = extractions(CORPUS / name)
    found = sorted((f.check, f.message.split(" ")[0]) for f in ex.findings)
    assert found == [("count_vs_official_list", "15"), ("count_vs_official_list", "20"),
                     ("not_in_official_list", "Cazals"), ("not_in_official_list", "Cœur"),
                     ("place_outside_department", "Agen"), ("place_outside_department", "Marmande")]


@pytest.mark.parametrize("name", ["fiche-territoriale-lot.txt", "fiche-territoriale-lot.pdf"])
def test_lot_petites_villes_de_demain_against_the_official_list(extractions, name):
    """Of the 20 Petites villes de demain of the Lot fiche, only Cœur de Causse is not
    in the official list; the finding names the list and its dates."""
    from conftest import CORPUS

    ex = extractions(CORPUS / name)
    pvd = [p for p in ex.places if p.programme == "pvd"]
    assert len(pvd) == 20
    found = [f for f in checks(ex, "not_in_official_list") if "Petites villes de demain" in f.message]
    assert [(f.evidence, f.severity) for f in found] == [("Cœur de Causse", "warning")]
    assert "petites-villes-de-demain.csv" in found[0].message and "2021-05-28" in found[0].message
    assert ex.document.text[found[0].start:found[0].end] == "Cœur de Causse"


CANTAL = "Cette fiche territoriale présente les programmes d'action de l'ANCT dans le Cantal.\n\n"


def test_not_in_official_list(extract_text):
    """A commune listed under the programme's heading, or after a sentence naming the
    programme, that its official list does not name (Salers, Trizac: no Petites
    villes de demain of the Cantal)."""
    bad = extract_text(CANTAL + "Petites villes de demain\n\n3 villes bénéficiaires du programme :\nMurat, Salers et Ydes\n")
    assert [f.evidence for f in checks(bad, "not_in_official_list")] == ["Salers"]
    assert {p.name: p.programme for p in bad.places if p.kind == "commune"} == {"Murat": "pvd", "Salers": "pvd", "Ydes": "pvd"}
    release = extract_text("COMMUNIQUÉ DE PRESSE\n\nAurillac, le 10 mars 2021\n\nPROGRAMME\n\n"
                           "Au titre du programme Petites villes de demain, 3 communes ont été retenues : Maurs, "
                           "Trizac et Massiac.\n")
    assert [f.evidence for f in checks(release, "not_in_official_list")] == ["Trizac"]
    good = extract_text(CANTAL + "Petites villes de demain\n\n3 villes bénéficiaires du programme :\nMurat, Maurs et Ydes\n")
    assert checks(good, "not_in_official_list") == []
    # named in running text under the heading, not listed: not claimed a member
    visit = extract_text(CANTAL + "Petites villes de demain\n\nLa préfète s'est rendue à Salers pour une réunion.\n")
    assert checks(visit, "not_in_official_list") == []


def test_count_vs_official_list(extract_text):
    """A stated count of a programme's members in the département that the official
    list does not give (26 Petites villes de demain and 19 France services sites in
    the Cantal)."""
    from fiche_extract.resources import programmes

    assert (programmes.official_count("pvd", "15"), programmes.official_count("fs", "15")) == (26, 19)
    bad = extract_text(CANTAL + "France Services\n\n12 espaces France Services labellisés dans le département.\n")
    found = checks(bad, "count_vs_official_list")
    assert len(found) == 1 and "counts 19" in found[0].message and found[0].evidence.startswith("12 espaces")
    good = extract_text(CANTAL + "France Services\n\n19 espaces France Services labellisés dans le département.\n")
    assert checks(good, "count_vs_official_list") == []
    # a count of something else under the heading is no count of members
    other = extract_text(CANTAL + "France Services\n\n12 conseillers formés dans le département.\n")
    assert checks(other, "count_vs_official_list") == []
