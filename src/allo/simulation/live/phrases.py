"""How customers name the demo shops' items: (French one, French n, English one, English n).

"{n}" is the quantity. Keys are catalog SKUs; an item missing here is named by its catalog name, so
the simulation works with any catalog, just less naturally.
"""

from __future__ import annotations

from allo.domain.catalog import CatalogItem

Phrase = tuple[str, str, str, str]

PHRASES: dict[str, Phrase] = {
    # pharmacy
    "DOLI1000": ("un doliprane 1000", "{n} doliprane 1000", "a doliprane 1000", "{n} doliprane 1000"),
    "DOLI500": ("un doliprane 500", "{n} doliprane 500", "a doliprane 500", "{n} doliprane 500"),
    "EFFERALGAN": ("un efferalgan", "{n} efferalgan", "an efferalgan", "{n} efferalgan"),
    "IBU400": ("un ibuprofène 400", "{n} ibuprofène 400", "an ibuprofen 400", "{n} ibuprofen 400"),
    "SIROP_TOUX": ("un sirop pour la toux", "{n} sirops pour la toux", "a cough syrup", "{n} cough syrups"),
    "PASTILLES": ("des pastilles pour la gorge", "{n} boîtes de pastilles", "throat lozenges",
                  "{n} packs of throat lozenges"),
    "SMECTA": ("une boîte de smecta", "{n} smecta", "a smecta", "{n} smecta"),
    "GEL_HYDRO": ("un gel hydroalcoolique", "{n} gel hydroalcoolique", "a hand sanitizer", "{n} hand sanitizers"),
    "MASQUES": ("une boîte de masques", "{n} boîtes de masques", "a box of masks", "{n} boxes of masks"),
    "THERMOMETRE": ("un thermomètre", "{n} thermomètres", "a thermometer", "{n} thermometers"),
    "PANSEMENTS": ("des pansements", "{n} boîtes de pansements", "plasters", "{n} boxes of plasters"),
    "SERUM_PHY": ("du sérum physiologique", "{n} sérum phy", "saline solution", "{n} saline solution"),
    "CREME_SOLAIRE": ("une crème solaire", "{n} crèmes solaires", "a sunscreen", "{n} sunscreens"),
    "VITAMINE_C": ("de la vitamine c", "{n} vitamine c", "vitamin c", "{n} vitamin c"),
    "AUTOTEST": ("un autotest", "{n} autotests", "a covid test", "{n} covid tests"),
    "BIAFINE": ("une biafine", "{n} biafine", "a biafine", "{n} biafine"),
    # pizzeria
    "MARGHERITA": ("une margherita", "{n} margherita", "a margherita", "{n} margheritas"),
    "REINE": ("une reine", "{n} reines", "a regina", "{n} reginas"),
    "QUATRE_FROMAGES": ("une quatre fromages", "{n} quatre fromages", "a four cheese", "{n} four cheese"),
    "CALZONE": ("une calzone", "{n} calzones", "a calzone", "{n} calzones"),
    "NAPOLITAINE": ("une napolitaine", "{n} napolitaines", "a neapolitan", "{n} neapolitan"),
    "DIAVOLA": ("une diavola", "{n} diavola", "a pepperoni pizza", "{n} pepperoni pizzas"),
    "VEGETARIENNE": ("une végétarienne", "{n} végétariennes", "a veggie pizza", "{n} veggie pizzas"),
    "MONEGASQUE": ("une monégasque", "{n} monégasques", "a monegasque pizza", "{n} monegasque pizzas"),
    "BARBAJUANS": ("des barbajuans", "{n} barbajuans", "barbajuans", "{n} barbajuans"),
    "SALADE_CESAR": ("une salade césar", "{n} salades césar", "a caesar salad", "{n} caesar salads"),
    "TIRAMISU": ("un tiramisu", "{n} tiramisus", "a tiramisu", "{n} tiramisus"),
    "PANNA_COTTA": ("une panna cotta", "{n} panna cotta", "a panna cotta", "{n} panna cottas"),
    "COCA": ("un coca", "{n} cocas", "a coke", "{n} cokes"),
    "COCA_ZERO": ("un coca zéro", "{n} coca zéro", "a coke zero", "{n} coke zero"),
    "ORANGINA": ("un orangina", "{n} orangina", "an orangina", "{n} orangina"),
    "ICE_TEA": ("un ice tea", "{n} ice tea", "an iced tea", "{n} iced teas"),
    "EAU_GAZEUSE": ("un perrier", "{n} perrier", "a sparkling water", "{n} sparkling waters"),
    # grocer
    "BAGUETTE": ("une baguette", "{n} baguettes", "a baguette", "{n} baguettes"),
    "CROISSANT": ("un croissant", "{n} croissants", "a croissant", "{n} croissants"),
    "PAIN_CHOC": ("un pain au chocolat", "{n} pains au chocolat", "a chocolate croissant",
                  "{n} chocolate croissants"),
    "LAIT": ("une brique de lait", "{n} briques de lait", "a milk", "{n} milk"),
    "OEUFS": ("une boîte d'oeufs", "{n} boîtes d'oeufs", "a box of eggs", "{n} boxes of eggs"),
    "BEURRE": ("du beurre", "{n} plaquettes de beurre", "butter", "{n} butter"),
    "YAOURTS": ("des yaourts", "{n} yaourts", "yogurts", "{n} yogurts"),
    "COMTE": ("du comté", "{n} comté", "some cheese", "{n} cheese"),
    "JAMBON": ("du jambon", "{n} jambon", "ham", "{n} ham"),
    "EAU": ("une bouteille d'eau", "{n} bouteilles d'eau", "a bottle of water", "{n} bottles of water"),
    "EAU_PACK": ("un pack d'eau", "{n} packs d'eau", "a pack of water", "{n} packs of water"),
    "JUS_ORANGE": ("un jus d'orange", "{n} jus d'orange", "an orange juice", "{n} orange juices"),
    "BANANES": ("des bananes", "{n} kg de bananes", "bananas", "{n} kg of bananas"),
    "POMMES": ("des pommes", "{n} kg de pommes", "apples", "{n} kg of apples"),
    "TOMATES": ("des tomates", "{n} kg de tomates", "tomatoes", "{n} kg of tomatoes"),
    "CITRONS": ("des citrons", "{n} citrons", "lemons", "{n} lemons"),
    "PATES": ("des pâtes", "{n} paquets de pâtes", "pasta", "{n} packs of pasta"),
    "RIZ": ("du riz", "{n} riz", "rice", "{n} rice"),
    "HUILE_OLIVE": ("une huile d'olive", "{n} huile d'olive", "olive oil", "{n} olive oil"),
    "CAFE": ("un paquet de café", "{n} paquets de café", "coffee", "{n} coffee"),
    "THE": ("du thé vert", "{n} thé vert", "green tea", "{n} green tea"),
    "SUCRE": ("du sucre", "{n} sucre", "sugar", "{n} sugar"),
    "CHOCOLAT": ("une tablette de chocolat", "{n} tablettes de chocolat", "a dark chocolate",
                 "{n} dark chocolate"),
    "CHIPS": ("un paquet de chips", "{n} paquets de chips", "crisps", "{n} crisps"),
    "VIN_ROUGE": ("une bouteille de rouge", "{n} bouteilles de rouge", "a red wine", "{n} red wine"),
    "ROSE": ("un rosé", "{n} rosé", "a rose wine", "{n} rose wine"),
    "BIERE": ("une bière", "{n} bières", "a beer", "{n} beers"),
    "PQ": ("du papier toilette", "{n} papier toilette", "toilet paper", "{n} toilet paper"),
    "LESSIVE": ("de la lessive", "{n} lessive", "laundry detergent", "{n} laundry detergent"),
    "LIQUIDE_VAISSELLE": ("du liquide vaisselle", "{n} liquide vaisselle", "washing up liquid",
                          "{n} washing up liquid"),
}


#: Vaguer ways to ask for one of an item, which make the shop ask which one is meant.
VAGUE: dict[str, tuple[str, str]] = {
    "DOLI1000": ("du doliprane", "some doliprane"),
    "DOLI500": ("du doliprane", "some doliprane"),
    "MARGHERITA": ("une pizza", "a pizza"),
    "REINE": ("une pizza", "a pizza"),
    "LAIT": ("du lait", "some milk"),
}


def phrase(item: CatalogItem, qty: int, language: str, *, vague: bool = False) -> str:
    """How a customer writing in `language` ("fr" or "en") asks for `qty` of `item` (`vague`: by
    its kind only, when the phrasebook has a vague phrase for it and qty is 1)."""
    if vague and qty == 1 and item.sku in VAGUE:
        return VAGUE[item.sku][1 if language == "en" else 0]
    known = PHRASES.get(item.sku)
    if known is None:
        name = item.name.lower()
        return f"{qty} {name}"
    fr_one, fr_many, en_one, en_many = known
    if language == "en":
        return en_one if qty == 1 else en_many.format(n=qty)
    return fr_one if qty == 1 else fr_many.format(n=qty)
