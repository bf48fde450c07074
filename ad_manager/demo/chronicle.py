"""The demo article's text, written for the project, and text for catalogue articles."""

from ad_manager.layouts.preview import PreviewArticle

CHRONICLE = PreviewArticle(
    title="Au conseil municipal, le budget des cantines fait enfin l'unanimité",
    section="politique",
    tags=("municipalité", "budget", "écoles"),
    author="Étienne Marchal",
    standfirst="Chronique d'une séance où l'on a parlé de menus plus que de petites phrases.",
    paragraphs=(
        "Il est des soirs où la vie municipale ressemble à un feuilleton dont on connaît la "
        "fin. Mardi, dans la salle du conseil, chacun avait préparé sa réplique sur le prix "
        "du repas à la cantine, et chacun savait que le débat durerait jusqu'à minuit.",
        "Il n'en fut rien. Dès l'ouverture de la séance, l'adjointe aux affaires scolaires a "
        "présenté un tableau simple : ce que coûte un repas, ce que paient les familles, ce "
        "que la ville ajoute. Trois colonnes, pas une de plus, projetées sur l'écran du fond.",
        "L'opposition, qui réclamait depuis deux ans un tarif selon le quotient familial, a "
        "découvert que la proposition reprenait presque mot pour mot son propre amendement. "
        "Son chef de file a demandé une suspension de séance, plus pour relire que pour "
        "négocier.",
        "Dans le public, une poignée de parents d'élèves suivaient les échanges, carnet sur "
        "les genoux. L'un d'eux confiait à la sortie n'avoir jamais vu un budget voté aussi "
        "vite, et se demandait à voix haute s'il fallait s'en réjouir ou s'en inquiéter.",
        "Le texte adopté prévoit quatre tranches de tarifs, un repas à un euro pour les "
        "familles les plus modestes et une part de produits locaux portée à la moitié des "
        "achats d'ici la rentrée prochaine. Les producteurs du canton ont déjà été consultés.",
        "Reste la question qui fâche : qui paiera la différence ? La majorité parle "
        "d'économies sur l'éclairage public, l'opposition d'un emprunt déguisé. Le débat "
        "reviendra au printemps, avec le compte administratif, et promet d'être moins calme.",
        "En attendant, les enfants mangeront la même chose quel que soit le revenu de leurs "
        "parents, et c'est peut-être la seule phrase de la soirée que tout le monde aurait pu "
        "signer. Il arrive que la politique locale ait bon goût.",
    ),
)

# Text for the catalogue's demo articles, by section: each page shows its own
# headline above these paragraphs, so every link of an insert lands on a real page.
SECTION_TEXT = {
    "politique": (
        "La séance s'est ouverte dans une salle plus remplie qu'à l'ordinaire, signe que le "
        "sujet intéresse bien au-delà des élus.",
        "Les arguments des uns et des autres n'ont guère changé depuis le dernier scrutin, "
        "mais le ton, lui, s'est nettement apaisé.",
    ),
    "economie": (
        "Les chiffres publiés cette semaine confirment une tendance que les commerçants du "
        "centre-ville observaient déjà depuis l'été.",
        "Les chefs d'entreprise interrogés restent prudents et attendent la fin de l'hiver "
        "avant d'embaucher.",
    ),
    "culture": (
        "Le public a répondu présent dès le premier soir, au point que les organisateurs ont "
        "ajouté une date supplémentaire.",
        "Les bénévoles, plus nombreux que l'an dernier, ont tenu la billetterie comme la "
        "buvette avec le sourire.",
    ),
    "sport": (
        "Le match a longtemps hésité avant de basculer dans le dernier quart d'heure, sous "
        "les encouragements d'un stade presque plein.",
        "L'entraîneur a salué l'état d'esprit de son groupe, sans cacher que la route du "
        "maintien sera encore longue.",
    ),
}
COMMON_TEXT = (
    "Notre rédaction a recueilli les réactions des habitants, partagés entre satisfaction "
    "et scepticisme.",
    "Plusieurs questions restent ouvertes, que les prochaines semaines devraient éclaircir.",
    "Les services municipaux promettent un premier bilan avant la fin de l'année.",
    "Nous reviendrons sur ce dossier dans nos prochaines éditions.",
    "Les réactions peuvent être adressées à la rédaction, qui en publiera une sélection.",
)


def catalogue_paragraphs(section: str) -> tuple[str, ...]:
    """Give seven paragraphs for a catalogue article of ``section``."""
    own = SECTION_TEXT.get(section, SECTION_TEXT["politique"])
    return own + COMMON_TEXT
