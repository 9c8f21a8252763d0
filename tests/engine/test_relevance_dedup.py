"""Topic gate, article relevance with hard negatives, near-copy detection."""
from __future__ import annotations

import json
import time

from monitor.config import load_config
from monitor.engine import Engine, make_engine
from monitor.engine.topic import Topic
from tests.engine.builders import BASELINE_PUBLISHED, REPO, make_article

LULA = make_article(
    "neg-lula",
    "Brazilian President Luiz Inacio Lula da Silva met Chinese President Xi Jinping in Beijing on Friday. "
    "The two leaders signed 15 agreements on trade, science and satellites. "
    "Lula said Brazil and China would work with other countries to find a path to peace in Ukraine. "
    "Brazil is China's largest trading partner in Latin America.",
    title="Lula and Xi sign trade deals in Beijing", day=14, month=4,
)
ROUBLE = make_article(
    "neg-rouble",
    "Vladimir Putin told a meeting of government officials on Wednesday that the rouble's slide was under control. "
    "The central bank raised its key rate by 350 basis points to 12 percent in an emergency move. "
    "Putin said inflation would slow in the coming months. "
    "The rouble has lost about a third of its value against the dollar this year.",
    title="Putin says rouble under control after emergency rate rise", day=16, month=8,
)
SPORT = make_article(
    "neg-sport",
    "CSKA Moscow beat Zenit St Petersburg 2-1 in the Russian Cup final on Saturday. "
    "Two second-half goals turned the match in front of a crowd of 40,000 in Moscow. "
    "It was the club's first trophy in five years.",
    title="CSKA Moscow win Russian Cup", day=3, month=6,
)


def test_hard_negatives_are_not_relevant(engine):
    for article in (LULA, ROUBLE, SPORT):
        result = engine.analyse(article)
        assert not result.relevant, article.id
        assert {s.label for s in result.sentences} == {"offtopic"}


def test_an_article_with_both_sides_is_relevant(engine):
    article = make_article(
        "pos-1",
        "Xi Jinping and Vladimir Putin held a first round of talks in the Kremlin on Monday evening. "
        "The meeting lasted more than four hours, Russian officials said.",
        title="Xi and Putin hold first talks in Kremlin",
    )
    assert engine.analyse(article).relevant



def test_a_follow_up_naming_one_core_person_is_relevant_by_its_tie_to_an_earlier_development(engine):
    """The envoy's tour, a month after the call that announced it: Xi named once, Beijing and Moscow in one
    sentence, and nothing but the announced envoy tying it to the story."""
    call = make_article(
        "envoy-1",
        "Xi Jinping spoke by telephone with Volodymyr Zelensky on Wednesday, their first contact since the invasion. "
        "Xi told Zelensky that China would send its special representative for Eurasian affairs, Li Hui, to Kyiv and "
        "Moscow to seek a settlement. "
        "Vladimir Putin's spokesman said Moscow welcomed any Chinese effort.",
        title="Xi and Zelensky speak by phone; China to send envoy", day=26, month=4)
    tour = make_article(
        "envoy-2",
        "Li Hui, China's special representative for Eurasian affairs, held talks with Ukraine's foreign minister in "
        "Kyiv on Tuesday. "
        "The minister called the talks useful and detailed. "
        "Xi Jinping has not visited Ukraine since the war began. "
        "Li spent a decade as Beijing's ambassador in Moscow.",
        title="China's envoy hears Kyiv's red lines", day=17, month=5)
    assert engine.analyse(call).relevant
    result = engine.analyse(tour)
    assert result.relevant
    assert result.sentences[0].label in ("new", "update")


def test_the_story_named_in_the_opening_paragraph_makes_a_one_sided_article_relevant(engine):
    """A core person in the headline and the baseline's lede (the court's charges) in the opening sentences is the
    story's thread; the same person with the court only far down the body is another story."""
    skipped = make_article(
        "thread-1",
        "Vladimir Putin will not travel to Johannesburg for next month's summit, South Africa's presidency said. "
        "Foreign Minister Sergei Lavrov will lead the delegation instead. "
        "As a member of the International Criminal Court, South Africa would have had to arrest him on arrival.",
        title="Putin will not attend summit in South Africa", day=19, month=7)
    elsewhere = make_article(
        "thread-2",
        "Vladimir Putin visited a new housing district in the south of the country on Sunday, state television showed. "
        "He talked to residents and inspected a school. "
        "Officials briefed him on the rebuilding of roads and bridges. "
        "The region's governor accompanied him throughout the trip. "
        "It was his first public outing since the International Criminal Court issued its warrant.",
        title="Putin tours new housing district", day=19, month=3)
    assert engine.analyse(skipped).relevant
    assert not engine.analyse(elsewhere).relevant

