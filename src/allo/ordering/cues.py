"""Function words of an order, in French and English: negation, "with", "and", "or", fillers."""

from __future__ import annotations

NEG = "neg"  # starts a negation: "sans", "no", "hold the"
POS = "pos"  # "avec", "with", "add": ends a negation
AND = "and"
OR = "or"  # "ou", "or", "ni", "nor": a negation carries over it
BUT = "but"
SEP = "sep"  # end of a sentence
MUL = "mul"  # the "x" of "2 x", "x2"
ART = "art"  # an article that counts one: "a", "un", "une"
SOME = "some"  # "des", "some": a quantity not given
CORR = "corr"  # "plutôt", "en fait", "make that": a change of mind
DONT = "dont"  # "deux margherita dont une grande": part of a line

_PHRASES: dict[str, tuple[str, ...]] = {
    NEG: (
        "no", "not", "without", "hold", "hold the", "hold on", "hold off on", "avoid", "skip", "minus",
        "except", "except for", "excluding", "don t want", "do not want", "don t put", "do not put",
        "don t add", "do not add", "don t", "do not", "dont", "dont want", "didn t", "never", "none",
        "leave off", "leave out", "remove", "take off", "take out", "no more", "nothing", "without any",
        "without adding", "no add", "not add", "no adding", "not adding", "any", "no need for", "i don t want", "cannot have", "can t have", "allergic to",
        "sans", "pas de", "pas d", "pas", "retirer", "retire", "retirez", "enlever", "enleve", "enlevez",
        "sauf", "excepte", "aucun", "aucune", "non", "surtout pas", "ni", "nor",
    ),
    POS: (
        "with", "add", "plus", "also", "along with", "as well as", "together with", "topped with",
        "and with", "but with", "with some", "and add", "adding", "including", "include", "includes",
        "avec", "ajoute", "ajouter", "ajoutez", "rajoute", "rajouter", "en plus", "et avec", "mais avec",
        "mettez", "mets",
    ),
    AND: ("and", "et", "&", "+", ",", "then", "puis", "and then", "et puis", "ainsi que", "and also"),
    OR: ("or", "ou", "either", "sinon", "ou bien", "otherwise", "or else", "a defaut", "ou alors"),
    BUT: ("but", "mais", "however", "though", "only"),
    SEP: (".", "!", "?", ";", ":", "\n"),
    CORR: (
        "plutot", "non plutot", "ou plutot", "en fait", "non en fait", "finalement", "non finalement",
        "pardon", "je veux dire", "actually", "make that", "sorry", "i mean", "correction",
    ),
    DONT: ("dont", "of which"),
    MUL: ("x", "fois", "times"),
    ART: ("a", "an", "un", "une", "another", "encore un", "encore une", "single"),
    SOME: ("des", "some", "du", "de la", "quelques"),
}

# Phrase (as a tuple of tokens) -> kind; the matcher tries the longest phrase first.
CUES: dict[tuple[str, ...], str] = {}
for _kind, _phrases in _PHRASES.items():
    for _p in _phrases:
        CUES[tuple(_p.split()) or (_p,)] = _kind
# "any" alone only keeps a negation going ("without any ham"); "ni" and "nor" carry one.
CUES[("any",)] = "filler"
CUES[("ni",)] = OR + NEG
CUES[("nor",)] = OR + NEG
CUES_MAX_LEN = max(len(k) for k in CUES)
CUE_FIRST_WORDS = frozenset(k[0] for k in CUES)

# Words that carry no order content: never reported as unknown.
FILLERS = frozenset(
    """
    i me my mine we us our you your it its it s is are am be been was were this that that s these those
    the of to for in on at by from into onto as so oh ok okay yes yeah hi hello hey well
    want wanted wanna would like love prefer need needs get got give gimme have has having had take
    taking try order ordering ordered place put start let make sure can could may might will shall
    should do does did please thanks thank thankyou appreciate much very really just go going
    gonna for tonight today now also too that s all everything is it that will be what which who
    some any d ll ve re m s t there here up out off over top them they he she his her
    size sized order orders piece pieces kind type one ones time lunch dinner pick pickup
    je j tu il elle on nous vous ils elles le la les l de d du des au aux a en y ce c cet cette ces
    mon ma mes ton ta tes son sa ses notre votre nos vos leur leurs qui que qu quoi dont
    voudrais voudrait voulais veux veut voudrions aimerais aimerait prendre prends prend prendrai
    commander commande commandes merci bonjour bonsoir salut coucou hello svp stp please est suis
    sera serait etre avoir ai as avez vais va faut peux pouvez pourriez pourrais pouvoir
    bien tres trop aussi encore juste seulement donc alors voila voici ok oui si beaucoup bcp
    me moi m te toi s se lui leur livrer livre livrez livraison envoyer envoyez apporter
    pour par sur dans chez vers taille rien autre possible tout tous toutes cela ca
    kg kilo kilos g gramme grammes boite boites paquet paquets pack packs sachet sachets tube tubes
    flacon flacons tablette tablettes plaquette plaquettes litre litres l piece pieces part parts
    box boxes packet packets bag bags drink drinks boisson boissons
    nice great good lovely wonderful day evening night morning afternoon weekend lot favor favour bit
    question moment sec minute guys folks sir madam bonne belle journee soiree
    souhaiterais souhaite souhaiterait desire desirerais apporter apportez amener ramener
    deliver delivered delivery send bring ship drop
    """.split()
)

# Frequent words never "corrected" into a catalog word ("think" is not "thin", "later" not "liter").
COMMON = frozenset(
    """
    about above after again against almost alone along already also although always among another
    anybody anyone anything anyway anywhere around asked away back because become before behind being
    below beside best better between beyond both bring brought call came cannot cause certain change
    come coming could couple dear does doing done down during each early easy either else enough even
    evening ever every everybody everyone exactly fact family feel few find fine first five follow
    found four friend friends from front full gave getting given going gone good great guess guys half
    happy hard hear heard hello help here hers herself high himself hold home hope hour hours house
    however hungry idea inside instead into itself just keep kind know known last late later least left
    less life like likely little long look looking lot lots love made main make many matter maybe mean
    might mind minute minutes more most mostly much must myself name near need never next nice night
    none nothing notice number often once only open other others otherwise ours ourselves over part
    people perhaps place plan plans point pretty probably quick quickly quite rather ready real really
    right said same saying second seem seen self send sent seven several shall short should show side
    since small some somebody someone something sometimes soon sorry start still such sure take taken
    tell than thank thanks that their them themselves then there these they thing things think third
    this those though thought three through till time times today together tomorrow tonight total
    toward true trying turn under until upon used using usual very wait want wanted wants water well
    went were what whatever when where whether which while whole whom whose will wish with within
    without would yeah year years your yours yourself
    alors apres aujourd aussi autre autres avant avec avoir beaucoup bien bientot bonjour bonne bonsoir
    cela celle celui cette chez chose choses comme comment dans depuis deja demain donc elle encore
    enfin ensemble entre etait faire faut fois gens heure heures ici jamais jour juste leur lorsque
    maintenant mais meme merci mieux moins monsieur madame parce pendant personne petit peut peux plus
    plutot pour pourquoi pourrais pouvez prochain quand quelque quelques rien sans savoir selon
    seulement sinon soir sommes sont souvent suis surtout tard tellement temps toujours tous tout toute
    toutes tres trop vers voila voudrais vraiment
    """.split()
)
