#!/usr/bin/env python3
"""Generate a synthetic benchmark corpus by rearranging sentences written for sitrep.

    python3 scripts/gen_corpus.py OUT_DIR [--articles 20000] [--kb 5] [--seed 1]

Every article is a plain-text file with a `date YYYY-MM-DD` header and paragraphs of
sentences drawn (seeded, so the corpus is the same on every machine) from the pool below,
with place names, numbers and weekdays varied. The sentences are our own writing, shaped
like front-line reporting so that every pipeline stage has work to do.
"""
import argparse
import random
from pathlib import Path

PLACES = ["Sudzha", "Kupiansk", "Pokrovsk", "Toretsk", "Sumy", "Kharkiv", "Kursk", "Belgorod",
          "Zaporizhzhia", "Kherson", "Donetsk", "Luhansk", "Glushkovo", "Chasiv Yar", "Vovchansk"]
SIDES = ["Russian forces", "Ukrainian troops", "Moscow's army", "Kyiv's units", "North Korean soldiers"]
SOURCES = ["the General Staff said", "Russia's Defence Ministry said", "a regional governor said",
           "the Institute for the Study of War reported", "a U.S. official told reporters",
           "local officials said", "the brigade wrote on Telegram"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August"]
TEMPLATES = [
    "{side} recaptured two villages near {place} on {day}, {source}.",
    "{side} withdrew from positions east of {place} after {n} days of fighting, {source}.",
    "On {month} {d}, {side} launched an assault on {place} that was repelled, {source}.",
    "Drones struck an energy facility in {place} overnight, wounding at least {n} people, {source}.",
    "About {big} troops have been deployed to the {place} region since {month}, {source}.",
    "{side} advanced as much as {n} kilometers toward {place} over the past week, {source}.",
    "Civilians were evacuated from {n} settlements around {place} on {day}, {source}.",
    "Reports that {side} were encircled near {place} are false, {source}.",
    "{side} could attack {place} in the coming days if reinforcements arrive, {source}.",
    "Up to {big} soldiers are massed along the border north of {place}, {source}.",
    "Talks on a ceasefire around {place} are expected to resume next week, {source}.",
    "The shelling of {place} continued late {day}, damaging {n} houses and a school.",
]


def sentence(rng):
    return rng.choice(TEMPLATES).format(
        side=rng.choice(SIDES), place=rng.choice(PLACES), source=rng.choice(SOURCES),
        day=rng.choice(DAYS), month=rng.choice(MONTHS), d=rng.randint(1, 28),
        n=rng.randint(2, 40), big=f"{rng.randint(5, 90) * 1000:,}")


def article(rng, target_bytes):
    paragraphs, size = [], 0
    while size < target_bytes:
        para = " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))
        paragraphs.append(para)
        size += len(para) + 2
    date = f"2025-{rng.randint(1, 8):02d}-{rng.randint(1, 28):02d}"
    return f"date {date}\n" + "\n\n".join(paragraphs) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--articles", type=int, default=20000)
    ap.add_argument("--kb", type=float, default=5)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    out = Path(args.out)
    for i in range(args.articles):
        sub = out / f"{i // 1000:03d}"
        if i % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{i:06d}.txt").write_text(article(rng, int(args.kb * 1024)), encoding="utf-8")


if __name__ == "__main__":
    main()
