"""The COVID headlines post, offline: ``fastscratch demo headlines`` and :func:`run_headlines_demo`.

The post ("Using AI to Analyze COVID Headlines Over Time") loads the New York Times Archive API's
monthly files, sends the headlines to The Text API to keep those mentioning COVID, gets each one's
polarity, and draws a table, scatter plots, monthly averages, word clouds and the most common
phrases of each month. Here every step runs through :mod:`fastscratch.textapi` on whole months at
once, no HTTP:

1. each month's file (``FOLDER/{year}/{Month}.json``, :mod:`fastscratch.data.nyt`) becomes one
   headline per article, normalised and lower-cased as the post's ``load_headlines`` does;
2. ``sentences_with_keywords(headlines, ["covid"])``: the month's COVID headlines;
3. ``text_polarity`` of each of them; the month's average (0 for a month without any, as the
   post plots them) and the year's;
4. a word cloud per month (``wordcloud``, with ``covid`` among the stop words) and
   ``most_common_phrases(covid_headlines, 3)``.

Without ``data``, the months come from the generated sample (:mod:`fastscratch.data.nyt_sample`),
written first into ``OUT/headlines/nyt/`` in the Archive API's format and read back by the same
loader as real files.
"""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import numpy as np

from fastscratch.data.nyt import MONTHS, load_headlines, month_file

__all__ = ["run_headlines_demo", "covid_headlines"]

KEYWORD = "covid"


def covid_headlines(folder, year: int, month: int, keyword: str = KEYWORD) -> list[str]:
    """The headlines of ``folder/{year}/{Month}.json`` that mention ``keyword`` (the post's
    ``execute``, whose ``covid_headlines/{year}_{month}.txt`` holds these lines)."""
    from fastscratch.textapi import sentences_with_keywords

    return sentences_with_keywords(load_headlines(month_file(folder, year, month)), [keyword])[keyword]


