from fiche_extract.reading.load import split_text_pages
from fiche_extract.folding import fold
from fiche_extract.reading.normalise import clean_line, normalise, plain_text_document


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


def test_full_width_line_whose_word_space_falls_on_the_gutter_stays_whole(tmp_path):
    """A two-column page with one full-width line: where a plain word space of that
    line happens to sit on the gutter, the line is still one line, not two halves
    read in different columns."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from fiche_extract.reading.load import load

    path = tmp_path / "gutter.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    width, height = A4
    gutter = width / 2
    # the full-width line, placed so that the space before its last word straddles the gutter
    head = "Le programme accompagne deux villes moyennes du département : Fort-de-France et Le"
    x = gutter - 2.5 - c.stringWidth(head, "Helvetica", 10)
    c.drawString(x, height - 100, head)
    c.drawString(gutter + 0.5, height - 100, "François.")
    for k in range(30):  # two columns of body text below it
        y = height - 130 - 14 * k
        c.drawRightString(gutter - 8, y, f"Ligne {k} de la colonne de gauche, texte justifié")
        c.drawString(gutter + 8, y, f"Ligne {k} de la colonne de droite, texte suivi")
    c.save()

    pages = load(path).pages
    texts = [line.text for line in pages[0].lines]
    assert head + " François." in texts
    left = [t for t in texts if "gauche" in t]
    assert len(left) == 30 and not any("droite" in t for t in left)  # the columns are still read apart


def test_full_width_paragraph_ending_on_a_short_line_is_one_block(tmp_path):
    """On a two-column page, the short last line of a full-width paragraph fits in the
    left column: it is still the same paragraph (`Anah, Action` / `Logement) dans…`)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from fiche_extract.reading.load import load
    from fiche_extract.reading.normalise import normalise

    path = tmp_path / "paragraph.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    width, height = A4
    c.drawString(50, height - 100, "Depuis 2018, 15,8 millions d'euros ont été engagés par l'État et ses partenaires "
                                   "(Banque des Territoires, Anah, Action")
    c.drawString(50, height - 112, "Logement) dans le territoire.")
    for k in range(30):
        y = height - 150 - 14 * k
        c.drawString(50, y, f"Ligne {k} de la colonne de gauche, texte suivi")
        c.drawString(width / 2 + 20, y, f"Ligne {k} de la colonne de droite, texte suivi")
    c.save()

    text = normalise(load(path).pages).text
    assert "Anah, Action\nLogement) dans le territoire." in text
    assert "texte suivi\n\nLigne 0 de la colonne de droite" in text  # the columns stay blocks of their own
