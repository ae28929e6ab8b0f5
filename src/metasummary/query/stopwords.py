"""Words that are never a search term: general English, and the common stock of academic prose.

Three lists, written from English grammar and from the vocabulary every discipline's abstracts
share (reporting verbs, hedges, connectives, the nouns of research itself), not from any
review's records:

- :data:`FUNCTION_WORDS`: articles, pronouns, prepositions, conjunctions, auxiliaries, modal
  and light verbs, quantifiers, common adverbs, and the names of months and days. They end a
  candidate phrase (RAKE).
- :data:`ACADEMIC_WORDS`: what abstracts say about themselves ("we propose", "results show",
  "significantly", "novel"). They end a phrase too.
- :data:`GENERIC_WORDS`: nouns and adjectives of research in general ("study", "method",
  "results", "large"). They may stand inside a phrase ("case study", "large scale") but are
  never suggested alone.

``text.STOP_WORDS`` is a different list: the few words digital libraries drop from a query.
"""

from __future__ import annotations

_FUNCTION = """
a about above across after afterwards again against all almost alone along already also
although always am among amongst an and another any anybody anyhow anyone anything anyway
anywhere are around as at be became because become becomes becoming been before
beforehand behind being below beside besides between beyond both but by can cannot could
did do does doing done due during each either else elsewhere enough etc even ever
every everybody everyone everything everywhere except few for former formerly from further
furthermore had has have having he hence her here hereafter hereby herein hers herself him
himself his how however i if in indeed into is it its itself just last latter latterly least
less let lets like likely many may me meanwhile might mine more moreover most mostly much must
my myself namely neither never nevertheless next no nobody none noone nor not nothing now
nowhere of off often on once one only onto or other others otherwise our ours ourselves out
over own per perhaps please quite rather really same several shall she should since so some
somebody somehow someone something sometime sometimes somewhere still such than that the their
theirs them themselves then thence there thereafter thereby therefore therein thereupon these
they this those though through throughout thru thus to together too toward towards under
unless until up upon us very via was we well were what whatever when whence whenever where
whereafter whereas whereby wherein whereupon wherever whether which while whither who whoever
whole whom whose why will with within without would yet you your yours yourself yourselves
get gets got make makes made take takes taken give gives given go goes going used
using put puts see seen seem seems seemed able unable upon onto vs versus
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
"""

_ACADEMIC = """
propose proposes proposed proposing present presents presented presenting show shows showed
shown showing demonstrate demonstrates demonstrated demonstrating describe describes described
describing discuss discusses discussed discussing suggest suggests suggested suggesting
indicate indicates indicated indicating reveal reveals revealed revealing conclude concludes
concluded concluding investigate investigates investigated investigating examine examines
examined examining explore explores explored exploring addresses addressed addressing
aims aimed aiming obtain obtains obtained obtaining produce produces produced producing
provide provides provided providing perform performs performed performing achieve achieves
achieved achieving yielded consider considers considered considering include
includes included including require requires required requiring allow allows allowed allowing
enable enables enabled enabling helps helped leads led carried carries
conducts conducted conducting find finds found identify identifies identified identifying
determine determines determined determining observe observes observed observing note notes
noted focuses focused focusing highlight highlights highlighted outline outlines outlined
reported reporting argue argues argued introduce introduces introduced
contribute contributes contributed offer offers offered remain remains remained appear appears
appeared tend tends tended seek seeks sought attempted tries tried
participate participates participated participating enroll enrolls enrolled enrolling enrol
enrols enrolment resulted resulting create creates created creating establish establishes
established establishing caused causing increased increasing decreased decreasing reduced
reducing improved improving compare compares compared comparing followed following add adds
added adding gained gaining assigned receive receives received receiving related relating
associated affected affecting influenced influencing involve involves involved involving
occur occurs occurred occurring represent represents represented representing depend depends
depended depending exist exists existed defined derived estimated evaluated measured assessed
tested analysed analyzed analysing analyzing collected selected restricted sustained differed
underwent completed continued initiated administered allocated ranged varied exceeded emerged
recruited
similarly clinically statistically substantially considerably slightly markedly strongly
rapidly separately independently initially subsequently frequently commonly increasingly
primarily specifically effectively efficiently accurately properly actually easily quickly
however although additionally moreover furthermore therefore consequently accordingly hence
thus respectively significantly generally mainly mostly particularly especially approximately
previously recently currently finally firstly secondly thirdly lastly overall typically usually
widely highly relatively potentially successfully clearly largely partly fully simply directly
further also well often namely e.g eg i.e ie et al etc novel new significant important several
various different many numerous certain main key current recent previous existing
possible particular first second third fourth fifth one two three four five
six seven eight nine ten
"""

_GENERIC = """
study studies paper papers article articles research work works result results finding
findings method methods methodology methodologies approach approaches technique techniques
analysis analyses data information model models system systems process processes problem
problems issue issues question questions aspect aspects factor factors effect effects impact
impacts role roles level levels number numbers type types way ways case cases time times year
years field fields area areas part parts set sets evidence aim objective objectives purpose
purposes goal goals conclusion conclusions background context literature basis order terms
example examples instance instances amount lack need needs large small high higher highest low
lower lowest good better best great little long longer short shorter total range value values
group groups rate rates measure measures change changes difference differences level quality
performance development application applications practice practices framework tool tools
support knowledge understanding experience experiences view views point points state status
form forms kind kinds base line lines term use uses report reports general specific
major aim based absolute random initial additional potential relative similar differential
common frequent typical individual individuals effective efficient appropriate available
necessary useful relevant sufficient adequate considerable substantial consistent comparable
corresponding simple complex basic standard normal positive negative strong weak clear direct
indirect actual real true worse original final prior early late future past subsequent
respective fact thing things lot people person persons subject subjects participant
participants sample samples population populations member members setting settings condition
conditions situation period periods duration phase phases step steps stage stages trend
trends pattern patterns feature features property properties component components element
elements structure structures function functions mechanism mechanisms principle principles
concept concepts idea ideas strategy strategies activity activities task tasks action actions
event events outcome outcomes output outputs input inputs target targets focus scope extent
degree proportion percentage ratio ratios score scores mean means average median variable
variables parameter parameters criteria criterion indicator indicators dimension dimensions
category categories item items version versions source sources resource resources content
contents detail details description overview summary cause causes gain gains researchers
patients ci sd se iqr hr rr
"""

FUNCTION_WORDS = frozenset(_FUNCTION.split())
ACADEMIC_WORDS = frozenset(_ACADEMIC.split())
GENERIC_WORDS = frozenset(_GENERIC.split())

BREAKS = FUNCTION_WORDS | ACADEMIC_WORDS
"""Words at which a candidate phrase ends (RAKE's stop list)."""


def is_break(word: str) -> bool:
    """Whether ``word`` (lower case) ends a candidate phrase."""
    return word in BREAKS or not any(ch.isalpha() for ch in word)


def stands_alone(word: str) -> bool:
    """Whether ``word`` (lower case) may be suggested as a term on its own."""
    return not is_break(word) and word not in GENERIC_WORDS
