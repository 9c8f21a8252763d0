"""Generic English lexicons: countries, status cues, event frames, reporting verbs, boilerplate.

Nothing here is specific to one story; the topic-specific vocabulary is derived
from the baseline (see topic.py) and from the configured terms and aliases.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# the capital and small letters of the Latin alphabets, accented ones included, for character classes that read names
# ("By Élise Marchand", "Anna Sokołowska", "Brasília"): [A-Z] alone takes an accented name for a lower-case word
UPPER = "".join(c for c in map(chr, range(0x41, 0x250)) if c.isupper())
LOWER = "".join(c for c in map(chr, range(0x61, 0x250)) if c.islower())
_CAP = rf"(?-i:[{UPPER}])"  # a capital letter, also in a pattern that ignores case
_CAPITALISED = rf"{_CAP}[\w'\-]+"  # a capitalised word: a name's

# country -> (demonyms, capital and government metonyms)
COUNTRIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "China": (("Chinese",), ("Beijing", "Chinese government", "Zhongnanhai")),
    "Russia": (("Russian",), ("Moscow", "Kremlin", "Russian government")),
    "United States": (("American", "US", "U.S."), ("Washington", "White House", "US government", "United States")),
    "Ukraine": (("Ukrainian",), ("Kyiv", "Kiev")),
    "United Kingdom": (("British", "UK", "Britain"), ("London", "Downing Street")),
    "France": (("French",), ("Paris", "Elysee")),
    "Germany": (("German",), ("Berlin",)),
    "Japan": (("Japanese",), ("Tokyo",)),
    "India": (("Indian",), ("New Delhi", "Delhi")),
    "Iran": (("Iranian",), ("Tehran",)),
    "Saudi Arabia": (("Saudi",), ("Riyadh",)),
    "Israel": (("Israeli",), ("Jerusalem",)),
    "Turkey": (("Turkish",), ("Ankara",)),
    "Brazil": (("Brazilian",), ("Brasilia",)),
    "Belarus": (("Belarusian",), ("Minsk",)),
    "North Korea": (("North Korean",), ("Pyongyang",)),
    "South Korea": (("South Korean",), ("Seoul",)),
    "Taiwan": (("Taiwanese",), ("Taipei",)),
    "Poland": (("Polish",), ("Warsaw",)),
    "Italy": (("Italian",), ("Rome",)),
    "Spain": (("Spanish",), ("Madrid",)),
    "Canada": (("Canadian",), ("Ottawa",)),
    "Australia": (("Australian",), ("Canberra",)),
    "Pakistan": (("Pakistani",), ("Islamabad",)),
    "Kazakhstan": (("Kazakh",), ("Astana",)),
    "Mongolia": (("Mongolian",), ("Ulaanbaatar",)),
    "Singapore": (("Singaporean",), ()),
    "South Africa": (("South African",), ("Pretoria",)),
    "Egypt": (("Egyptian",), ("Cairo",)),
    "Syria": (("Syrian",), ("Damascus",)),
    "Venezuela": (("Venezuelan",), ("Caracas",)),
    "Vietnam": (("Vietnamese",), ("Hanoi",)),
    "Indonesia": (("Indonesian",), ("Jakarta",)),
    "Hungary": (("Hungarian",), ("Budapest",)),
    "Serbia": (("Serbian",), ("Belgrade",)),
}

TITLES = (
    "President", "Prime Minister", "PM", "Premier", "Chancellor", "Foreign Minister", "Minister",
    "Secretary of State", "Secretary", "King", "Crown Prince", "Supreme Leader", "Chairman", "leader",
)

# --- status / modality cues (matched on lower-cased, normalised text) ---------------------------
PLANNED_CUES = re.compile(
    r"\b(scheduled to|is scheduled|are scheduled|was scheduled|expected to|is set to|are set to|set to|"
    r"plans? to|planning to|is due to|are due to|due to (?:meet|arrive|visit|hold|sign|travel)|upcoming|"
    r"is to (?:meet|arrive|visit|hold|sign|travel)|will|shall|going to|later (?:on|this|today|in)|"
    r"(?:is|are) (?:set|planned|scheduled|expected|due) (?:for|on))\b"
)
NOT_YET_CUES = re.compile(
    r"\b((?:has|have|had|did)(?: still| yet| so far)? not|hasn't|haven't|hadn't|didn't|yet to|not yet|no details?|"
    r"still (?:has|have|had) not|still no|"
    r"declined to|refused to comment|has given no|gave no|not disclosed|undisclosed|not provided|"
    # a quantity next to none: "has given few details", "offered little detail"
    r"(?:few|little|scant|sparse) (?:details?|specifics|information|clues?)|"
    r"no (?:public )?(?:comment|response|word|reference|mention|remark)|"
    r"(?:has|have|had)(?: still| so far| yet)? said nothing|"
    r"(?:has|have|had)(?: still| so far)? (?:kept|remained|stayed) (?:silent|quiet)|"
    r"avoided the (?:subject|issue|topic))\b"
)
# a claim falling short: what a text or a side did not say, or said only ("the joint statement, however, committed
# the two sides only to further study", "Xi made no public mention of the pipeline", "no contract was signed")
SHORTFALL_CUES = re.compile(
    r"\b(?:did not|didn't|never|does not|doesn't|do not|don't) (?:mention|refer|confirm|echo|endorse)\b|"
    r"\bmade no (?:\w+ )?mention\b|\byet to (?:sign|agree|finali[sz]e|conclude|seal)\b|"
    r"\bnot yet (?:signed|finali[sz]ed)\b|"
    r"\b(?:was|were|remained|stayed|is|are) (?:\w+ )?silent\b|\bnot echoed\b|\bmore (?:cautious|guarded)\b|"
    r"\bmerely (?:said|says|promised|promises|pledged|pledges|committed|commits|spoke|speaks|noted|notes|"
    r"referred|refers)\b|"
    r"\bonly (?:to )?(?:further|continued|continue|advanc\w*|work|efforts?|stud\w*)\b|"
    r"\bonly (?:of|that) (?:further|continued)\b|\bno more than (?:continued|further)\b|"
    r"\bonly (?:promised|promises|pledged|pledges|committed|commits)\b|"
    r"\b(?:spoke|speaks|spoken|referred|refers) only (?:of|to)\b|"
    r"\bno (?:supply |firm |final |binding |signed |gas )?(?:contract|deal)\b|"
    r"\bwithout a (?:signed |firm |final )?contract\b|"
    r"\bremains? unsigned\b|\bnot (?:been )?(?:finalised|finalized)\b"
)
# a report that says another report is wrong: a denial of a report, or an outlet retracting a claim it made
# ("China denied a report that it was considering sending troops", "Correction: an earlier version of this article
# said a contract had been signed; no contract was signed", "That was wrong: no agreement was signed" after the claim
# it retracts). A side rejecting the other's accusation ("called the claims groundless") is a dispute between parties,
# not between reports, and a correction of a slip (a name, a day) changes no claim
CONTRADICTION_CUES = re.compile(
    r"\b(?:denied|denies|dismissed|dismisses|rejected|rejects|refuted|refutes)\b[^.;]{0,60}\breports?\b|"
    r"\ban earlier version of this \w+ (?:said|reported|stated)\b[^;]*;[^;]*\b(?:no|not|never)\b|"
    r"\bcontrary to (?:earlier|some|initial|previous) reports?\b|"
    r"^(?:that|this)(?: report| claim| account)? (?:was|is) (?:wrong|incorrect|inaccurate|untrue|false)\b",
    re.IGNORECASE,
)
HYPOTHETICAL_CUES = re.compile(r"\b(if|would|could|might|may|unless)\b")
ALLEGED_CUES = re.compile(r"\b(allegedly|reportedly|alleged|purportedly|unconfirmed|sources said)\b")
OPINION_CUES = re.compile(
    r"\b(argues?|argued|suggests?|suggested|believes?|believed|analysts?|experts?|considered|"
    r"is seen as|in what is|opinion|thinks?|expects?)\b"
)
NEGATION = re.compile(r"\b(not|no|never|n't|nothing|none|neither|nor|without|yet to)\b")

# contradiction / reversal cues
# a stance or state the baseline reports, said to have changed since ("Washington, which argued two years ago that
# a cease-fire would lock in Russia's gains, has changed course"); "has not changed", "still" keep it
STANCE_CHANGED = re.compile(
    r"\b(changed (?:course|tack)|chang(?:ed|es) (?:its|his|her|their) (?:tune|stance|position|mind)|turnaround|"
    r"about-face|u-turn|reversed (?:course|itself|its|his|her|their)|reversal|the shift in|shifted the debate|"
    r"change (?:has )?c[oa]me (?:in|from)|"
    r"(?:dropped|abandoned|shed|dropping|abandoning) (?:the|its|his|her|their) (?:\w+ ){0,3}(?:argument|objection|"
    r"opposition|position|stance|line|view)|(?:has|have|had) instead|"
    r"is (?:now |itself )(?:pushing|pressing|calling) for|"
    # the other course taken since: "now presses for one", "has been urging both sides to agree one"
    r"now (?:presses|pushes|urges|calls|leads the push) for|"
    r"(?:is|has|have) (?:since |now )?(?:been )?(?:pushing|pressing|urging|pressed|pushed|urged) (?:\w+ ){0,3}"
    r"(?:for|to agree|to accept))\b"
)
STANCE_KEPT = re.compile(r"\b(not changed|has not budged|hasn't budged|still|no change|unchanged)\b")
REVERSAL_CUES = re.compile(
    r"\b(postponed|delayed|cancel(?:l)?ed|called off|scrapped|not until|no longer|correction|"
    r"corrected|contrary to|denied|denies|retracted|in fact|did not take place|was not signed|"
    r"no (?:contract|deal|agreement) (?:was|has been) signed|rather than)\b"
)
RESOLUTION_CUES = re.compile(r"\b(now|finally|at last|eventually|has since|have since|for the first time)\b")

# --- event frames ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Frame:
    """An event type: `trigger` finds it in a baseline clause (any form), `realised` finds a report
    that it happened (verbal forms only), `obj` (if set) must also be present, e.g. 'initiative'."""

    trigger: re.Pattern[str]
    realised: re.Pattern[str]
    obj: re.Pattern[str] | None = None


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{pattern})\b")


FRAMES: dict[str, Frame] = {
    "ARRIVE": Frame(
        _rx(r"arriv\w*|land\w*|visits?|trip"),
        # "walks down the steps after landing at Vnukovo": a picture's caption, in the present, of the arrival done
        _rx(r"arrived|has arrived|did arrive|landed|after landing|touched down|flew into|(?:flew|flown) in|"
            r"was greeted|was welcomed"),
    ),
    "MEET": Frame(
        _rx(r"meet|meets|met|meeting|talks|summit"),
        _rx(r"met|meets|(?:held|holds) (?:[\w'-]+ ){0,4}(?:talks|meeting)|had (?:their|the|a|an) (?:\w+ ){0,3}talks|"
            r"(?:began|opened|started) [\w' ]{0,40}? with (?:\w+ ){0,2}talks|"
            r"(?:began|opened|started) (?:their |the )?(?:\w+ )?(?:talks|summit)|"
            r"s[ai]t down (?:[\w'-]+ ){0,4}?(?:with|for|together)|"
            r"hosted|shook hands|were meeting|"
            r"(?:greeted|welcomed) (?:him|her|them|his (?:guest|counterpart|visitor)|"
            r"(?:\w+ ){1,2}(?:to|at|in|with|as)\b)|"
            r"(?:talks|meeting|summit|encounter)(?: [\w']+){0,8}? (?:duly )?(?:took place|got under way|began|opened)|"
            r"(?:the two (?:presidents|leaders|men)|they) (?:talked|conferred)"),
    ),
    "COMMENT": Frame(
        _rx(r"comment\w*|respon\w*|react\w*|said nothing|silent|quiet|avoided the (?:subject|issue|topic)|"
            r"no (?:public )?(?:reference|mention|remark)"),
        _rx(r"commented|comments|responded|responds|reacted|said|says|called|dismissed|denounced|described|told|"
            r"rejected|condemned|mocked|shrugged off"),
    ),
    "DISCLOSE": Frame(
        _rx(r"disclos\w*|reveal\w*|details?|objectives?|aims?|agenda"),
        _rx(r"disclosed|discloses|revealed|reveals|spells? out|spelled out|spelt out|sets? out|lays? out|laid out|"
            r"outlined|outlines|outline|detailed|laying out|setting out|spelling out|"
            r"(?<!the )(?<!remaining )(?<!any )(?<!no )(?<!more )details|"
            r"explained|unveiled|unveils|made public|listed|lists?|"
            r"(?:sets?|spell(?:s|ed)?|spelt|lays?|laid) (?:them|it) out|fill(?:s|ed)? in|answer(?:s|ed)?|"
            r"fill(?:s|ed)? (?:that|the|this) (?:gap|void|blank)"),
        _rx(r"aims?|objectives?|goals?|agenda|hopes?|intentions?|purpose|details?|positions?|priorities|plans?|"
            r"what (?:\w+ ){1,3}(?:wanted|wants|was after|is after|was seeking|sought|hoped|hopes|intends?|intended)"),
    ),
    "ANNOUNCE": Frame(
        _rx(r"announc\w*|initiatives?|proposals?|unveil\w*"),
        _rx(r"announced|announces|unveiled|unveils|proposed|proposes|launched|launches|put forward|"
            r"puts forward|would send|will send|sent|is sending|decided to send|dispatched|(?:would|will|to) dispatch|"
            r"appointed|appoints|named|names|did launch|promised|pledged|offered|"
            r"announcing|unveiling|proposing|launching|naming|appointing|sending|dispatching|"
            r"(?:envoy|representative)\b.{0,40}\bwould (?:travel|visit|go)"),
        _rx(r"initiatives?|proposals?|plans?|envoys?|special representatives?|representative|mission|"
            r"mediation|mediator|roadmap|peace plan|"
            # someone sent on the mission by name ("would send Li to Ukraine and other countries")
            r"(?:send|sending|dispatch|dispatching) (?:[\w-]+ ){1,2}to (?:ukraine|kyiv|talk to all)\b"),
    ),
    "SIGN": Frame(
        _rx(r"sign\w*|deals?|agreements?|contracts?|treat(?:y|ies)"),
        _rx(r"signed|signs|concluded|sealed|inked|struck"),
        _rx(r"deals?|agreements?|contracts?|treat(?:y|ies)|declarations?|statements?|accords?|memorand\w*"),
    ),
    "REJECT": Frame(
        _rx(r"reject\w*|dismiss\w*|condemn\w*|denounc\w*"),
        _rx(r"rejected|rejects|dismissed|dismisses|condemned|condemns|denounced|denounces|called"),
    ),
}

# past-tense event verbs that mark a concrete happening (a development) rather than a standing claim
EVENT_VERBS = re.compile(
    # (not what a truce "that left" in place would do, nor a position "held")
    r"\b(arrived|landed|(?<!that )(?<!which )left|departed|signed|adopted|"
    r"held(?! (?:an?|the|its|his|her|their) (?:[\w-]+ ){0,3}(?:positions?|views?|stances?|lines?|beliefs?)\b)|"
    r"met|welcomed|greeted|hosted|thanked|ordered|"
    r"announced|unveiled|launched|invited|visited|travell?ed|spoke|phoned|called on|agreed|pledged|"
    r"promised|sent|dispatched|appointed|approved|rejected|vetoed|voted|struck|attacked|killed|"
    r"arrested|charged|sanctioned|imposed|lifted|suspended|resumed|opened|closed|began|started|"
    r"ended|concluded|completed|finali[sz]ed|settled|committed|urged|"
    r"accused|praised|hailed|stopped|became|clinched|rose|fell|hit|reached|surged|slipped|coincided|took place|"
    r"apologised|apologized|blamed|offered|named|proposed|released|published|issued|was held|were held|"
    r"happened|occurred)\b"
)
WEEKDAY_OR_DATE = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tonight|"
    r"this (?:week|month|morning|evening|year)|last (?:week|month|year|night)|earlier (?:this|on)|"
    r"at the weekend|overnight|(?:first|second|third|fourth|final|last) day|"
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
    r"(?: \d{1,2})?|\d{1,2} (?:january|february|march|april|june|july|august|september|october|november|december))\b"
)
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)s?\b")
REPORTING = re.compile(
    r"\b(said|says|told|tells|added|stated|wrote|argued|argues|suggested|noted|according to|"
    r"remarked|insisted|claimed|warned|stressed)\b"
)
BACKGROUND_CUES = re.compile(
    r"\b(had been \w+ing|for (?:weeks|months|years|decades)|previous|previously|formerly|a decade|"
    r"since the (?:19|20)\d0s|last (?:travell?ed|visited|met)|in the past|(?:has|have|had) long|"
    r"over the (?:past|last) (?:decade|\w+ (?:years|decades))|(?:is|are|was|were) (?:designed|meant|intended) to|"
    r"(?:met|spoken|talked)\b.{0,30}\b(?:\d+|dozens of|several|many) times|^[\w'\-]+(?: [\w'\-]+)? has never)\b|"
    # a project described rather than reported on: "Designed to carry 50 bcm a year, the pipeline ..."
    r"^designed to\b|"
    # "China had stayed away from an earlier round of the talks in June": an absence from an earlier occasion
    r"^(?:[\w'\-]+ ){1,3}(?:had )?(?:stayed away from|did not attend|had not attended|skipped|missed|was absent from) "
    r"(?:an earlier|a previous|the previous|the first|a similar)\b|"
    # a place described, not a happening there: "Heilongjiang shares a border of 3,000 km with Russia", "Harbin grew
    # up around the Chinese Eastern Railway"
    r"\bshares? (?:a|an|its) (?:[\w,\-]+ ){0,4}(?:border|frontier)\b|^(?:[\w'\-]+ ){1,3}grew up (?:around|along)\b|"
    # "It was their second meeting in ...": a count of earlier encounters
    r"^(?:it|this|that) (?:was|is|marked) (?:the|their|his|her|its) (?:\w+ )?"
    r"(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th)) "
    r"(?:\w+ )?(?:meeting|visit|trip|call|summit|encounter|talks|time)\b|"
    # a standing charge by a whole camp ("Western governments have accused Chinese firms of ..."): context
    r"^(?:western|us|u\.s\.|american|european|ukrainian) (?:\w+ )?(?:governments|officials|capitals|leaders|"
    r"diplomats|analysts|agencies) (?:have|has) (?:long |repeatedly )?(?:accused|said|alleged|claimed)\b"
)
# "It is Putin's first trip abroad since ...": the visit set against what came before it (whatever time it names)
FIRST_SINCE = re.compile(r"^(?:it|this|that) (?:is|was|will be|marks|marked) (?:the |their |his |her |its )?"
                         r"(?:\w+'s )?(?:\w+ )?first (?:[\w\-]+ ){0,6}since\b")
# the main predicate of a sentence in the past perfect ("Xi had used an article ..."): an earlier happening
PAST_PERFECT_MAIN = re.compile(
    r"^(?:[A-Z][\w'\-]*(?:'s)?\s+){1,4}(?:(?:\w+ ){0,2})?had (?:(?:already|earlier|also|previously) )?"
    r"(?!been \w+ing)(?:\w+ed|been|made|done|given|taken|written|spoken|sent|met|held|said|told|won|seen|paid|"
    r"put|set|led|left|brought|sought|struck|become|begun|chosen|drawn|grown|known|shown|sworn|thrown)\b"
)

class AnyOf:
    """A pattern's top-level alternatives compiled and searched one by one. With eighty branches in one
    alternation, Python's re tries every branch at every position of the sentence; searched apart, each
    branch gets the literal-prefix scan, and the whole check runs several times faster."""

    def __init__(self, pattern: str, flags: int = 0):
        self.parts = tuple(re.compile(branch, flags) for branch in _top_level_branches(pattern))

    def search(self, text: str) -> re.Match[str] | None:
        for part in self.parts:
            found = part.search(text)
            if found:
                return found
        return None


def _top_level_branches(pattern: str) -> list[str]:
    """Split "(a|b(c|d)|e)" into ["a", "b(c|d)", "e"]: the branches of the outermost group."""
    inner = pattern[1:-1] if pattern.startswith("(") and pattern.endswith(")") else pattern
    branches, current, depth, escaped, in_class = [], "", 0, False, False
    for ch in inner:
        if escaped:
            current, escaped = current + ch, False
            continue
        if ch == "\\":
            current, escaped = current + ch, True
            continue
        if in_class:
            current, in_class = current + ch, ch != "]"
            continue
        if ch == "[":
            in_class = True
        depth += (ch == "(") - (ch == ")")
        if ch == "|" and depth == 0:
            branches.append(current)
            current = ""
            continue
        current += ch
    return [*branches, current]


BOILERPLATE = AnyOf(
    r"(sign up|subscribe|newsletter|follow us|^follow (?:the|our) |\bfollow (?:the|our) (?:latest|live|coverage|"
    r"updates)\b|all rights reserved|copyright|\(c\)|©|"
    r"^\(?reporting by|^\(?additional reporting|\bwith additional reporting (?:by|from|in)\b|^\(?writing by|"
    r"^\(?editing by|^\(?compiled by|"
    r"click here|read more|related:|advertisement|share this|cookies?|terms of (?:use|service)|"
    r"privacy policy|this story has been|this article (?:was|has been)|contributed to this report|"
    r"download (?:our|the) app|listen to this article|support (?:our|independent) journalism|"
    r"developing story|will be updated|(?:live|latest) updates|"
    r"follow [A-Z][\w ]{0,40} on (?:social media|twitter|x\b|telegram|facebook|instagram|whatsapp|linkedin|threads|"
    r"bluesky|mastodon|youtube)|"
    r"(?:our|the) (?:daily|weekly) podcast|listen to (?:our|the)|unless otherwise (?:stated|noted)|"
    r"(?:correct|accurate) at the time of (?:publication|writing)|prices are indicative|was amended on|"
    r"for unlimited access|subscribers? only|\bpaywall|"
    # a press release's furniture: the issuer's profile, the media contact, the legal note ("About Amurlink
    # Logistics: Amurlink operates ...", "Media contact: press office, ...", "Forward-looking statements in this
    # release ...")
    rf"(?:^(?:about (?:the )?{_CAP}[\w.&'\- ]{{1,60}}:|"
    r"(?:media|press|investor) (?:enquiries|inquiries|contacts?|relations)\s*:|"
    r"this (?:press )?release is (?:also )?available\b)|\bforward-looking statements?\b)|"
    # an opinion piece's author line, a market disclaimer, a source credit under a chart
    r"^the (?:writer|author)s? (?:is|are|was)\b|\bnot (?:intended as |to be taken as )?investment advice|"
    r"^(?:data|source|sources|photo|graphic|chart|(?:all )?(?:photos|photographs?|pictures|images))\s*:|"
    # bylines, credits, disclaimers and live-page furniture
    r"^by (?:the )?[\w'.\- ]{0,40}\b(?:team|staff|desk|correspondents?|reporters?|newsroom|editors?|wire services|"
    r"news services|wires|agencies|wire reports)\.?$|"
    # a byline of names, capitalised (not "By Thursday Putin had left"), with the writer's place or title if any
    # ("By Wen Ruoxi and Pavel Orlov", "By Lin Hao in Hong Kong.", "By Marek Sobel, a fellow in ...")
    rf"^(?-i:By {_CAPITALISED}(?: {_CAPITALISED}){{1,3}}(?:(?:,| and) {_CAPITALISED}(?: {_CAPITALISED}){{1,3}})*)"
    r"(?:(?:,| in )[^.;]{0,60})?\.?$|"
    r"^from (?:wire|agency|news agency) reports\.?$|^from our (?:\w+ )?correspondents? (?:in|at)\b|"
    r"views expressed|reflects? the views|(?:is|are) the authors?'s? own|do not (?:necessarily )?represent|"
    r"^(?:this|the) (?:explainer|article|story|analysis|column|piece|commentary|blog|report)"
    r" (?:is part of|was (?:produced|written|amended)|will be updated|has been updated)|"
    # a correction of the article's own slip (a name, a date, a figure), not of a claim the story made ("said a
    # contract had been signed; no contract was signed" is news)
    r"an earlier version of this\b.{0,80}\b(?:caption|photo\w*|spell\w*|misspel\w*|title|byline|author|misstated|"
    r"misidentified|(?:the|an?) (?:wrong|incorrect))|"
    r"an earlier version of this \w+ said\b[^;]*;(?![^;]*\b(?:no|not|never|nothing|only)\b)|"
    r"^(?:further|recommended) reading|^for more (?:on|coverage|news|stories)\b|"
    r"refresh (?:this|the) page|scroll down|all times are|^(?:distributed|syndicated|filed|produced) by\b|"
    r"syndicated content|republication|contributed (?:reporting|to this report)|press pool|"
    r"(?:to|in) your inbox|audio version|^(?:our|this) (?:live )?(?:coverage|blog|page)\b.{0,40}\b(?:resumes|"
    r"will resume|has (?:now )?(?:closed|ended)|is (?:now )?closed|is no longer (?:being )?updated)\b|"
    r"^this (?:report|article|story) (?:includes|contains|uses) (?:material|reporting|information) from\b|"
    r"^this (?:report|article|story|factbox|explainer|analysis|item|piece|briefing) (?:was|is|has been) "
    r"(?:supplied|provided|distributed|syndicated|compiled|produced) by\b|"
    # a reprint's or digest's credit ("Wire K material was used in this report.", "This report is published under
    # a syndication agreement with ...", "This report draws on coverage by ...", "Story supplied by ...")
    r"\b(?:was|were) used in this (?:report|article|story)\b|^this (?:report|article|story) draws on\b|"
    r"^this (?:report|article|story|factbox|explainer) (?:is|was) (?:published|reproduced|republished|adapted)\b|"
    r"^(?:story|report|article|copy) (?:supplied|provided) by\b|"
    r"^video\s*:|^letters\b.{0,60}\bsent to|will have (?:full|live) coverage|"
    r"^our (?:\w+ )?(?:correspondent|reporter)s? (?:travell?ed|is travell?ing|reported|was|will)\b|"
    r"^we will (?:post|bring|update|have|publish)\b|^(?:stay|check back) (?:with us|for updates)\b|"
    r"^welcome (?:back )?to (?:our|the) (?:live )?(?:coverage|blog|page)\b|"
    r"^that'?s all (?:from us|for (?:today|tonight|now))\b|"
    r"^this (?:report|article|story) (?:was )?first (?:published|appeared)\b|\babridged version of\b|"
    r"^(?:our|the) (?:\w+ )?(?:correspondent|reporter)s? (?:is|are) reporting from\b|"
    # a correspondent's sign-off line: a name, then where they file from ("Lucía Arranz reports from Beijing.")
    rf"^(?-i:{_CAPITALISED}(?: {_CAPITALISED}){{1,3}}(?: and {_CAPITALISED}(?: {_CAPITALISED}){{1,3}})? "
    rf"(?:reports|writes|reported|filed) from (?:{_CAPITALISED} ?){{1,3}})\.?$|"
    # a page's clutter: a caption's credit, the time it was posted, the meter, the links to other stories, the
    # writer's beat ("... on Tuesday (Photo: Pool/Harbour Ledger).", "Updated 16 May 2024, 21:35 Beijing time.",
    # "You have two free articles left this month.", "Most read: ...", "Caleb Harrow covers the State Department ...")
    r"\((?:photo|picture|image|photograph)s?(?: credit)?:[^()]{1,60}\)\.?$|"
    # a caption on a line of its own, by its label or its credit ("Photo caption: Xi and Putin shake hands ...",
    # "Pictured: ...", "... before their talks on Monday (pool photo).", "... on March 20. Photo: Pool")
    r"^(?:photo |picture )?caption\s*:|^pictured\s*:|^photo gallery\s*:|^file (?:photo|photograph|picture)\b|"
    r"\((?:[\w\-]+ )?(?:pool )?photo\)\.?$|\bphoto\s*:\s*[\w /\-]{1,30}\.?$|"
    r"\((?:archive|pool|file|handout|[^()]{0,40} handout)\)\.?$|"
    r"^(?:updated|posted|published|last updated)(?: at| on)? [^.]{0,30}\b\d{1,2}[:.]\d{2}\b[^.]{0,30}\.?$|"
    # a live page's entry time on a line of its own ("21:10 Beijing time.", "16 May, 09:30 GMT.")
    r"^(?:\d{1,2} \w+,? )?\d{1,2}[:.]\d{2}(?: ?[ap]\.?m\.?)?(?: \w+ time| GMT| UTC| BST| CET| CEST| MSK| ET| EST| EDT)?"
    r"(?: \([^)]{1,12}\))?\.?$|"
    r"\bfree (?:articles?|stories) (?:left|remaining)\b|"
    r"^(?:most read|read next|read also|also read|listen|watch|see also|more on this)\s*:|"
    r"^watch (?:the|our) (?:full|whole|complete) (?:report|interview|story|programme|program|episode)\b|"
    r"^also (?:on|in) (?:this week's|today's|tonight's) [^:]{1,30}:|\benditem\b|"
    rf"^(?-i:{_CAPITALISED}(?: {_CAPITALISED}){{1,2}}) (?:covers|writes about|reports on) [^.]{{1,80}}\bfor "
    rf"(?:the |this )?{_CAP}[\w ]{{1,40}}\.?$|"
    r"^with (?:additional )?report(?:s|ing) from\b|"
    # the newsroom asking for tips and letters, and the credits of an editor or translator
    r"\b(?:story|news) tips?\b|^(?:have|got) a (?:news )?tip\b|\bsend (?:us )?(?:your )?tips\b|"
    r"\b(?:email|e-mail|contact|write to) (?:the|our) (?:\w+ )?(?:news ?desk|desk|newsroom)\b|"
    r"\breply(?:ing)? to this email\b|"
    r"\bedited for (?:length|clarity|brevity)\b|^(?:responsible )?editor\s*:|^translated (?:and edited )?by\b|"
    r"\b(?:reporters|correspondents|bureaus?)\b[\w ,]{0,40}\bcontributed\.?$|"
    r"\bpublishes (?:analysis|news|reports|commentary|reporting) (?:and \w+ )?from\b|"
    r"(?:\bour|\w's) (?:\w+ )?series (?:looks|looking) back\b|"
    r"^this is (?:the \w+|part) (?:in|of) our series\b|"
    # the newsroom talking to its readers, after a live page's clock too ("22:10 We are closing this page ...")
    r"\bmore on this (?:story )?(?:as it develops|later|soon)\b|\bbreaking news alerts?\b|"
    r"^(?=[\w' ]{0,40}\bstaff\b)(?!.*\b(?:said|says|told)\b)[\w' ]{0,40}\bstaff\b[\w ,]{0,60}\bcontributed\.?$|"
    r"\b(?:we are|we're) (?:now )?(?:closing|pausing|ending) (?:this|our) (?:live )?(?:page|blog|coverage)\b|"
    r"\bwelcome (?:back )?to (?:our|the) (?:\w+ )?(?:coverage|blog|page)\b|"
    r"\bwill bring you (?:updates|the latest)\b|\b(?:digest|newsletter|briefing|round-?up) (?:returns|will return|"
    r"is back)\b|^here (?:is|are) (?:our|the) (?:\w+ )?(?:round-?up|digest|summary|highlights)\b|"
    # a newsletter or live page greeting its readers, asking them to sign up ("Get the Ledger's headlines each weekday
    # morning.") and taking leave of them ("Thanks for reading.", "That's all for this week.")
    r"^good (?:morning|afternoon|evening)\b|^(?:hello|hi),? and welcome\b|^welcome to (?:the |this )?(?:week|"
    r"day|weekend)'?s?\b|^(?:here is|here's) what (?:mattered|happened|you need to know|we are covering|we're covering|"
    r"we are following|we're following)\b|^your (?:daily|weekly|"
    r"morning|evening) (?:briefing|brief|digest|round-?up|update)\b|"
    r"^here(?:'s| is| are) your [\w' \-]{0,40}\b(?:briefing|newsletter|digest|round-?up|bulletin)\b|"
    r"^(?:get|receive) (?:the|our) [\w' \-]{0,40}\b(?:headlines|newsletter|briefing|digest|bulletin)\b|"
    r"^(?:see you|until) (?:next|tomorrow)\b|^thanks? (?:you )?for (?:reading|watching|listening)\b|"
    r"^that'?s (?:all|it) for (?:this|today|now)\b|"
    r"^have a (?:good|great|nice) (?:weekend|week|day)\b|^(?:we'?ll|we will) be back\b|"
    r"\b(?:this|the) live (?:page|blog) (?:is|has) no longer\b|\b(?:an )?(?:edited|shortened) (?:extract|excerpt|"
    r"version) of (?:an?|the) [\w ]{0,30}(?:first )?published\b|"
    r"\b(?:this|the) (?:report|article|story) (?:was|has been) (?:shortened|abridged|condensed|adapted) from\b|"
    # a podcast's or interview's transcript, a translated edition and a learners' edition ("This is a Level 2 story for
    # learners of English."): their notes, the hosts' greetings
    r"^this (?:is an? )?(?:\w+ )?transcript\b|\btranscript (?:has been|was|is) (?:lightly |slightly )?"
    r"(?:edited|condensed)\b|^translated from (?:the|an?)\b|\bstory for (?:english )?learners\b|"
    r"^this is a level \d story\b|^welcome back to\b|"
    r"^(?:good|great|nice) to (?:be here|be with you|have you)\b|^thanks? (?:you )?for having me\b|"
    r"^thank you (?:all )?for (?:joining|listening)\b|"
    # a briefing's transcript, a reprint and a newsletter's masthead introduce what follows: "Below are edited
    # excerpts from the regular press conference ...", "... reprinted with permission", "Eurasia Note, Tuesday
    # 21 March: the region's news in five minutes."
    r"^below (?:are|is) (?:\w+ ){0,2}(?:excerpts?|extracts?|highlights|the (?:full )?(?:text|transcript))\b|"
    r"\b(?:reprinted|reproduced|republished) with (?:the )?permission\b|\bpublished the following\b|"
    r"^this (?:item|piece|column|post|note) (?:was )?first (?:published|appeared)\b|"
    r"\b(?:the translation is ours|in our translation)\b|"
    rf"^{_CAP}[\w'&]*(?: {_CAP}[\w'&]*){{1,4}},? (?:mon|tues|wednes|thurs|fri|satur|sun)day,? \d{{1,2}} "
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\s*:|"
    # the newsroom's own lines: who wrote or edited it, how it is published, what its figures are in, how the
    # wire changed it, and a broadcast's station calls and hand-overs ("Our Moscow correspondent Igor Fenwick was in
    # the hall.", "It's ten past eight on Coastline Breakfast.")
    rf"^(?:analysis|commentary|opinion|interview|words) by {_CAPITALISED}(?: {_CAPITALISED}){{1,3}}\.?$|"
    r"^by (?:our|a) (?:\w+ )?(?:correspondent|reporter)\b|"
    rf"^by (?:the )?[\w'.\- ]{{0,40}}\b(?:team|staff|desk|newsroom) in {_CAP}[\w' ]{{0,30}}\.?$|"
    rf";\s*(?:editing|writing) by {_CAPITALISED}(?: {_CAPITALISED}){{1,3}}\)?\.?$|"
    r"^(?:today's|this week's|this|the) (?:edition|issue|newsletter|briefing|digest|round-?up) (?:was|is) "
    r"(?:written|compiled|edited|produced|put together) by\b|"
    rf"^[\w' ]{{1,40}} is (?:written|compiled|edited|produced) by {_CAP}[^.]{{0,60}}\b(?:every|each|weekly|daily)\b|"
    r"^this (?:interview|conversation|exchange) (?:has been|was|is) (?:lightly |slightly )?(?:edited|condensed)\b|"
    r"^readers (?:can|may|are invited to|are welcome to) (?:send|email|e-mail|write|submit|contact)\b|"
    r"\bunless (?:stated|noted|indicated|specified) otherwise\b|^\(\s*translated from\b|"
    r"^\((?:corrects|updates|adds|recasts|refiles|repeats)\b[^)]{0,300}\)?\.?$|"
    # a write-through's note without its brackets ("Adds length of talks, Kremlin comment.") and the date of a
    # correction ("Updated March 22, 2023, with a correction.")
    r"^(?:adds|recasts|rewrites|refiles|updates with)\b(?![^.]*\b(?:said|says|told)\b)[^.]{0,100}\.?$|"
    r"^(?:updated|corrected)(?: on)? (?:\d{1,2} )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*"
    r"(?: \d{1,2})?,? \d{4}\b[^.]{0,40}\.?$|"
    r"^(?:[^,;]{0,30}[,;] )?here (?:are|is) (?:the |today's |tonight's )?(?:(?:main|top|latest|key) )?"
    r"(?:stories|headlines)\b|"
    r"\bwhat you need to know\W*$|"
    r"^that (?:concludes|ends|wraps up|is the end of) (?:our|this) (?:\w+ )?(?:coverage|blog|page)\b|"
    r"\b(?:we are|we're) (?:now )?(?:closing|pausing|ending|wrapping up) (?:this|our|the) (?:live )?"
    r"(?:page|blog|coverage)\b|"
    r"^welcome to [^,.]{2,50}, (?:[^.]{0,40}'s|the|our|your) [^.]{0,30}\b(?:round-?up|newsletter|digest|briefing|"
    r"podcast|programme|program|show|bulletin)\b|"
    r"^it(?:'s| is) (?:\w+ )?(?:past|to) (?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon|"
    r"midnight)\b|^this is (?:a |an |the )?[\w' ]{0,40}\b(?:special report|bulletin|programme|podcast|broadcast)\.?$|"
    r"^[\w' ]{0,40}\bnews at (?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon|midnight|"
    r"\d{1,2})\b|"
    # a bulletin's station calls and sign-offs, a podcast's episode notes and credits, the weather forecast a local
    # site or a bulletin ends on ("From Radio Line, the six o'clock news.", "Dispatch Audio news, more at seven.",
    # "In today's episode we look at ...", "Meridian is produced by Tomas Reyes.", "Weekend weather: sunny, with highs
    # of 26 degrees."). The phrases found anywhere in the line are one group: searched as one branch they cost a
    # third of what they cost apart.
    rf"^(?:from |this is )?{_CAP}[\w' ]{{0,30}}, the (?:[\w']+ ){{0,2}}(?:news|bulletin|headlines)"
    r"(?: at [\w ]{1,20})?\.?$|^this is the (?:[\w']+ ){0,2}(?:news|bulletin)\.?$|^that'?s the news\b|"
    r"^more on the hour\.?$|"
    rf"^{_CAP}[\w' ]{{0,40}} is (?:produced|presented|hosted|edited) by {_CAPITALISED} {_CAP}|"
    rf"^{_CAP}[\w' ]{{0,30}} news[;,] [\w ]{{0,20}}\b(?:is|are) next\.?$|"
    r"^our guests? (?:this week|today|on this episode|in this episode)\b|"
    r"^(?:in )?(?:today's|tonight's|this week's|this) (?:special |extra |bonus )?episode\b|"
    rf"^(?:this week|today|tonight) on {_CAP}[\w' ]{{0,30}},? we\b|^on (?:tonight's|today's|this week's) "
    rf"{_CAP}[\w' ]{{0,30}}:|^(?:and )?(?:now )?the weather\b|^(?:weekend |tomorrow's |today's |the )?weather\s*:|"
    r"\b(?:news at (?:half|quarter|\w+ minutes) (?:past|to)\b|news[;,] (?:more at (?:one|two|three|four|five|six|"
    r"seven|eight|nine|ten|eleven|twelve|noon|midnight|\d{1,2})|the time is)\b|the time is (?:\w+ )?(?:minutes? )?"
    r"(?:past|to) (?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon|midnight|\d{1,2})\b|"
    r"after the (?:break|headlines|news)\.?$|supported by (?:listeners|readers|viewers|members) like you\b|"
    r"wherever you get your podcasts\b|find the full transcript\b|show notes\b|comes to you from\b|"
    r"is an independent production\b|support us on our website\b|(?:are|is) on our website\.?$|"
    r"forecasters? (?:expect|predict|say)\b[^.]{0,40}\b(?:snow|rain|showers|sunshine|temperatures?|degrees|frost|"
    r"storms?|winds?)\b|(?:highs?|lows?) of -?\d+ degrees\b|temperatures? (?:around|of|near) (?:zero|freezing|-?\d+)|"
    r"(?:sunny|cloudy|clear|mild|frosty|showers?)\b[^.]{0,40}\b(?:light|strong|gentle) winds?\b)|"
    rf", read by {_CAPITALISED}(?: {_CAPITALISED}){{1,2}}\.?$|"
    # a monthly or quarterly review speaking of itself and of its next issue ("This review, as always, runs in date
    # order", "Our annual review, China and Russia section.", "June's review will be published in the first week of
    # July.", "Month in Review: October in brief."). The next-issue line is two branches, at the line's start and
    # after a ";", because each then starts on a literal and is searched in half the time of one "(?:^|;\s*)" branch.
    r"\b(?:this|our) (?:monthly |weekly |quarterly |annual |month's |week's |year's )?(?:review|digest|chronicle|"
    r"round-?up)\b|"
    r"^(?:our |the |next )?(?:[\w'-]+ )?(?:review|digest|issue|edition|chronicle|quarterly) will (?:appear|"
    r"be published|be out|come out|look at|return|cover)\b|"
    r";\s*(?:our |the |next )?(?:[\w'-]+ )?(?:review|digest|issue|edition|chronicle|quarterly) will (?:appear|"
    r"be published|be out|come out|look at|return|cover)\b|"
    r"^(?:the )?(?:month|week|quarter|year) in (?:review|brief)\b|"
    # a trade paper's own schedule: when it publishes, what it updated, what comes tomorrow ("Tanker Desk's fixture
    # lists are published every weekday", "Boxship Weekly will not publish on 29 December; our next edition appears on
    # 5 January", "Tomorrow: the week in freight.", "Cargo Wire's trade dashboard has been updated with April data")
    r"^(?:tomorrow(?: in [\w' ]{1,30})?|schedule)\s*:|^this is the [\w' ]{1,40} for the (?:week|day|month)\b|"
    r"will (?:not (?:publish|appear)|(?:run|host) an? (?:live blog|live page|webinar)|report (?:from the|live)|"
    r"publish (?:full|more) coverage)\b|our next (?:edition|issue)\b|next (?:edition|issue) (?:appears|follows|will "
    r"(?:appear|be published|be out))\b|appears? on page \w+\.?$|"
    r"publish(?:es|ed)? (?:[\w ,]{0,40}\b)?(?:every|each|daily|weekly|monthly)\b|"
    r"updated (?:every|each|daily|weekly|monthly)\b|been updated with\b|"
    r"^(?:our|my) (?:\w+ )?(?:correspondent|reporter|editor|colleague)s?\b[^.]{0,60}\bjoins? (?:me|us)\b|"
    rf"^our (?:\w+ )?(?:correspondent|reporter)s? {_CAPITALISED}(?: {_CAPITALISED}){{1,3}},? "
    r"(?:was|is|has been|reports)\b)",
    re.IGNORECASE,
)

# what a text says, named as its source ("In the declaration, Russia reaffirms ...", "The joint statement calls for
# ..."): the text is the news however familiar its line; over the labelled sets no such sentence is a restatement
DOCUMENT_SAYS = re.compile(
    r"^(?:in|under) (?:the|their|its|that|this) (?:\w+ )?(?:declaration|statement|text|document|communiqu[eé])s?\b|"
    r"\b(?:declaration|statement|document|text|communiqu[eé])s? (?:also |further )?(?:says|said|states|stated|"
    r"reaffirms|reaffirmed|calls|called|commits|committed|pledges|pledged|notes|noted|stresses|stressed|voices|voiced|"
    r"expresses|expressed|describes|described|includes|included|sets out|set out|lists|listed)\b", re.IGNORECASE)

# a newsletter or live page turning to another story: "Elsewhere: the Fed raised rates", "In other news: ...";
# "Elsewhere in the statement, ..." stays with the document just reported, "Elsewhere in the region, ..." does not
OTHER_STORY = re.compile(r"^(?:elsewhere\b(?! in (?:the|this|that|his|her|its|their) (?!(?:region|world|news)\b))|"
                         r"in other news\b|also (?:today|in the news)\s*[:,]|also this week\s*:|"
                         r"(?:in|on) (?:the )?markets,|in (?:business|sports?) news,|in sports?,|"
                         r"markets will be watching\b)", re.IGNORECASE)

# a headed item ("Markets: Gold hit a record.", "United States: Talks on the debt ceiling stalled."): one to four
# capitalised words before a colon. A speaker's label in capitals ("OKORO:") is none (engine._roundup_items)
ITEM_HEADING = re.compile(rf"^({_CAPITALISED}(?: (?:{_CAPITALISED}|of|and|the|&)){{0,3}}):\s+(?=\S)")

# "In the same interview, Putin said Russia and China were not forming an alliance": more news from the occasion just
# reported (a plan for Belarus), an item of its own
_SAME_OCCASION = (r"^(?:in|during) the same (?:interview|speech|address|statement|declaration|news conference|"
                  r"press conference|briefing|remarks)\b")
# what was just reported set beside another happening ("The signing followed formal talks in narrow and expanded
# formats", "The announcement came as Putin held talks with Xi"): that other happening's news, an item of its own
_SET_BESIDE = (r"^the (?:\w+ ){1,2}(?:followed|came (?:after|as|during|on the heels of|(?:a|one|two|three) days? after|"
               r"(?:hours|days|weeks) after))\b")
# another happening dated from the one just reported ("Only days earlier, Putin and Xi had declared ...", "Days
# later Putin announced ...", "Last week China and Brazil issued ...", "Within days, Putin announced ..."): an item of
# its own
_TIME_APART = (r"^(?:only |just |less than |barely |some |about )?(?:(?:a|an|one|two|three|four|five|six|several|"
               r"a few|\d+) )?(?:days?|weeks?|months?|hours?) (?:earlier|later)\b|^last (?:week|month)\b|"
               r"^within (?:(?:a|an|one|two|three|a few|several) )?(?:hours?|days?|weeks?|months?)\b")
# the further-item cues that open an item in a run on a later happening too, where the others are what its
# reactions and days say
LATER_RUN_BREAKS = re.compile(f"{_SAME_OCCASION}|{_SET_BESIDE}|{_TIME_APART}", re.IGNORECASE)
# sentence openings that start a further item inside an article
_DISCOURSE_CUES = (
    # "also" with a further act opens one; "He also visited ...", "They also voiced concern ..." carry on, and so
    # does "He also said ...": the speaker just quoted, saying more. Urging, calling, praising, pledging, telling,
    # agreeing, holding and meeting "also" are more of the same in the labelled sets, and carry on too
    r"^(?!(?:he|she) also (?:said|says|told)\b)(?:[A-Z][\w'\-]*\s){0,3}also\s+(?:said|says|adopted|signed|"
    r"announced|backed|"
    r"warned|criticised|criticized|proposed|invited|promised|offered|declared|endorsed|"
    r"put|used|unveiled|launched)\b|"
    # "however" opens one, unless a quote closes on the voice just heard ("'However, we see no such readiness,'
    # he said"): the same speaker going on
    r"\bhowever\b(?!.*,[\"']?\s+(?:he|she|they|the [\w\- ]{1,30}) (?:said|added)\.?[\"']?$)|"
    r"^meanwhile\b|^separately\b|^in a separate\b|"
    r"^also (?:on|in|at|that)\b|^elsewhere\b|^in other (?:news|developments)\b|^on a separate\b|"
    # "In a statement ..." opens one; "In the statement ..." is the one just reported, and so is "In a statement
    # released on arrival, Xi said ..." after the arrival
    r"^in (?:a|an|their|his|her) (?:joint )?(?:statement|declaration|interview|speech|article)\b"
    r"(?![^,]{0,40}\b(?:on|upon) (?:his |her |their )?arrival\b)|"
    rf"{_SAME_OCCASION}|"
    r"^(?:a|the) (?:second|third|fourth|separate|further|companion)\s+(?!day\b|time\b)|^another\b|"
    r"^before (?:the|that|his|her|their)\b|"
    rf"{_SET_BESIDE}|{_TIME_APART}|"
    # "Earlier in the day, Xi and Putin signed ...": an earlier happening of the day; "Earlier he had laid flowers"
    # is the same person's day, told back
    r"^earlier(?: (?:in the day|on \w+day|this (?:week|month)|that day|today))?,?\s+(?!(?:he|she|they)\b)"
)
# a time other than the run's: another happening, unless it is what a speaker at the run's meeting talks about
_TIME_CUES = (
    r"\blast (?:week|month|year)\b(?!['\u2019]s)|\b(?:days?|weeks?|months?|years?) (?:earlier|ago)\b|"
    r"\blater this year\b"
)
DISCOURSE_CUES = re.compile(_DISCOURSE_CUES, re.IGNORECASE)
NEW_ITEM_CUES = re.compile(f"{_DISCOURSE_CUES}|{_TIME_CUES}", re.IGNORECASE)
ANAPHORA = re.compile(
    r"^(?:he|she|they|it|his|her|their|its|this|that|these|those|the two|both)\b|\b(?:him|them)\b|"
    r",\s*(?:he|she|they) (?:said|added)\b|\b(?:both sides|the two (?:sides|men|presidents|countries))\b",
    re.IGNORECASE,
)
SPEAKER_INTRO = re.compile(
    r"^(?:[\w'\-]+,?\s){1,8}?(?:said|says|told reporters|told|stated|announced|warned|argued|repeated|added)\b"
)
GENERIC_ANCHORS = frozenset(
    "countri country move announcement visit way time year part world people government state leader official "
    "relation meeting talk war".split()
)

# what kind of happening a sentence reports: two reports of different kinds are different developments
EVENT_KINDS: dict[str, re.Pattern[str]] = {
    "arrive": re.compile(r"\b(arrived|arrives|landed|lands|touched down|"
                         r"began (?:a|his|her) (?:\w+ )?(?:visit|trip))\b"),
    "depart": re.compile(r"\b(left|leaves|departed|departs|took off|flew (?:out|home|back)|headed home|wrapped up|"
                         r"ended (?:a|his|her) (?:\w+ )?(?:visit|trip)|"
                         # a host seeing the guest off ("Bidding Putin farewell at the Kremlin door, Xi said ...")
                         r"bid(?:ding|s)? (?:[\w\-]+ ){0,2}farewell|saw (?:him|her|his guest|her guest) off|"
                         r"walked (?:him|her|his guest|her guest) to)\b"),
    "sign": re.compile(r"\b(signed|signs|adopted|inked|"
                       r"put (?:their|his|her) (?:names?|signatures?)(?: [\w\-]+){0,4}? to)\b"),
    # "at the invitation of President Putin", "at his invitation": how a visit came about, not an invitation
    # "Russia was not invited": no invitation either
    "invite": re.compile(r"(?<!\bat the )(?<!\bat his )(?<!\bat her )(?<!\bat their )(?<!\bnot )(?<!\bnot been )"
                         r"(?<!\bnever )(?<!\bnever been )\b(invited|invites|invitation|"
                         r"(?:asked|asks|urged) (?:[\w\-]+ ){1,3}to "
                         r"(?:come|visit|make a (?:return|reciprocal)|attend|travel))\b"),
    "call": re.compile(r"\b(spoke (?:with|to) .{0,40}by (?:tele)?phone|spoke by (?:tele)?phone|(?:tele)?phone call|"
                       r"video call|phoned|the call (?:was|lasted)|(?:spoke|talked) by video(?: link)?|"
                       r"(?:spoke|talked) (?:with|to) [\w\-]+(?: [\w\-]+){0,2} for the first time)\b"),
    "meet": re.compile(r"\b(met|meets|held talks|holds talks|talks in|welcomed|greeted|hosted|"
                       r"attend(?:ed|ing|s)? the (?:[\w\-]+ ){0,4}(?:forum|summit))\b"),
    "send": re.compile(r"\b(send|sends|sent|sending|dispatch\w*|appoint\w*(?![^.]{0,60}\bambassador))\b"),
    # a leader's signed article in the host's paper, and what it goes on to say ("He wrote that ...")
    "write": re.compile(r"\b(signed article|article (?:by|for|in)|op-ed|the article|"
                        r"(?:wrote|writes|published|publishes) (?:an? |his |her )?(?:signed )?(?:article|op-ed|essay)|"
                        r"[\w\-]+ (?:also )?(?:wrote|writes))\b"),
    "deploy": re.compile(r"\b(deploy\w*|station\w*)\b"),
    "trade": re.compile(r"\b(trade(?! (?:fair|expo|exhibition|show)s?\b)|exports?|imports?|commerce|turnover)\b"),
    # not a happening but reported like one: reports of a claim falling short join one another, not the claim
    "shortfall": SHORTFALL_CUES,
}
