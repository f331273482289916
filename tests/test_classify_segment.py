from fiche_extract.classify import classify
from fiche_extract.normalise import plain_text_document
from fiche_extract.segment import segment

OTHER_FICHE = """ Jean Martin
Président de l'Agence

Une fiche territoriale pour votre département.
 PROGRAMMES D'ACTION DE L'ANCT

Territoires et ruralités
France Services

9 espaces France Services :
Aurillac, Mauriac et Murat

Petites villes de demain

4 villes bénéficiaires du programme :
Riom-ès-Montagnes, Maurs, Massiac et Ydes

Numérique
Conseillers numériques

5 conseillers numériques validés.
"""

OTHER_COMMUNIQUE = """COMMUNIQUÉ DE PRESSE

Mende, le 3 mars 2021

SIGNATURE DU CONTRAT DE RELANCE

La préfète de la Lozère a signé ce mercredi le contrat.
"""


def test_kinds_with_deciding_features():
    kind, features = classify(OTHER_FICHE)
    assert kind == "fiche_territoriale"
    assert features["fiche_territoriale:france services"] > 0
    kind, features = classify(OTHER_COMMUNIQUE)
    assert kind == "communique_de_presse" and features["communique_de_presse:dateline"] > 0


def test_unknown_rather_than_a_forced_guess():
    assert classify("Compte rendu du conseil municipal. La séance est ouverte à 18 heures.")[0] == "inconnu"
    assert classify("The prefecture of Lozère published its annual report on public services.")[0] == "inconnu"


def test_heading_tree_of_a_fiche():
    nt = plain_text_document(OTHER_FICHE)
    paths = [s.path for s in segment(nt)]
    assert ["PROGRAMMES D'ACTION DE L'ANCT", "Territoires et ruralités", "France Services"] in paths
    assert ["PROGRAMMES D'ACTION DE L'ANCT", "Territoires et ruralités", "Petites villes de demain"] in paths
    assert ["PROGRAMMES D'ACTION DE L'ANCT", "Numérique", "Conseillers numériques"] in paths
    assert not any("Aurillac" in p[-1] or "Jean Martin" in p[-1] for p in paths)
