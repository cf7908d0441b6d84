"""A generated sample of the New York Times Archive API's monthly files, for ``fastscratch demo headlines``.

Nothing is downloaded: :func:`archive_month` makes one month's answer in the Archive API's format
(``{"response": {"meta": {"hits": n}, "docs": [...]}}``, each article with the fields the API
gives), from templates, deterministically (the seed is the year and month). The number of
headlines mentioning COVID each month follows a third of the counts the post found (none from
January to March 2020, when headlines said "coronavirus"; 36 in December 2021); every other
article is about something else. Some print headlines are empty or null, as in the real files.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from fastscratch.atomic import atomic_file
from fastscratch.data.nyt import MONTHS, month_file

__all__ = ["POST_COUNTS", "COVID_TEMPLATES", "OTHER_TEMPLATES", "PLACES", "GROUPS", "THINGS", "archive_month",
           "write_sample"]

POST_COUNTS = {
    (2020, 1): 0, (2020, 2): 0, (2020, 3): 0, (2020, 4): 6, (2020, 5): 9, (2020, 6): 13, (2020, 7): 14,
    (2020, 8): 32, (2020, 9): 24, (2020, 10): 63, (2020, 11): 41, (2020, 12): 62, (2021, 1): 57, (2021, 2): 55,
    (2021, 3): 79, (2021, 4): 84, (2021, 5): 89, (2021, 6): 62, (2021, 7): 91, (2021, 8): 85, (2021, 9): 86,
    (2021, 10): 94, (2021, 11): 94, (2021, 12): 108}
"""The post's table: NYT headlines about COVID per month."""

OTHER_ARTICLES = 60
"""Articles a month that do not mention COVID."""

PLACES = ["New York", "Texas", "California", "Florida", "Ohio", "London", "Brazil", "India", "Michigan", "Chicago",
           "Arizona", "Israel", "Georgia", "Italy"]
GROUPS = ["Nurses", "Teachers", "Parents", "Students", "Restaurants", "Small Businesses", "Seniors", "Doctors",
           "Athletes", "Travelers", "Workers", "Families"]
THINGS = ["Musical", "Novel", "Exhibit", "Comedy", "Documentary", "Opera", "Memoir", "Thriller"]
COVID_TEMPLATES = [
    ("{place} Reports Record Covid Cases as Hospitals Fill", "Cases Hit a Record"),
    ("Covid Vaccine Rollout Brings Relief to {place}", "Relief Arrives at Last"),
    ("How {group} Are Coping With Covid Isolation", "Lonely, but Not Alone"),
    ("Covid Deaths Climb in {place}, Officials Say", "A Grim Toll Rises"),
    ("The Covid Recovery Is Uneven. Here’s Why.", ""),
    ("Can {group} Safely Return to Work After Covid?", "Is It Safe Yet?"),
    ("Covid Testing Lines Stretch for Hours in {place}", "Long Waits, Few Answers"),
    ("A Covid Survivor’s Long Road Back", "The Long Road Back"),
    ("{place} Lifts Covid Restrictions as Cases Fall", "Good News, Finally!"),
    ("Covid Vaccine Mandates Spark Protests in {place}", "Anger Over Mandates"),
    ("Why the Covid Pill Could Change the Pandemic", "A Hopeful Pill"),
    ("Covid Booster Shots Approved for {group}", ""),
    ("Covid Surge Overwhelms Rural Hospitals", "Hospitals in Crisis"),
    ("New Covid Variant Worries Scientists", "Scientists Are Worried"),
    ("Covid Is Not Over, Experts Warn", None),
    ("The Best Way to Talk to {group} About Covid", "Talking It Through"),
    ("Covid Outbreak Closes Schools in {place}", "Schools Shut Again"),
    ("Hope Grows as Covid Vaccines Reach {group}", "Hope, at Last"),
    ("{group} Mourn Loved Ones Lost to Covid", "Grief That Won’t End"),
    ("Covid Aid Bill Stalls in Congress", "Aid Stalls"),
    ("U.S. Covid Deaths Pass a Grim Milestone", "A Terrible Milestone"),
    ("Inside the Race for a Covid Vaccine", "The Race Is On"),
    ("Fake Covid Certificates Sold Online", None),
    ("Covid Vaccine Doses Go Unused in {place}", "Wasted Doses"),
    ("What the Covid Data Shows About {group}", ""),
]
OTHER_TEMPLATES = [
    ("{place} Mayor Unveils Budget Plan", "A New Budget"),
    ("Stocks Rally on Strong Earnings", "Wall Street Cheers"),
    ("Review: A Delightful {thing} About Family", "A Delight"),
    ("Wildfires Spread Across {place}", "Fire Season Worsens"),
    ("What to Cook This Week", ""),
    ("{group} Protest Over Pay and Hours", "Protests Grow"),
    ("Election Results in {place} Are Delayed", "Waiting on Results"),
    ("The Week in Arts: A {thing} and More", None),
    ("Coronavirus Spreads in {place}", "A Virus Spreads"),
    ("How to Build a Better Garden", "Green Thumbs"),
    ("{place} Wins a Thrilling Final", "What a Game!"),
    ("Supreme Court Hears Major Case", ""),
    ("A Quiet Town Faces a Loud Debate", "Noise, and Anger"),
    ("The Best {thing} of the Year", "The Year’s Best"),
    ("Is Remote Work Here to Stay?", "Work, Reimagined"),
]
_SECTIONS = [("U.S.", "National"), ("World", "Foreign"), ("Health", "Science"), ("Business Day", "Business"),
             ("Opinion", "OpEd"), ("Arts", "Culture"), ("New York", "Metro")]