def test_candidate_gate_has_high_recall_and_is_fast(engine):
    assert engine.is_candidate("Xi holds first call with Zelensky", "")
    assert engine.is_candidate("Kremlin reacts to court warrant", "")
    assert engine.is_candidate("Markets", "Beijing and Moscow expand yuan trade")
    assert not engine.is_candidate("Heatwave grips southern Europe", "Temperatures top 40C in Spain and Italy.")
    entries = [(f"Story {i} about markets and weather", "Nothing to see here at all today.") for i in range(4000)]
    start = time.perf_counter()
    for title, summary in entries:
        engine.is_candidate(title, summary)
    assert len(entries) / (time.perf_counter() - start) > 2000


ORIGINAL = (
    "Xi Jinping and Vladimir Putin signed a joint statement on energy cooperation in Moscow on Tuesday. "
    "The document commits both sides to study a new gas pipeline through Mongolia. "
    "Putin said all the main terms had been agreed. "
    "Chinese officials made no comment on the pipeline. "
    "Analysts said the financing remained unclear. "
    "Russia has been seeking new buyers for gas it once sold to Europe."
)


def test_near_copy_and_partial_reprint(engine):
    first = engine.analyse(make_article("orig", ORIGINAL, title="Xi and Putin sign energy statement", day=21))
    copy_body = ORIGINAL.replace("on Tuesday", "on Tuesday afternoon").replace("Analysts said", "Experts said")
    copy = engine.analyse(make_article("copy", copy_body, title="Putin, Xi sign statement", day=21, source="Other"))
    partial_body = " ".join(ORIGINAL.split(". ")[:3]) + "."
    partial = engine.analyse(make_article("part", partial_body, title="Energy statement signed", day=22))
    other = engine.analyse(make_article("other", "Xi Jinping left Moscow on Wednesday after a three-day visit. "
                                        "Putin saw him off at the airport.", day=22))
    assert first.duplicate_of is None
    assert copy.duplicate_of == "orig" and copy.relevant == first.relevant
    assert partial.duplicate_of == "orig"
    assert other.duplicate_of is None


def test_a_reworded_partial_reprint_with_a_syndication_note_is_a_copy(engine):
    first = engine.analyse(make_article("orig", ORIGINAL, title="Xi and Putin sign energy statement", day=21))
    reprint = ("Xi Jinping and Vladimir Putin put their names to a joint statement on energy cooperation in Moscow on "
               "Tuesday. The document commits the two sides to study a new gas pipeline across Mongolia. "
               "Putin said all the main terms had been agreed. "
               "This report first appeared in the Harbour Gazette and is republished under a content-sharing "
               "agreement.")
    copy = engine.analyse(make_article("reprint", reprint, title="Energy statement signed", day=22, source="Other"))
    assert first.duplicate_of is None
    assert copy.duplicate_of == "orig"


TALLINN = (
    "Ukraine's foreign minister accused Beijing on Sunday of helping Moscow to undermine the peace conference "
    "that Norway is hosting next month. Russia was using Chinese influence and Chinese diplomats to do everything "
    "it could to wreck the conference, he told a news briefing at the Baltic security forum in Tallinn. It was a "
    "pity that such a large and powerful country had become a tool in Moscow's hands, the minister said. He said "
    "components of Russian missiles still came from China. China's deputy foreign minister told the same forum "
    "that Beijing was promoting talks in a responsible way and had never supplied arms to either side. Beijing "
    "said on Friday that it would find it hard to attend the conference because its arrangements fell short of "
    "China's conditions. Reporting by the Tallinn bureau; editing by Anna Berg."
)


def test_a_reprint_reworded_sentence_by_sentence_is_a_copy_and_a_report_of_its_own_is_not(engine):
    # a third of the reprint's word shingles survive the rewording; another outlet's own account of the same
    # briefing shares none of them
    first = engine.analyse(make_article("tallinn", TALLINN, title="Kyiv accuses Beijing", year=2024, month=6, day=2))
    reprint = (
        "Ukraine's foreign minister on Sunday accused Beijing of helping Moscow undermine next month's peace "
        "conference in Norway. Moscow, he told reporters at the Baltic security forum, was using Chinese influence "
        "and Chinese diplomats to try to wreck the conference. It was regrettable, the minister said, that so large "
        "and powerful a country had become a tool in Moscow's hands. At the forum, China's deputy foreign minister "
        "said Beijing was promoting talks responsibly and had never supplied arms to either side. With reporting "
        "from the Tallinn bureau."
    )
    own = (
        "Ukraine's top diplomat said on Sunday that China was working with Russia against the Norwegian peace "
        "conference. Speaking in Tallinn, he said Chinese envoys had been lobbying governments in Asia and Africa "
        "to stay away. A Chinese official at the same gathering rejected the charge and said Beijing sold no "
        "weapons to the warring sides. China has said the conference does not meet its conditions."
    )
    copy = engine.analyse(make_article("reworded", reprint, title="A tool in Moscow's hands", year=2024, month=6,
                                       day=3, source="Other"))
    report = engine.analyse(make_article("own", own, title="Kyiv says China works against conference", year=2024,
                                         month=6, day=3, source="Third"))
    assert first.duplicate_of is None
    assert copy.duplicate_of == "tallinn"
    assert report.duplicate_of is None

