"""PLOVER event types with their quad class, default CAMEO code and intensity.

Intensity is a Goldstein-style score (-10 most conflictual .. +10 most cooperative), taken from
the Goldstein (1992) weights of the CAMEO code where one is known, else from the type's default.
"""

from __future__ import annotations

from dataclasses import dataclass

VERBAL_COOP, MATERIAL_COOP = "verbal-coop", "material-coop"
VERBAL_CONFLICT, MATERIAL_CONFLICT = "verbal-conflict", "material-conflict"
QUAD_CLASS = {VERBAL_COOP: 1, MATERIAL_COOP: 2, VERBAL_CONFLICT: 3, MATERIAL_CONFLICT: 4}


@dataclass(frozen=True)
class EventType:
    name: str
    quad: str
    cameo: str  # default CAMEO code when a trigger gives none
    intensity: float


TYPES: dict[str, EventType] = {
    t.name: t
    for t in (
        EventType("AGREE", VERBAL_COOP, "030", 4.0),
        EventType("CONSULT", VERBAL_COOP, "040", 1.0),
        EventType("SUPPORT", VERBAL_COOP, "051", 3.4),
        EventType("COOPERATE", MATERIAL_COOP, "060", 6.0),
        EventType("AID", MATERIAL_COOP, "070", 7.0),
        EventType("CONCEDE", MATERIAL_COOP, "080", 5.0),
        EventType("RETREAT", MATERIAL_COOP, "087", 9.0),
        EventType("REQUEST", VERBAL_CONFLICT, "100", -5.0),
        EventType("ACCUSE", VERBAL_CONFLICT, "112", -2.0),
        EventType("REJECT", VERBAL_CONFLICT, "120", -4.0),
        EventType("THREATEN", VERBAL_CONFLICT, "130", -6.0),
        EventType("PROTEST", MATERIAL_CONFLICT, "140", -6.5),
        EventType("SANCTION", MATERIAL_CONFLICT, "160", -4.0),
        EventType("MOBILIZE", MATERIAL_CONFLICT, "150", -7.2),
        EventType("COERCE", MATERIAL_CONFLICT, "170", -7.0),
        EventType("ASSAULT", MATERIAL_CONFLICT, "190", -10.0),
    )
}

# PLOVER modes (POLECAT): the ones the coder assigns.
MODES = {
    "CONSULT": {"phone", "visit", "third-party", "multilateral"},
    "ACCUSE": {"investigate"},
    "COOPERATE": {"economic", "military", "intelligence"},
    "AID": {"economic", "military", "humanitarian"},
    "PROTEST": {"demonstrate", "strike", "hunger-strike", "boycott"},
    "ASSAULT": {"aerial", "firearms", "explosives", "mass-violence"},
}

# A stated intention to act: cooperation becomes AGREE (CAMEO 03x), hostility THREATEN (13x).
# "should cooperate", "is ready to send aid" → AGREE; "would boycott", "threatened to cut ties",
# "will impose sanctions" → THREATEN.
INTENT_CAMEO = {
    "CONSULT": "036", "COOPERATE": "030", "AID": "033", "CONCEDE": "035", "RETREAT": "035", "SUPPORT": "032",
    "REJECT": "1312", "SANCTION": "1313", "COERCE": "137", "ASSAULT": "138", "MOBILIZE": "138", "PROTEST": "1312",
}
CAMEO_ROOT_TYPE = {"03": "AGREE", "13": "THREATEN"}

# The CAMEO code a mode gives an event found without one ("talked by phone" → 041).
MODE_CAMEO = {
    ("CONSULT", "phone"): "041", ("CONSULT", "visit"): "042", ("CONSULT", "third-party"): "045",
    ("CONSULT", "multilateral"): "040", ("ACCUSE", "investigate"): "090",
}

# Goldstein (1992) weights for CAMEO codes the coder emits (root-level defaults otherwise).
GOLDSTEIN = {
    "01": 0.0, "02": 3.0, "03": 4.0, "030": 4.0, "031": 5.2, "033": 5.2, "036": 4.0,
    "04": 1.0, "040": 1.0, "041": 1.0, "042": 1.9, "043": 2.8, "044": 2.5, "045": 5.0, "046": 7.0,
    "05": 3.5, "050": 3.5, "051": 3.4, "055": 7.0, "057": 8.0,
    "06": 6.0, "061": 6.4, "062": 7.4, "07": 7.0, "071": 7.4, "073": 7.4, "08": 5.0, "087": 9.0,
    "09": -2.0, "10": -5.0, "11": -2.0, "111": -2.0, "112": -2.0, "12": -4.0, "13": -6.0,
    "14": -6.5, "15": -7.2, "16": -4.0, "161": -4.0, "163": -8.0, "17": -7.0, "173": -5.0,
    "18": -9.0, "19": -10.0, "190": -10.0, "20": -10.0,
}


def quad_class(quad: str | None) -> int | None:
    """GDELT's QuadClass number (1..4) for a quad string."""
    return QUAD_CLASS.get(quad or "")


def intensity(event_type: str, cameo: str | None) -> float:
    """Goldstein weight of the most specific known prefix of the CAMEO code."""
    if cameo:
        for n in range(len(cameo), 1, -1):
            if cameo[:n] in GOLDSTEIN:
                return GOLDSTEIN[cameo[:n]]
    return TYPES[event_type].intensity
