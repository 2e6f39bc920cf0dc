"""The demo data set: the SAMAA Digital article on Asim Umar, entered faithfully.

Every source, the report (with a stored copy of its text and its SHA-256), every attributed
statement in the words of the article, and the claims a desk would open from it, with their
stances and the status history a checker would have written. Loading is idempotent: it looks
everything up by its natural key (source name, report URL, claim slug) and adds only what is
missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from importlib.resources import files

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Claim, Report, Source, Statement
from ..services import Actor
from ..services.claims import create_claim, link_statement, set_published
from ..services.sources import create_report, create_statement, create_source
from ..services import signoff
from ..services.status import change_status

ARTICLE_FILE = "asim-umar-samaa-digital.txt"
#: SAMAA Digital's site: the seed text came without its article address, so the report points
#: at the outlet and keeps the full text with its hash as the record of what was read.
REPORT_URL = "https://www.samaa.tv/"
REPORT_TITLE = "AQIS leader Asim Umar killed in Helmand, says Afghan intelligence"
NDS_ANNOUNCED = date(2019, 10, 8)  # "the Afghan intelligence agency said Tuesday"


def article_text() -> str:
    return files(__package__).joinpath(ARTICLE_FILE).read_text(encoding="utf-8")


@dataclass(frozen=True)
class S:
    """A source: key, kind, name, and optional details."""

    key: str
    kind: str
    name: str
    description: str = ""
    affiliation: str | None = None
    anonymous: bool = False
    anonymity_reason: str | None = None


SOURCES: list[S] = [
    S("afghan_gov", "government", "Government of Afghanistan", "The Kabul government of 2019."),
    S("nds", "government", "National Directorate of Security (NDS)",
      "Afghanistan's intelligence agency.", affiliation="afghan_gov"),
    S("taliban", "armed_group", "Afghan Taliban", "Insurgent movement in Afghanistan."),
    S("al_qaeda", "armed_group", "Al-Qaeda"),
    S("aqis", "armed_group", "Al-Qaeda in the Indian Subcontinent (AQIS)",
      "Al-Qaeda's South Asian branch, announced in September 2014.", affiliation="al_qaeda"),
    S("zawahiri", "person", "Ayman al-Zawahiri", "Leader of Al-Qaeda.", affiliation="al_qaeda"),
    S("ct_official", "person", "Counter-terrorism official in Karachi",
      "Pakistani counter-terrorism official quoted by SAMAA Digital.", anonymous=True,
      anonymity_reason="Requested anonymity when speaking to SAMAA Digital."),
    S("islamabad_source", "person", "Source in Islamabad with links to militant circles",
      "Described by SAMAA Digital as having links to militant circles.", anonymous=True,
      anonymity_reason="Not named by SAMAA Digital; no reason for anonymity given."),
    S("cisac", "organisation", "Center for International Security and Cooperation, Stanford University"),
    S("asfandyar_mir", "person", "Asfandyar Mir",
      "Postdoctoral fellow at the Center for International Security and Cooperation, Stanford "
      "University.", affiliation="cisac"),
    S("hamid_mir", "person", "Hamid Mir",
      "Prominent Pakistani journalist who met Asim Umar twice (2005, 2007)."),
    S("umar_colleagues", "person", "Colleagues of Asim Umar",
      "Unnamed associates of Umar, as relayed by Hamid Mir.", anonymous=True,
      anonymity_reason="Not named by Hamid Mir, who relayed their words."),
    S("taxi_driver", "person", "Taxi driver who contacted Hamid Mir",
      "Intermediary who arranged Hamid Mir's 2005 meeting with Umar.", anonymous=True,
      anonymity_reason="Not named by Hamid Mir, who relayed his words."),
    S("us_gov", "government", "Government of the United States"),
    S("treasury", "government", "US Department of the Treasury", affiliation="us_gov"),
    S("samaa", "media", "SAMAA Digital", "Pakistani news outlet."),
]


@dataclass(frozen=True)
class St:
    """A statement: key, speaker key, words from the article, quote or paraphrase."""

    key: str
    speaker: str
    text: str
    kind: str = "paraphrase"
    relayed_by: str | None = None
    relayed_through: str | None = None
    said_on: date | None = None


STATEMENTS: list[St] = [
    St("nds_killed", "nds",
       "Asim Umar, the leader of Al-Qaeda in the Indian Subcontinent (AQIS), has been killed in a "
       "joint Afghan-US raid in Helmand.", said_on=NDS_ANNOUNCED),
    St("nds_raid", "nds",
       "He was killed with six other AQIS militants, including his courier to Al-Qaeda leader "
       "Ayman al-Zawahiri, in a raid on a Taliban compound on September 23.",
       said_on=NDS_ANNOUNCED),
    St("taliban_rejects", "taliban",
       "The Taliban rejected the Afghan government’s “claim” that Umar was killed during a raid "
       "in the Musa Kala district."),
    St("taliban_quote", "taliban",
       "We categorically reject this claim by Kabul officials and consider it a part of the "
       "enemy’s fabricated propaganda.", kind="quote"),
    St("zawahiri_video", "zawahiri",
       "In September 2014, in a 55-minute video, al-Zawahiri had announced the establishment of "
       "AQIS. Umar was made his first commander."),
    St("samaa_aqis_founding", "samaa",
       "In September 2014, in a 55-minute video, al-Zawahiri had announced the establishment of "
       "AQIS. Umar was made his first commander."),
    St("aqis_attacks", "aqis",
       "AQIS under Umar claimed several attacks in Pakistan, including the 2014 one on a naval "
       "dockyard in Karachi."),
    St("ct_ansarul", "ct_official",
       "In 2017, Umar, who is an Indian national, formed a new group called Ansarul Shariah in "
       "Pakistan."),
    St("ct_unconfirmed", "ct_official",
       "Umar’s death hasn’t been independently confirmed.", relayed_by="samaa"),
    St("ct_wont_end", "ct_official",
       "His death won’t completely end Al-Qaeda in Pakistan."),
    St("ct_movement", "ct_official", "A movement never ends", kind="quote"),
    St("islamabad_ruled_out", "islamabad_source",
       "The possibility of his death cannot be ruled out."),
    St("amir_significant", "asfandyar_mir",
       "It’s a significant development, which will hurt not just AQIS but also Al-Qaeda."),
    St("amir_first_chief", "asfandyar_mir",
       "Asim Umar was the first chief of AQIS after the Zawahiri-led AQ turned towards a regional "
       "franchising strategy", kind="quote", relayed_by="samaa"),
    St("amir_acumen", "asfandyar_mir",
       "Many questioned Asim Umar’s military and political acumen in Waziristan."),
    St("amir_failed_plots", "asfandyar_mir",
       "Under his leadership, AQIS had more failed plots than successful attacks", kind="quote"),
    St("amir_frigate", "asfandyar_mir",
       "The most consequential near-miss that we know about was the attempt to take control of a "
       "Pakistan Navy frigate in 2014.", kind="quote"),
    St("amir_effective", "asfandyar_mir",
       "Despite failing to mount operations, he was effective in keeping the group together "
       "politically and preventing it from splintering in the face of substantial US "
       "counterterrorism pressure."),
    St("hmir_first_meeting", "hamid_mir",
       "He had first met Umar in Afghanistan’s Ghazni province in 2005."),
    St("hmir_taxi", "hamid_mir",
       "A taxi driver contacted me and said Emir sahab wants to meet you."),
    St("taxi_dont_worry", "taxi_driver",
       "He said don’t worry… don’t worry he will not harm you.", kind="quote",
       relayed_by="hamid_mir", relayed_through="hmir_taxi"),
    St("hmir_attack_offer", "hamid_mir",
       "Umar wanted him to cover an attack on the US that the Taliban and Al-Qaeda were "
       "planning. But Mir said he declined the offer."),
    St("hmir_second_meeting", "hamid_mir",
       "Mir’s second meeting with Umar took place in North Waziristan in 2007. Umar was forced to "
       "leave Ghazni after he developed differences with local commanders. He was under "
       "protection of the Pakistani Taliban."),
    St("hmir_colleagues", "hamid_mir",
       "Some of his colleagues told me that they (the commanders) called him (Umar) an Indian spy."),
    St("colleagues_spy", "umar_colleagues",
       "They (the commanders) called him (Umar) an Indian spy.",
       relayed_by="hamid_mir", relayed_through="hmir_colleagues"),
    St("hmir_ahmedabad", "hamid_mir",
       "Umar belonged to Ahmedabad city of the Indian state of Gujrat."),
    St("treasury_up", "treasury", "Umar belonged to Uttar Pradesh."),
]


@dataclass(frozen=True)
class C:
    """A claim: slug, neutral text, links (statement key → stance), status path."""

    slug: str
    text: str
    links: list[tuple[str, str]]
    path: list[tuple[str, str]] = field(default_factory=list)
    context: str = ""
    tags: tuple[str, ...] = ("afghanistan", "al-qaeda")


CLAIMS: list[C] = [
    C(
        "asim-umar-killed-in-musa-qala-raid",
        "Asim Umar, leader of Al-Qaeda in the Indian Subcontinent, was killed in a joint "
        "Afghan–US raid in Musa Qala, Helmand, on 23 September 2019.",
        links=[
            ("nds_killed", "asserts"), ("nds_raid", "asserts"),
            ("taliban_rejects", "denies"), ("taliban_quote", "denies"),
            ("ct_unconfirmed", "unconfirmed"), ("islamabad_ruled_out", "unconfirmed"),
            ("amir_significant", "mentions"), ("ct_wont_end", "mentions"),
        ],
        path=[
            ("in_review", "Afghan intelligence (NDS) announced the killing; checking with other "
                          "sources."),
            ("contested", "The Taliban categorically reject the NDS account; a Pakistani "
                          "counter-terrorism official says the death has not been independently "
                          "confirmed, and a source in Islamabad says it cannot be ruled out."),
        ],
        context="Announced by the NDS on 8 October 2019.",
    ),
    C(
        "asim-umar-was-from-ahmedabad-gujarat",
        "Asim Umar was from Ahmedabad, in the Indian state of Gujarat.",
        links=[("hmir_ahmedabad", "asserts"), ("treasury_up", "denies")],
        path=[
            ("in_review", "Hamid Mir's account; checking against official records."),
            ("contested", "The US Treasury Department believed Umar came from Uttar Pradesh, "
                          "not Gujarat."),
        ],
        tags=("india", "al-qaeda"),
    ),
    C(
        "asim-umar-was-from-uttar-pradesh",
        "Asim Umar was from the Indian state of Uttar Pradesh.",
        links=[("treasury_up", "asserts"), ("hmir_ahmedabad", "denies")],
        path=[
            ("in_review", "US Treasury Department's belief as reported by SAMAA Digital."),
            ("contested", "Hamid Mir says Umar belonged to Ahmedabad, Gujarat."),
        ],
        tags=("india", "al-qaeda"),
    ),
    C(
        "asim-umar-formed-ansarul-shariah-in-2017",
        "In 2017 Asim Umar formed a new militant group, Ansarul Shariah, in Pakistan.",
        links=[("ct_ansarul", "asserts")],
        path=[("in_review", "Single anonymous source (a counter-terrorism official in Karachi); "
                            "looking for a second, independent one.")],
        tags=("pakistan", "al-qaeda"),
    ),
    C(
        "zawahiri-announced-aqis-in-september-2014-video",
        "Ayman al-Zawahiri announced the establishment of Al-Qaeda in the Indian Subcontinent "
        "in a 55-minute video in September 2014, with Asim Umar as its first commander.",
        links=[("zawahiri_video", "asserts"), ("samaa_aqis_founding", "asserts"),
               ("amir_first_chief", "asserts")],
        path=[
            ("in_review", "The founding video is a matter of public record."),
            ("confirmed", "Al-Zawahiri's own announcement is corroborated independently by SAMAA "
                          "Digital's reporting and by Asfandyar Mir (Stanford CISAC), who calls "
                          "Umar the first chief of AQIS."),
        ],
    ),
]


@dataclass
class DemoResult:
    created: dict[str, int] = field(default_factory=dict)

    def count(self, what: str) -> None:
        self.created[what] = self.created.get(what, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created)


def database_is_empty(session: Session) -> bool:
    return not session.scalar(select(func.count()).select_from(Claim))


def load_demo(session: Session) -> DemoResult:
    """Add whatever of the demo data set is missing. Flushes; the caller commits."""
    actor = Actor.system("demo")
    result = DemoResult()

    sources: dict[str, Source] = {}
    for spec in SOURCES:
        source = session.scalar(select(Source).where(Source.name == spec.name))
        if source is None:
            source = create_source(
                session, actor, name=spec.name, kind=spec.kind, description=spec.description,
                anonymous=spec.anonymous, anonymity_reason=spec.anonymity_reason,
                affiliation_id=sources[spec.affiliation].id if spec.affiliation else None,
            )
            result.count("sources")
        sources[spec.key] = source

    text = article_text()
    report = session.scalar(select(Report).where(Report.url == REPORT_URL))
    if report is None:
        report = create_report(
            session, actor, url=REPORT_URL, outlet_id=sources["samaa"].id, title=REPORT_TITLE,
            retrieved_at=datetime(2026, 11, 25, tzinfo=UTC), text=text,
        )
        result.count("reports")

    statements: dict[str, Statement] = {}
    for spec in STATEMENTS:
        statement = session.scalar(
            select(Statement).where(
                Statement.report_id == report.id,
                Statement.speaker_id == sources[spec.speaker].id,
                Statement.text == spec.text,
            )
        )
        if statement is None:
            statement = create_statement(
                session, actor, speaker_id=sources[spec.speaker].id, text=spec.text,
                kind=spec.kind, report_id=report.id,
                relayed_by_id=sources[spec.relayed_by].id if spec.relayed_by else None,
                relayed_through_id=(
                    statements[spec.relayed_through].id if spec.relayed_through else None
                ),
                said_on=spec.said_on,
            )
            result.count("statements")
        statements[spec.key] = statement

    for spec in CLAIMS:
        if session.scalar(select(Claim.id).where(Claim.slug == spec.slug)) is not None:
            continue
        claim = create_claim(
            session, actor, text=spec.text, context=spec.context, tags=spec.tags, slug=spec.slug
        )
        # Published as soon as it is entered, as a tracker would: readers follow it from
        # "unverified" through every change of status.
        set_published(session, claim, actor, published=True, expected_version=claim.version)
        for key, stance in spec.links:
            link_statement(session, claim, statements[key], actor, stance=stance)
        for to, reason in spec.path:
            change_status(session, claim, to, reason, actor, claim.version,
                          evidence=f"{REPORT_TITLE} — SAMAA Digital")
            waiting = signoff.pending_for(session, claim.id)
            if waiting is not None:  # the demo's record is history: its verdicts were signed off
                signoff.approve(session, waiting, actor, note="Signed off when the demo was loaded.")
        result.count("claims")
    session.flush()
    return result


__all__ = ["CLAIMS", "SOURCES", "STATEMENTS", "DemoResult", "article_text", "database_is_empty",
           "load_demo"]