def test_the_shipped_topic_rules_out_the_two_armies_drilling_together():
    """Both sides in the headline, neither leader anywhere: the config's `exclude` phrases keep joint drills out,
    while a headline on the two countries' trade stays in."""
    config = load_config(REPO / "config" / "monitor.toml", environ={})
    engine = make_engine(config, config.get_topic("xi-putin"))
    drill = make_article(
        "drill-1", "Six Chinese and Russian warships sailed through the Tsugaru Strait on Thursday, Tokyo said. "
        "The ships had taken part in a week-long exercise off Vladivostok.",
        title="Chinese and Russian warships hold joint naval drill in Sea of Japan", day=14, month=7)
    trade = make_article(
        "trade-1", "Russia sold more crude to China than any other country did in the first half, customs data showed. "
        "China's purchases of Russian oil rose by a fifth from a year earlier.",
        title="Russia stays China's biggest oil supplier as Beijing buys more crude", day=20, month=7)
    assert not engine.analyse(drill).relevant
    assert engine.analyse(trade).relevant
    # a summary's passing word is not the headline's subject: the summit's story that mentions bombers stays in
    summit = make_article(
        "kyiv-1", "Fumio Kishida arrived in Kyiv on Tuesday on a visit kept secret until he was in Ukraine. The trip "
        "overlapped with Xi Jinping's second day of talks with Vladimir Putin in Moscow.",
        title="Kishida makes secret trip to Kyiv as Xi meets Putin", day=21,
        summary="Japan's prime minister met Volodymyr Zelensky. Russian bombers flew over the Sea of Japan.")
    assert engine.analyse(summit).relevant


def test_a_headline_naming_both_sides_needs_the_story_s_language_too(engine):
    """"Chinese brands take half of Russia's car market" names the two sides and no one else's story, but speaks of
    showrooms and dealers: not the story. Two sides' officials on the war speak its language and stay in."""
    cars = make_article(
        "cars-1", "Chinese brands sold more than half of the new passenger cars bought in Russia last year, dealers said. "
        "Haval, Chery and Geely now fill showrooms that Western carmakers left, and the domestic Lada lost share.",
        title="Chinese brands take half of Russia's car market", day=12, month=1, year=2024)
    envoy = make_article(
        "envoy-1", "China's special envoy for Eurasian affairs said on Friday that Beijing had never urged Europe to accept "
        "a Russian land grab in Ukraine. He said China supported peace talks recognised by both Moscow and Kyiv.",
        title="China's envoy rejects report he urged Europe to accept Russian land grab", day=2, month=6)
    assert not engine.analyse(cars).relevant
    assert engine.analyse(envoy).relevant


def test_a_configured_thread_makes_a_one_sided_headline_the_story():
    """China's dealings with Ukraine over peace stay the story without Russia in the article (the shipped topic's
    thread); Russia's with Ukraine are the war itself, and China's plans elsewhere are another story."""
    config = load_config(REPO / "config" / "monitor.toml", environ={})
    topic = config.get_topic("xi-putin")
    envoy = make_article(
        "thread-1", "Li Hui, China's special representative for Eurasian affairs, arrived in Kyiv on Tuesday for a "
        "second round of shuttle diplomacy. He met Ukraine's foreign minister, who told him Kyiv would accept no deal "
        "that cost it territory.", title="Chinese envoy Li Hui returns to Kyiv for peace talks", day=5, month=3,
        year=2024)
    istanbul = make_article(
        "thread-2", "Delegations from Moscow and Kyiv met in Istanbul on Friday for their first direct talks in three "
        "years. They agreed to exchange 1,000 prisoners each.", title="Russia and Ukraine hold peace talks in Istanbul",
        day=16, month=5, year=2025)
    consumption = make_article(
        "thread-3", "China's cabinet unveiled a plan to lift household spending on Sunday, with subsidies for child "
        "care and higher pensions. Ukraine's grain exports to China rose in the same quarter.",
        title="China unveils plan to boost consumption", day=16, month=3, year=2025)
    with_threads = make_engine(config, topic)
    without = make_engine(config, topic.model_copy(update={"threads": []}))
    assert with_threads.analyse(envoy).relevant and not without.analyse(envoy).relevant
    assert not with_threads.analyse(istanbul).relevant
    assert not with_threads.analyse(consumption).relevant