def _article(rng: random.Random, year: int, month: int, template: tuple[str, str | None]) -> dict:
    fill = {"place": rng.choice(PLACES), "group": rng.choice(GROUPS), "thing": rng.choice(THINGS)}
    main = template[0].format(**fill)
    printed = template[1].format(**fill) if template[1] else template[1]
    day = rng.randint(1, 28)
    section, desk = rng.choice(_SECTIONS)
    slug = "-".join(w.strip(".,?!’").lower() for w in main.split()[:6])
    uid = f"{rng.getrandbits(64):016x}-{rng.getrandbits(32):08x}"
    url = f"https://www.nytimes.com/{year}/{month:02d}/{day:02d}/{section.split()[0].lower().strip('.')}/{slug}.html"
    return {
        "abstract": f"{main} (a generated sample article)", "web_url": url, "snippet": "", "lead_paragraph": "",
        "print_section": "A", "print_page": str(rng.randint(1, 30)), "source": "The New York Times",
        "multimedia": [],
        "headline": {"main": main, "kicker": None, "content_kicker": None, "print_headline": printed, "name": None,
                     "seo": None, "sub": None},
        "keywords": [], "pub_date": f"{year}-{month:02d}-{day:02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00+0000",
        "document_type": "article", "news_desk": desk, "section_name": section, "subsection_name": "",
        "byline": {"original": "By A Reporter", "person": [], "organization": None}, "type_of_material": "News",
        "_id": f"nyt://article/{uid}", "word_count": rng.randint(300, 2000), "uri": f"nyt://article/{uid}",
    }


def archive_month(year: int, month: int, covid: int | None = None) -> dict:
    """One month's Archive API answer: ``covid`` articles about COVID (default: a third of the
    post's count for that month) and :data:`OTHER_ARTICLES` others, in a shuffled order."""
    rng = random.Random(year * 100 + month)
    if covid is None:
        count = POST_COUNTS.get((year, month), 0)
        covid = (count + 2) // 3
    docs = [_article(rng, year, month, rng.choice(COVID_TEMPLATES)) for _ in range(covid)]
    docs += [_article(rng, year, month, rng.choice(OTHER_TEMPLATES)) for _ in range(OTHER_ARTICLES)]
    rng.shuffle(docs)
    return {"copyright": "A generated sample in the format of the New York Times Archive API",
            "response": {"meta": {"hits": len(docs)}, "docs": docs}}


def write_sample(folder, years=(2020, 2021)) -> list[Path]:
    """Write ``folder/{year}/{Month}.json`` for every month of ``years``; returns the files."""
    written = []
    for year in years:
        for month in MONTHS:
            path = month_file(folder, year, month)
            answer = archive_month(year, month)

            def write(tmp, answer=answer):
                Path(tmp).write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")

            atomic_file(path, write)
            written.append(Path(path))
    return written
