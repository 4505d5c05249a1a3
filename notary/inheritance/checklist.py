"""The materials of an inheritance application and how the reasons of the rules read.

The ten items are art. 3 of 《办理继承公证的指导意见》 (China Notary Association, 2009-10-22),
domain.md §3.1. Reason texts translate the codes of the pure rules module.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from notary.inheritance.rules import Reason, Why

ITEMS: dict[int, Any] = {
    1: _l("Identity documents of the applicants"),
    2: _l("Proof of the decedent's death"),
    3: _l("Basic information on all statutory heirs and proof of their kinship"),
    4: _l("For an heir who has died: their death proof and kinship proof of their heirs"),
    5: _l("Originals of the title documents of registered property"),
    6: _l("Originals of all wills and legacy-support agreements"),
    7: _l("Any written agreement on marital property"),
    8: _l("Any written renunciation of inheritance"),
    9: _l("For an agent: a notarized power of attorney"),
    10: _l("For a guardian: proof of guardianship"),
}

REASONS: dict[Why, Any] = {
    Why.FIRST_ORDER: _l("First-order heir: spouse, child or parent"),
    Why.SECOND_ORDER: _l("Second-order heir: sibling or grandparent, called because no "
                         "first-order heir inherits"),
    Why.SECOND_ORDER_BLOCKED: _l("Second order: not called while a first-order heir inherits"),
    Why.EQUAL_SHARE: _l("Equal shares within the same order"),
    Why.SUBROGATION: _l("Takes the share of %(name)s, who died before the decedent "
                        "(subrogation)"),
    Why.SUBROGATION_DEEP: _l("Takes the share of %(name)s by subrogation, through any number "
                             "of generations"),
    Why.SUBROGATION_SIBLING: _l("Takes the share of the sibling %(name)s, who died before the "
                                "decedent"),
    Why.NO_SUBROGATION_LOST: _l("No subrogation: %(name)s had lost the right to inherit"),
    Why.NO_SUBROGATION_SURVIVED: _l("Not an heir in their own right while %(name)s outlived "
                                    "the decedent"),
    Why.NO_SUBROGATION_SIBLING_DEEP: _l("A sibling's share goes only to the sibling's own "
                                        "children"),
    Why.WIDOWED_IN_LAW: _l("Widowed in-law who gave the main support: first-order heir"),
    Why.IN_LAW_NO_SUPPORT: _l("A widowed in-law inherits only after giving the main support"),
    Why.IN_LAW_CHILDREN_NOT_BLOCKED: _l("Inheriting as an in-law does not stop their children's "
                                        "subrogation"),
    Why.STEP_NO_SUPPORT: _l("Step-relation without a support relationship: not an heir"),
    Why.STEP_SUPPORTED: _l("Step-relation with a support relationship counts as kin"),
    Why.ADOPTED: _l("Adopted: the same rights as born kin"),
    Why.RENOUNCED: _l("Renounced in writing before the estate was divided"),
    Why.RENUNCIATION_TOO_EARLY: _l("The renunciation is dated before the death and has no "
                                   "effect"),
    Why.LOST_RIGHT: _l("Lost the right to inherit"),
    Why.FORGIVEN: _l("Forgiven by the decedent: the right to inherit is kept"),
    Why.PREDECEASED: _l("Died before the decedent"),
    Why.TRANSMISSION: _l("Died after the decedent, before division: the share passes to their "
                         "own heirs"),
    Why.TRANSMISSION_SUCCESSOR: _l("Takes part of the share of %(name)s by transmission"),
    Why.TRANSMISSION_NO_SUCCESSORS: _l("Record the heirs of this person: the share is held "
                                       "for their estate"),
    Why.SIMULTANEOUS_SAME_GENERATION: _l("Died in the same event, same generation: no "
                                         "inheritance between them"),
    Why.SIMULTANEOUS_ELDER_FIRST: _l("Died in the same event: the elder generation is presumed "
                                     "to have died first"),
    Why.SIMULTANEOUS_NO_OTHER_HEIRS: _l("Died in the same event: whoever had no other heirs is "
                                        "presumed to have died first"),
    Why.SPOUSE_HALF: _l("Half of the marital property belongs to the surviving spouse and is "
                        "not part of the estate"),
    Why.NO_DESCENDANTS: _l("No descendant takes this share"),
    Why.VIA_MISSING: _l("Record the spouse who died, to whom this in-law was married"),
    Why.ESTATE_HEIRLESS: _l("Nobody inherits: the estate goes to the State or the collective"),
    Why.WILL_DISPOSED: _l("Items governed by a will or legacy-support agreement are not divided "
                          "by statute"),
}


def reason_text(reason: Reason) -> str:
    """The reason as a sentence, with its article."""
    text = str(REASONS[reason.code])
    if "%(name)s" in text:
        text = text % {"name": reason.about}
    return f"{text}（{reason.article.value}）"