def _csv(rows: list[list], header: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def run_headlines_demo(out="fastscratch-out", data=None, years=(2020, 2021), quiet: bool = False) -> dict:
    """Run the post's steps on NYT Archive files (``data``: a folder of ``{year}/{Month}.json``) or on
    the generated sample, writing into ``OUT/headlines/``; returns the summary (also written as
    ``summary.json``)."""
    from fastscratch.app import headline_plots as plots
    from fastscratch.app.outputs import write_json, write_text
    from fastscratch.textapi import most_common_phrases, sentences_with_keywords, text_polarity

    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    t_all = time.perf_counter()
    out = Path(out).resolve() / "headlines"
    out.mkdir(parents=True, exist_ok=True)
    say(f"fastscratch demo headlines -> {out}")
    if data is None:
        from fastscratch.data.nyt_sample import write_sample

        data = out / "nyt"
        write_sample(data, years)
        say(f"data: a generated sample in the NYT Archive API's format (no download), written to {data}")
    else:
        data = Path(data)
        say(f"data: NYT Archive API files in {data}")

    t0 = time.perf_counter()
    months = []
    for year in years:
        for month in MONTHS:
            path = month_file(data, year, month)
            if not path.is_file():
                continue
            headlines = load_headlines(path)  # read once: covid_headlines(data, year, month) would read it again
            months.append({"year": year, "month": month, "label": f"{MONTHS[month]} {year}",
                           "headlines": len(headlines),
                           "covid": sentences_with_keywords(headlines, [KEYWORD])[KEYWORD]})
    if not months:
        from fastscratch.errors import DatasetError

        raise DatasetError(f"{data}: no month files (YEAR/Month.json) for {', '.join(map(str, years))}", path=data)
    for m in months:
        m["polarity"] = text_polarity(m["covid"])
        m["average"] = float(np.mean(m["polarity"])) if len(m["covid"]) else 0.0
        m["phrases"] = most_common_phrases(m["covid"], 3)
    text_seconds = time.perf_counter() - t0

    say("")
    say(f"{'Month':<16} {'NYTimes Headlines About COVID':>30} {'mean polarity':>14}   3 most common phrases")
    for m in months:
        say(f"{m['label']:<16} {len(m['covid']):>30} {m['average']:>14.4f}   {'; '.join(m['phrases'])}")
    total = sum(m["headlines"] for m in months)
    covid_total = sum(len(m["covid"]) for m in months)
    say(f"\n{covid_total} of {total} headlines mention COVID; keyword sentences, polarity and phrases of all "
        f"{len(months)} months in {text_seconds:.2f} s")

    t0 = time.perf_counter()
    labels = [m["label"] for m in months]
    plots.counts_per_month(labels, [len(m["covid"]) for m in months], out / "counts.png")
    for m in months:
        if m["covid"]:
            plots.polarity_scatter(m["polarity"], f"Polarity of COVID Article Headlines in {MONTHS[m['month']]}, "
                                   f"{m['year']}", out / "polarity" / f"{m['year']}_{m['month']}_polarity.png")
            plots.word_cloud("\n".join(m["covid"]), out / "wordclouds" / f"{m['year']}_{m['month']}.png")
    yearly = {}
    for year in years:
        of_year = [m for m in months if m["year"] == year]
        if of_year:
            plots.polarity_line([m["average"] for m in of_year], f"Polarity of COVID Article Headlines in {year}",
                                "Month", out / "polarity" / f"{year}_polarity.png",
                                labels=[MONTHS[m["month"]][:3] for m in of_year])
            scored = np.concatenate([m["polarity"] for m in of_year])
            yearly[str(year)] = float(scored.mean()) if scored.size else 0.0
    plots.polarity_line([m["average"] for m in months], "Polarity of COVID Article Headlines so far", "Month",
                        out / "polarity" / "total_polarity.png", labels=labels)
    plot_seconds = time.perf_counter() - t0

    write_text(out / "counts.csv", _csv([[m["year"], m["month"], m["label"], m["headlines"], len(m["covid"])]
                                         for m in months], ["year", "month", "label", "headlines", "covid_headlines"]))
    write_text(out / "polarity.csv", _csv([[m["year"], m["month"], i, h, p] for m in months
                                           for i, (h, p) in enumerate(zip(m["covid"], m["polarity"].tolist()))],
                                          ["year", "month", "article", "headline", "polarity"]))
    write_text(out / "monthly_polarity.csv", _csv([[m["year"], m["month"], len(m["covid"]), m["average"]]
                                                   for m in months], ["year", "month", "covid_headlines", "average"]))
    write_text(out / "phrases.csv", _csv([[m["year"], m["month"], rank + 1, p] for m in months
                                          for rank, p in enumerate(m["phrases"])], ["year", "month", "rank", "phrase"]))
    summary = {
        "output": str(out), "data": str(data), "keyword": KEYWORD,
        "months": [{"year": m["year"], "month": m["month"], "headlines": m["headlines"],
                    "covid_headlines": len(m["covid"]), "average_polarity": m["average"],
                    "most_common_phrases": m["phrases"]} for m in months],
        "yearly_average_polarity": yearly, "headlines": total, "covid_headlines": covid_total,
        "text_seconds": round(text_seconds, 3), "plot_seconds": round(plot_seconds, 3),
        "total_seconds": round(time.perf_counter() - t_all, 1),
    }
    write_json(out / "summary.json", summary)
    say("yearly average polarity: " + ", ".join(f"{y} {v:.4f}" for y, v in yearly.items()))
    say(f"wrote counts.csv, counts.png, monthly_polarity.csv, phrases.csv, polarity.csv, summary.json, "
        f"polarity/ ({sum(1 for m in months if m['covid']) + len(yearly) + 1} plots), wordclouds/ "
        f"({sum(1 for m in months if m['covid'])} clouds) in {out} ({summary['total_seconds']} s in all)")
    return summary
