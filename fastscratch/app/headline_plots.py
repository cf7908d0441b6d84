"""The COVID headlines post's figures as PNG files: the headlines per month, each month's polarity
scatter, the monthly averages per year and over both years, and the word clouds."""

from __future__ import annotations

from pathlib import Path

from fastscratch.app.plots import pyplot, save_figure
from fastscratch.atomic import atomic_file
from fastscratch.extras import require_extra


def counts_per_month(labels: list[str], counts: list[int], path) -> Path:
    """A bar per month: the headlines about COVID (the post's "number of COVID headlines over time")."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(10, 4.5))
    ax.bar(range(len(counts)), counts, color="tab:blue")
    ax.set_xticks(range(len(labels)), labels=labels, rotation=60, ha="right", fontsize=8)
    ax.set_title("NYTimes Headlines About COVID")
    ax.set_ylabel("headlines")
    fig.tight_layout()
    return save_figure(fig, plt, path)


def polarity_scatter(polarities, title: str, path) -> Path:
    """The post's ``polarities_graphs``: each headline's polarity against its number."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    ax.scatter(range(len(polarities)), polarities)
    ax.set_title(title)
    ax.set_xlabel("Article Number")
    ax.set_ylabel("Polarity Score")
    return save_figure(fig, plt, path)


def polarity_line(averages, title: str, xlabel: str, path, labels: list[str] | None = None) -> Path:
    """The post's ``polarities_month_graphs``: the average polarity of each month."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6.4 if labels is None or len(labels) <= 12 else 10, 4.8))
    ax.plot(range(len(averages)), averages, marker="o")
    if labels is not None:
        ax.set_xticks(range(len(labels)), labels=labels, rotation=60, ha="right", fontsize=8)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("Polarity Score")
    fig.tight_layout()
    return save_figure(fig, plt, path)


def word_cloud(text: str, path, extra_stopwords=("covid",)) -> Path:
    """The post's ``word_cloud``: at most 50 words, wordcloud's stop words plus ``covid``, a white
    background; a rectangle instead of the post's cloud-shaped mask image, and a fixed layout seed."""
    wordcloud = require_extra("wordcloud", "Word clouds", "textapi")
    stopwords = set(wordcloud.STOPWORDS) | set(extra_stopwords)
    cloud = wordcloud.WordCloud(max_words=50, stopwords=stopwords, background_color="white", width=600, height=300,
                                random_state=0).generate(text)
    return atomic_file(path, lambda tmp: cloud.to_file(tmp))
