"""Words for the benchmark data set: claims that read like a wire desk's, not one template.

Full-text search, "similar claims" and the planner's statistics all depend on how words are
distributed, so a data set of one sentence repeated would measure nothing. Claims here are
drawn from several dozen sentence shapes across beats (conflict, health, economy, elections,
climate, crime, science, sport), with slots filled from large pools: tens of thousands of
person names, thousands of invented place names, and numbers and dates. Pools are drawn with
Zipf-like weights, so that some people and places are in the news a lot and most rarely, as
in a real archive. Everything is seeded: the same seed gives the same data set.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass

FIRST_NAMES = (
    "Asim Hamid Amina Fatima Omar Yusuf Leila Sara Ahmed Bilal Nadia Imran Zainab Tariq Hina Farid "
    "Maria Jose Carlos Ana Luis Elena Pedro Lucia Diego Sofia Miguel Carmen Pablo Isabel Andres Rosa "
    "John Mary James Linda Robert Susan Michael Karen David Nancy William Lisa Richard Betty Thomas "
    "Wei Li Ming Jun Hui Yan Xiao Lan Hong Jie Akira Yuki Hiroshi Keiko Kenji Naomi Takeshi Emi "
    "Olu Ngozi Chidi Amara Kwame Efua Kofi Abena Tunde Folake Jomo Wanjiru Thabo Lerato Sipho Zanele "
    "Ivan Olga Dmitri Irina Sergei Anna Pavel Natalia Oksana Taras Andriy Kateryna Bohdan Yulia "
    "Priya Rahul Anjali Vikram Sunita Arjun Kavita Ravi Deepa Sanjay Meera Amit Pooja Rohan Neha "
    "Hans Greta Klaus Ingrid Jurgen Heike Lars Astrid Sven Freya Pierre Claire Jean Marie Luc Anne "
    "Giulia Marco Chiara Luca Francesca Matteo Elif Mehmet Ayse Mustafa Zeynep Emre Reza Maryam Ali "
    "Dara Shirin Kaveh Nasrin Tomas Petra Jakub Zofia Marek Agnieszka Piotr Ewa Nikos Eleni Yannis"
).split()

SURNAMES_A = (
    "Al Abu Ben Van De Mac O Fitz Della Von San Bar Ter Ibn El Da La Le Du Ka Mo Na Ra Sa Ta"
).split()
SURNAMES_B = (
    "Umar Mir Rahman Khan Haddad Nasser Farouk Hussein Karimi Qureshi Malik Siddiqui Yousef Saleh "
    "Garcia Lopez Martinez Gonzalez Fernandez Ruiz Moreno Alvarez Romero Navarro Torres Vargas "
    "Smith Johnson Brown Taylor Wilson Evans Walker Wright Hughes Green Baker Carter Turner Parker "
    "Chen Wang Zhang Liu Yang Huang Zhao Wu Zhou Tanaka Suzuki Sato Watanabe Ito Yamamoto Nakamura "
    "Okafor Adeyemi Mensah Owusu Kamau Otieno Ndlovu Dlamini Mbeki Banda Phiri Diallo Traore Keita "
    "Ivanov Petrov Sidorov Kuznetsov Popov Volkov Shevchenko Kovalenko Bondarenko Tkachenko Melnyk "
    "Sharma Patel Singh Kumar Gupta Reddy Iyer Nair Menon Das Bose Chatterjee Mukherjee Verma Joshi "
    "Muller Schmidt Schneider Fischer Weber Becker Hoffmann Larsen Nielsen Berg Dubois Laurent Moreau "
    "Rossi Bianchi Ferrari Esposito Romano Yilmaz Kaya Demir Celik Sahin Tehrani Moradi Novak Kowalski "
    "Nowak Wisniewski Papadopoulos Georgiou Dimitriou"
).split()

SYLLABLES = (
    "ka ra mu sa qa la he al ma nd ba gh ar is la ab ad ko ta ni po ze vi lo du fa ri ne go ha "
    "ki wa ju be me to si na ye ul or an el om ur ir ez oz ek ak ov ev in on un"
).split()

COUNTRIES = (
    "Afghanistan Pakistan India Bangladesh Nigeria Kenya Ghana Ethiopia Egypt Morocco Algeria Tunisia "
    "Brazil Argentina Chile Peru Colombia Mexico Venezuela Bolivia Ecuador Canada France Germany Italy "
    "Spain Portugal Poland Ukraine Russia Turkey Iran Iraq Syria Lebanon Jordan Yemen Oman Qatar "
    "Indonesia Malaysia Philippines Vietnam Thailand Myanmar Cambodia Japan Korea China Mongolia "
    "Australia Zealand Sweden Norway Finland Denmark Greece Romania Hungary Serbia Croatia Somalia "
    "Sudan Uganda Tanzania Zambia Zimbabwe Mozambique Angola Senegal Mali Niger Chad Cameroon"
).split()

GROUPS = (
    "Taliban; al-Shabaab; Boko Haram; the Islamic State group; AQIS; Hezbollah; the Houthis; "
    "the Wagner group; the PKK; the FARC dissidents; the RSF militia; the M23 rebels"
).split("; ")

DOMAINS = (
    "Health Defence Interior Finance Education Energy Agriculture Transport Justice Labour Trade "
    "Environment Water Housing Tourism Information"
).split()

AGENCIES = (
    "police; army; intelligence service; electoral commission; central bank; health ministry; "
    "statistics office; election monitors; coast guard; disaster agency; prosecutor's office; "
    "supreme court; parliament; opposition party; ruling party; teachers' union; "
    "chamber of commerce; medical association; human rights commission; anti-corruption bureau"
).split("; ")

OUTLETS = (
    "SAMAA Digital; Dawn; The Express Tribune; Geo News; Reuters; Associated Press; Agence France-Presse; "
    "BBC News; Al Jazeera; The Guardian; The New York Times; The Washington Post; Le Monde; El Pais; "
    "Der Spiegel; NHK; The Hindu; Daily Nation; Premium Times; Folha de S.Paulo; Clarin; "
    "Kyiv Independent; Meduza; Anadolu; Tolo News; Pajhwok; The Daily Star; Mail & Guardian"
).split("; ")

DISEASES = (
    "cholera measles dengue malaria tuberculosis influenza mpox polio typhoid diphtheria hepatitis"
).split()
PRODUCTS = "wheat rice fuel sugar cooking-oil fertiliser cement steel medicine electricity".split()
TEAMS_SPORT = "football cricket hockey rugby basketball volleyball athletics".split()
MONTHS = (
    "January February March April May June July August September October November December"
).split()

#: Sentence shapes, by beat. Each slot name is a method of ``ClaimWriter``.
TEMPLATES = (
    # conflict
    "{person} was killed in a {strike} in {place}, {country}, on {date}",
    "{group} fighters captured {place} after a {number}-day siege",
    "{number} civilians died when a {strike} hit a market in {place}",
    "The {agency} of {country} arrested {person} in connection with the {place} bombing",
    "{group} has claimed responsibility for the attack on the {place} checkpoint",
    "{person}, a senior commander of {group}, was born in {place}, not in {place2}",
    "Troops from {country} crossed the border near {place} on {date}",
    "A ceasefire between {group} and the government of {country} was signed in {place}",
    # health
    "{number} people have died of {disease} in {place} since {month}",
    "The {disease} vaccine distributed in {country} was {percent} percent effective",
    "Hospitals in {place} ran out of oxygen during the {disease} outbreak in {year}",
    "{person} said drinking boiled {product} cures {disease}",
    "{country} reported no new {disease} cases for {number} consecutive weeks",
    # economy
    "The price of {product} in {country} rose {percent} percent in {month} {year}",
    "{country}'s central bank holds {amount} in foreign reserves",
    "Unemployment in {place} fell to {percent} percent under governor {person}",
    "{country} imported {number} thousand tonnes of {product} from {country2} in {year}",
    "{person} said the {place} port deal with {country2} is worth {amount}",
    "Inflation in {country} reached its highest level since {year}",
    # elections and politics
    "{person} won {percent} percent of the vote in {place} in the {year} election",
    "More than {number} thousand ballots were destroyed in {place} before the count",
    "{person} has never paid income tax in {country}",
    "The {agency} of {country} disqualified {number} candidates in {place}",
    "{person} was a member of {group} before entering politics",
    "Turnout in the {place} by-election was {percent} percent",
    "{person} promised to build {number} new schools in {place} by {year}",
    # climate and disasters
    "Floods in {place} displaced {number} thousand families in {month} {year}",
    "{year} was the hottest year on record in {country}",
    "The {place} dam released water without warning on {date}",
    "A magnitude {magnitude} earthquake struck near {place}, {country}, on {date}",
    "Glaciers above {place} have lost {percent} percent of their ice since {year}",
    "The drought in {place} killed {number} thousand head of cattle",
    # crime and justice
    "{person} was sentenced to {number} years in prison in {place}",
    "Police in {place} seized {number} kilograms of heroin hidden in {product} sacks",
    "The {agency} of {country} released {person} on bail on {date}",
    "{number} prisoners escaped from the jail in {place} on {date}",
    "A court in {place} acquitted {person} of corruption charges",
    # science and technology
    "Researchers in {place} found {disease} antibodies in {percent} percent of bats tested",
    "The {country} satellite launched on {date} failed to reach orbit",
    "Mobile internet was shut down in {place} for {number} days",
    "{person} claimed the {place} solar plant produces {number} megawatts",
    # sport and society
    "The {country} {sport} team was fined {amount} for fielding an ineligible player",
    "{person} ran {place}'s marathon in under {number} minutes",
    "The stadium in {place} holds {number} thousand spectators",
    "{person} said the {place} festival drew {number} thousand visitors",
    "Schools in {place} will close for {number} weeks because of the heat",
    "{person} was never a student at the university of {place}",
    "The bridge over the river at {place} collapsed on {date}, killing {number}",
)

STRIKES = (
    "drone strike; joint raid; air strike; night raid; suicide bombing; rocket attack; "
    "roadside bombing; shelling; ambush; mortar attack"
).split("; ")

REASONS_REVIEW = (
    "Assigned to the desk; sources being contacted.",
    "Two reports carry it; checking whether they are independent.",
    "Asked the ministry's press office for the underlying figures.",
    "Checking the original video against satellite imagery.",
    "Contacted local journalists for a second account.",
    "Reviewing court records and the charge sheet.",
)
REASONS_CONTESTED = (
    "Independent sources contradict each other.",
    "The government asserts it; the opposing side categorically rejects it.",
    "Eyewitnesses and officials give different accounts.",
    "The figures published by the two agencies disagree.",
)
REASONS_VERDICT = (
    "Two independent sources confirm it on the record.",
    "The official record contradicts the claim.",
    "The figure is real but refers to a different year.",
    "No source could substantiate it after a week of checking.",
    "The photographs were taken elsewhere, years earlier.",
    "The court judgment settles it.",
    "Satellite imagery and two witnesses agree.",
    "The quote was invented; the speaker never said it.",
)
REASONS_REOPEN = (
    "New evidence published; reopening the check.",
    "A reader pointed out an error in our sources.",
    "The ministry corrected its own figures.",
)

ANONYMITY_REASONS = (
    "Not authorised to speak to the media.",
    "Fears reprisals from armed groups.",
    "Speaking about an ongoing investigation.",
    "Requested anonymity to discuss confidential talks.",
)
ANONYMOUS_DESCRIPTORS = (
    "counter-terrorism official; security source; senior police officer; diplomat; "
    "intelligence official; hospital doctor; government adviser; local elder; aid worker; "
    "election official; military officer; party insider"
).split("; ")

STANCE_PHRASES = {
    "asserts": (
        "We can confirm that {claim}.",
        "It is a fact that {claim}, the spokesperson said.",
        "Our information is that {claim}.",
        "{Claim}, according to a statement issued on the day.",
    ),
    "denies": (
        "We categorically reject reports that {claim}.",
        "It is false that {claim}; these reports are propaganda.",
        "There is no truth in the claim that {claim}.",
    ),
    "unconfirmed": (
        "The report that {claim} has not been independently confirmed.",
        "It cannot be ruled out that {claim}, but we cannot confirm it.",
        "We are aware of reports that {claim} and are looking into them.",
    ),
    "mentions": (
        "Earlier, local media reported that {claim}.",
        "The debate began after reports that {claim}.",
        "Asked whether {claim}, the official declined to comment.",
    ),
}


def _zipf_cumulative(n: int, exponent: float = 1.05) -> list[float]:
    """Cumulative Zipf weights for ``n`` items, for ``random.choices(cum_weights=…)``."""
    return list(itertools.accumulate(1.0 / (rank ** exponent) for rank in range(1, n + 1)))


@dataclass(frozen=True)
class Pool:
    """Items drawn with Zipf-like weights: the first ones often, most of them rarely."""

    items: Sequence[str]
    cumulative: Sequence[float]

    @classmethod
    def of(cls, items: Sequence[str], rng: random.Random, exponent: float = 1.05) -> Pool:
        shuffled = list(items)
        rng.shuffle(shuffled)
        return cls(shuffled, _zipf_cumulative(len(shuffled), exponent))

    def draw(self, rng: random.Random) -> str:
        return rng.choices(self.items, cum_weights=self.cumulative)[0]


def _place_names(rng: random.Random, count: int) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        names.add(word.capitalize() + (" " + rng.choice(SYLLABLES).capitalize() + "a" if rng.random() < 0.15 else ""))
    return sorted(names)


def _person_names(rng: random.Random, count: int) -> list[str]:
    surnames = SURNAMES_B + [f"{a}{b.lower()}" for a in SURNAMES_A for b in SURNAMES_B[::7]]
    names = {f"{first} {last}" for first in FIRST_NAMES for last in surnames}
    return rng.sample(sorted(names), min(count, len(names)))


class ClaimWriter:
    """Writes claim sentences, statements about them, and the reasons for status changes."""

    def __init__(self, rng: random.Random, *, people: int = 40_000, places: int = 6_000) -> None:
        self.rng = rng
        self.people = Pool.of(_person_names(rng, people), rng)
        self.places = Pool.of(_place_names(rng, places), rng)
        self.countries = Pool.of(COUNTRIES, rng, exponent=0.8)
        self.groups = Pool.of(GROUPS, rng, exponent=0.8)
        self.agencies = Pool.of(AGENCIES, rng, exponent=0.6)
        self.templates = Pool.of(TEMPLATES, rng, exponent=0.3)

    def person_name(self) -> str:
        return self.people.draw(self.rng)

    def claim(self) -> str:
        """One neutrally phrased, checkable proposition."""
        rng = self.rng
        template = self.templates.draw(rng)
        return template.format_map(_Slots(self)).replace(" ,", ",")

    def statement(self, claim_text: str, stance: str) -> str:
        """What a speaker said about ``claim_text``, in the words of ``stance``."""
        phrase = self.rng.choice(STANCE_PHRASES[stance])
        first, _, rest = claim_text.partition(" ")
        inner = f"{first.lower()} {rest}" if first in _COMMON_OPENERS else claim_text
        return phrase.format(claim=inner, Claim=claim_text)

    def slot(self, name: str) -> str:
        rng = self.rng
        if name in ("person",):
            return self.people.draw(rng)
        if name in ("place", "place2"):
            return self.places.draw(rng)
        if name in ("country", "country2"):
            return self.countries.draw(rng)
        if name == "group":
            return self.groups.draw(rng)
        if name == "agency":
            return self.agencies.draw(rng)
        if name == "strike":
            return rng.choice(STRIKES)
        if name == "number":
            return str(rng.choice((rng.randint(2, 60), rng.randint(60, 999), rng.randint(1, 12) * 50)))
        if name == "percent":
            return str(rng.randint(3, 97))
        if name == "magnitude":
            return f"{rng.uniform(4.0, 8.4):.1f}"
        if name == "amount":
            return f"${rng.randint(2, 950)} {rng.choice(('million', 'billion'))}"
        if name == "year":
            return str(rng.randint(1995, 2026))
        if name == "month":
            return rng.choice(MONTHS)
        if name == "date":
            return f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2005, 2026)}"
        if name == "disease":
            return rng.choice(DISEASES)
        if name == "product":
            return rng.choice(PRODUCTS)
        if name == "sport":
            return rng.choice(TEAMS_SPORT)
        raise KeyError(name)


#: Sentence openers that are ordinary words (lower-cased inside a statement), not names.
_COMMON_OPENERS = frozenset(t.split(" ", 1)[0] for t in TEMPLATES if not t.startswith("{"))


class _Slots(dict[str, str]):
    """``str.format_map`` mapping that draws each slot when the template asks for it."""

    def __init__(self, writer: ClaimWriter) -> None:
        super().__init__()
        self.writer = writer

    def __missing__(self, key: str) -> str:
        value = self.writer.slot(key)
        self[key] = value
        return value


@dataclass(frozen=True)
class SourceSpec:
    """One source of the pool; ``affiliation`` is the index of another spec, or None."""

    kind: str
    name: str
    anonymous: bool = False
    anonymity_reason: str | None = None
    affiliation: int | None = None


def sources(writer: ClaimWriter, count: int) -> list[SourceSpec]:
    """A pool of about ``count`` sources whose affiliations form realistic sides.

    Roots: every country's government, armed groups, media outlets. Affiliates: each
    government's ministries and agencies and its officials (some anonymous), each group's
    spokespeople; the rest are independent people and organisations. A source's affiliation
    always comes earlier in the list, so rows can be inserted in order.
    """
    rng = writer.rng
    specs: list[SourceSpec] = []
    government: dict[str, int] = {}
    for country in COUNTRIES:
        government[country] = len(specs)
        specs.append(SourceSpec("government", f"Government of {country}"))
        for domain in rng.sample(DOMAINS, 4):
            specs.append(SourceSpec("government", f"{country} Ministry of {domain}", affiliation=government[country]))
        for agency in rng.sample(AGENCIES, 3):
            specs.append(SourceSpec("government", f"{country} {agency}", affiliation=government[country]))
    group_root: list[int] = []
    for group in GROUPS:
        group_root.append(len(specs))
        specs.append(SourceSpec("armed_group", group[0].upper() + group[1:]))
    for outlet in OUTLETS:
        specs.append(SourceSpec("media", outlet))
    anonymous_kinds = (*ANONYMOUS_DESCRIPTORS,)
    seen = {spec.name for spec in specs}
    while len(specs) < count:
        roll = rng.random()
        if roll < 0.15:
            country = writer.countries.draw(rng)
            name = f"{rng.choice(anonymous_kinds).capitalize()} in {writer.places.draw(rng)}"
            spec = SourceSpec("person", name, anonymous=True, anonymity_reason=rng.choice(ANONYMITY_REASONS),
                              affiliation=government[country] if rng.random() < 0.6 else None)
        elif roll < 0.45:
            country = writer.countries.draw(rng)
            spec = SourceSpec("person", f"{writer.person_name()}, {country} official", affiliation=government[country])
        elif roll < 0.55:
            spec = SourceSpec("person", f"{writer.person_name()}, spokesperson", affiliation=rng.choice(group_root))
        elif roll < 0.65:
            spec = SourceSpec("organisation", f"{writer.places.draw(rng)} {rng.choice(('Institute', 'Foundation', 'Observatory', 'Council', 'Union'))}")
        else:
            spec = SourceSpec("person", writer.person_name())
        if spec.name in seen:
            continue
        seen.add(spec.name)
        specs.append(spec)
    return specs