def test_a_thread_named_only_in_the_summary_counts_too():
    config = load_config(REPO / "config" / "monitor.toml", environ={})
    engine = make_engine(config, config.get_topic("xi-putin"))
    group = make_article(
        "thread-4", "China and Brazil convened the first meeting of their Friends for Peace group in New York on "
        "Friday. Seventeen developing countries attended; neither warring side was invited.",
        title="China and Brazil launch 'Friends for Peace' group at the UN",
        summary="The group backs the two countries' proposals for ending the war in Ukraine.", day=27, month=9,
        year=2024)
    assert engine.analyse(group).relevant


def test_exclude_phrases_match_as_whole_phrases_and_a_blank_one_matches_nothing():
    """The `exclude` list is read like `terms`: a phrase ending in a full stop still matches, and a blank entry
    left in a hand-edited list does not exclude every article."""
    topic = Topic("Xi Jinping meets Putin", "Xi Jinping will meet Vladimir Putin in Moscow.",
                  exclude=["", "Japan's Maritime S.D.F.", "naval drill"])
    assert topic.is_excluded("Japan's Maritime S.D.F. shadowed the ships.")
    assert topic.is_excluded("A joint Naval Drill began on Monday.")
    assert not topic.is_excluded("Xi Jinping met Vladimir Putin in the Kremlin.")
    assert not topic.is_excluded("The naval drills of last year")  # a phrase, not the start of a longer word


def test_a_reprints_line_goes_where_its_originals_line_went_not_to_an_item_of_its_own(baseline_text):
    """The reprint opens on a line that, read alone, is closest to the March 2023 military pledge: a year apart,
    so it would open an item of its own. It is its original's line, and goes where that line went; also when
    the engine's memory was saved and loaded in between."""
    march = make_article(
        "march-pledge",
        "Xi Jinping and Vladimir Putin pledged in Moscow on Tuesday to deepen military cooperation, signing a joint "
        "statement that commits their armies to more joint exercises and patrols. "
        "Western officials said the text went further than earlier declarations.",
        title="Xi and Putin pledge deeper military ties", day=21,
    )
    original = make_article(
        "may-original",
        "Vladimir Putin and Xi Jinping pledged in Beijing on Thursday to deepen military cooperation, signing a joint "
        "statement that commits their armies to more joint exercises. "
        "The statement, the main outcome of Putin's two-day state visit to China, marks 75 years of diplomatic "
        "relations. "
        "It voices serious concern about American plans to deploy intermediate-range missiles in the Asia-Pacific "
        "region. "
        "Putin travelled with Andrei Belousov, the economist he named defence minister last week, and with his "
        "predecessor Sergei Shoigu. "
        "Xi said the ties between the two countries were built on non-alignment and did not target any third party. "
        "Putin thanked China for its proposals on settling the conflict in Ukraine.",
        title="Putin and Xi pledge closer military ties", day=16, month=5, year=2024,
    )
    reprint = make_article(
        "may-reprint",
        "Vladimir Putin and Xi Jinping pledged in Beijing on Thursday to deepen their military cooperation, signing a "
        "joint statement that commits their armies to more joint exercises. "
        "Putin was accompanied by Andrei Belousov, the economist he named defence minister last week, and by his "
        "predecessor Sergei Shoigu. "
        "Xi said the ties between the two countries were built on non-alignment and did not target any third party. "
        "Putin thanked China for its proposals on settling the conflict in Ukraine.",
        title="Russia and China vow more war games", day=16, month=5, year=2024, source="Other Desk",
    )
    for resume in (False, True):
        engine = Engine(baseline_text, published=BASELINE_PUBLISHED)
        engine.analyse(march)
        first = engine.analyse(original)
        if resume:
            state = json.loads(json.dumps(engine.export_state()))
            engine = Engine(baseline_text, published=BASELINE_PUBLISHED)
            engine.load_state(state)
        items = len(engine.developments)
        copy = engine.analyse(reprint)
        assert copy.duplicate_of == "may-original"
        assert {s.development for s in first.sentences} == {s.development for s in copy.sentences}
        assert len(engine.developments) == items
