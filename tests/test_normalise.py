from fiche_extract.load import split_text_pages
from fiche_extract.normalise import clean_line, fold, normalise, plain_text_document


def test_spaces_apostrophes_and_bullets_are_normalised():
    # digit groups keep one narrow no-break space; other special spaces become plain spaces
    assert clean_line("16\u202f042\u00a0963\u00a0euros") == "16\u202f042\u202f963 euros"
    assert clean_line("(21\u202f%)") == "(21 %)"
    assert clean_line("l\u2019Agence  de   l’État") == "l'Agence de l'État"
    assert clean_line("• \ufffdLes PEP, acteurs") == "• Les PEP, acteurs"
    assert clean_line("- \ufffdcelle d’Orange") == "• celle d'Orange"
    assert clean_line("- la construction") == "• la construction"
    assert clean_line("-5 % sur un an") == "-5 % sur un an"


def test_compound_name_split_at_line_end_keeps_its_hyphen():
    nt = plain_text_document("Gramat, Montcuq-\nen-Quercy-Blanc, Biars-\nsur-Cère et Figeac-Quercy-\nVallée de la Dordogne\n")
    assert "Montcuq-en-Quercy-Blanc" in nt.text
    assert "Biars-sur-Cère" in nt.text
    assert "Figeac-Quercy-Vallée de la Dordogne" in nt.text


def test_syllable_hyphenation_is_joined():
    nt = plain_text_document("le dévelop-\npement des territoires et la résil-\nience locale\n")
    assert "développement des territoires" in nt.text
    assert "résilience locale" in nt.text


def test_spans_map_offsets_back_to_pages():
    text = "Titre\n" + "\n".join(f"ligne {i} du texte." for i in range(25)) + "\n Deuxième page\nsuite du texte\n"
    nt = normalise(split_text_pages(text))
    assert nt.pages == 2
    off = nt.text.index("Deuxième page")
    assert nt.page_at(off) == 2
    assert nt.page_at(nt.text.index("ligne 3 ")) == 1
    ev = nt.evidence(off, off + 8)
    assert ev.text == "Deuxième" and ev.page == 2


def test_space_led_text_boxes_do_not_start_pages():
    body = "\n".join(f"phrase {i} du communiqué." for i in range(30))
    text = f"{body}\n Consulter le guide\n Les missions de l'agence\n\nSuite du texte.\n www.exemple.gouv.fr\n"
    assert len(split_text_pages(text)) == 1
    assert len(split_text_pages("a\fb")) == 2


def test_fold_ignores_case_accents_hyphens_and_apostrophes():
    assert fold("Puy-l’Évêque") == fold("puy l'eveque") == "puy l eveque"
    assert fold("Cœur de Causse") == "coeur de causse"
