"""Numeracy: the published Berlin Numeracy Test and Cognitive Reflection Test items, and a generated family.

No source package: the published items are written from the papers (answers checked in code), the
generated problems come from templates with seeded parameters, answers computed exactly with
``fractions.Fraction``.
"""

from __future__ import annotations

import random
from fractions import Fraction
from pathlib import Path

import pandas as pd

from .common import SEED, log, write_csv

OUTPUTS = ("numeracy_items.csv", "numeracy_generated.csv")

CITE_BNT = ("Cokely, E. T., Galesic, M., Schulz, E., Ghazal, S., & Garcia-Retamero, R. (2012). "
            "Measuring risk literacy: The Berlin Numeracy Test. Judgment and Decision Making, 7(1), "
            "25-47.")
CITE_CRT = ("Frederick, S. (2005). Cognitive reflection and decision making. Journal of Economic "
            "Perspectives, 19(4), 25-42.")

PUBLISHED = [
    ("BNT1", "BNT",
     "Out of 1,000 people in a small town 500 are members of a choir. Out of these 500 members "
     "in the choir 100 are men. Out of the 500 inhabitants that are not in the choir 300 are men. "
     "What is the probability that a randomly drawn man is a member of the choir? Please indicate "
     "the probability in percent.", Fraction(100, 400) * 100, "percent", None),
    ("BNT2a", "BNT",
     "Imagine we are throwing a five-sided die 50 times. On average, out of these 50 throws how "
     "many times would this five-sided die show an odd number (1, 3 or 5)?",
     Fraction(3, 5) * 50, "throws", None),
    ("BNT2b", "BNT",
     "Imagine we are throwing a loaded die (6 sides). The probability that the die shows a 6 is "
     "twice as high as the probability of each of the other numbers. On average, out of these 70 "
     "throws how many times would the die show the number 6?", Fraction(2, 7) * 70, "throws",
     None),
    ("BNT3", "BNT",
     "In a forest 20% of mushrooms are red, 50% brown and 30% white. A red mushroom is poisonous "
     "with a probability of 20%. A mushroom that is not red is poisonous with a probability of "
     "5%. What is the probability that a poisonous mushroom in the forest is red? Please indicate "
     "the probability in percent.",
     Fraction(20 * 20, 20 * 20 + 80 * 5) * 100, "percent", None),
    ("CRT1", "CRT",
     "A bat and a ball cost $1.10 in total. The bat costs $1.00 more than the ball. How much does "
     "the ball cost? (in cents)", Fraction(110 - 100, 2), "cents", 10),
    ("CRT2", "CRT",
     "If it takes 5 machines 5 minutes to make 5 widgets, how long would it take 100 machines to "
     "make 100 widgets? (in minutes)", Fraction(5), "minutes", 100),
    ("CRT3", "CRT",
     "In a lake, there is a patch of lily pads. Every day, the patch doubles in size. If it takes "
     "48 days for the patch to cover the entire lake, how long would it take for the patch to "
     "cover half of the lake? (in days)", Fraction(48 - 1), "days", 24),
]


def fmt_number(q: Fraction) -> str:
    """Exact integers as integers, everything else rounded to 2 decimals (fixed format)."""
    q = Fraction(q)
    if q.denominator == 1:
        return str(q.numerator)
    return f"{float(q):.2f}"


def build_published(out: Path) -> None:
    rows = []
    for item_id, test, q, answer, unit, wrong in PUBLISHED:
        rows.append({"item_id": item_id, "test": test, "question": q, "answer": fmt_number(answer),
                     "unit": unit, "intuitive_wrong_answer": "" if wrong is None else str(wrong),
                     "citation": CITE_BNT if test == "BNT" else CITE_CRT})
    write_csv(pd.DataFrame(rows), out / "numeracy_items.csv")


def generate_numeracy(n_per_family: int = 12, seed: int = SEED) -> pd.DataFrame:
    rng = random.Random(seed)
    rows: list[tuple[str, str, Fraction, str]] = []

    # bat and ball: total T, difference D -> cheaper item (T - D) / 2
    objects = [("bat", "ball"), ("notebook", "pencil"), ("coat", "hat"), ("racket", "shuttlecock"),
               ("jug", "cup"), ("lamp", "bulb")]
    for _ in range(n_per_family):
        big, small = rng.choice(objects)
        diff = rng.randrange(100, 2000, 10)
        small_price = rng.randrange(5, 500, 5)
        total = diff + 2 * small_price
        q = (f"A {big} and a {small} cost ${total / 100:.2f} in total. The {big} costs "
             f"${diff / 100:.2f} more than the {small}. How much does the {small} cost? (in cents)")
        rows.append(("bat_ball", q, Fraction(total - diff, 2), "cents"))

    # machines and widgets: n machines take m minutes for w widgets -> k machines, v widgets
    for _ in range(n_per_family):
        n = rng.randint(2, 12)
        m = rng.randint(2, 15)
        if rng.random() < 0.5:
            w, k, v = n, rng.choice([20, 50, 100, 200]), None
            v = k
        else:
            w = n * rng.randint(1, 4)
            k = n * rng.randint(2, 6)
            v = w * rng.randint(2, 8)
        answer = Fraction(m) * Fraction(v, w) * Fraction(n, k)  # rate per machine is constant
        q = (f"If it takes {n} machines {m} minutes to make {w} widgets, how long would it take "
             f"{k} machines to make {v} widgets? (in minutes)")
        rows.append(("machines", q, answer, "minutes"))

    # lily pads: growth factor g per day, full cover on day N -> 1/g^j of the lake on day N - j
    growth = [(2, "doubles", {1: "half", 2: "a quarter", 3: "an eighth"}),
              (3, "triples", {1: "a third", 2: "a ninth"})]
    for _ in range(n_per_family):
        g, verb, parts = rng.choice(growth)
        j = rng.choice(sorted(parts))
        days = rng.randint(10, 90)
        thing = rng.choice(["a patch of lily pads", "a patch of algae", "a mould colony"])
        place = "the lake" if "mould" not in thing else "the wall"
        q = (f"There is {thing} on {place}. Every day, the patch {verb} in size. If it takes "
             f"{days} days for the patch to cover all of {place}, how long would it take for the "
             f"patch to cover {parts[j]} of {place}? (in days)")
        rows.append(("exponential_growth", q, Fraction(days - j), "days"))

    # Bayes with natural frequencies (BNT-like): P(condition | positive), in percent
    for _ in range(n_per_family):
        base = rng.choice([1, 2, 5, 10, 20, 25, 30])
        sens = rng.choice([50, 60, 70, 80, 90, 95])
        false_alarm = rng.choice([2, 5, 10, 15, 20])
        ctx = rng.choice([
            ("people in a town", "have a disease", "test positive",
             "a person who tests positive has the disease"),
            ("mushrooms in a forest", "are poisonous", "are red", "a red mushroom is poisonous"),
            ("emails in an inbox", "are spam", "are flagged by a filter",
             "a flagged email is spam")])
        q = (f"Of all {ctx[0]}, {base}% {ctx[1]}. Of those that {ctx[1]}, {sens}% {ctx[2]}. "
             f"Of the rest, {false_alarm}% {ctx[2]}. What is the probability that {ctx[3]}? "
             "Please indicate the probability in percent.")
        answer = Fraction(base * sens, base * sens + (100 - base) * false_alarm) * 100
        rows.append(("bayes", q, answer, "percent"))

    # percentages and proportions
    for i in range(n_per_family):
        kind = i % 3
        if kind == 0:
            price = rng.randrange(20, 400, 10)
            up, down = rng.choice([10, 20, 25, 50]), rng.choice([10, 20, 25, 50])
            q = (f"A price of ${price} is raised by {up}% and the new price is then lowered by "
                 f"{down}%. What is the final price? (in dollars)")
            answer = Fraction(price) * Fraction(100 + up, 100) * Fraction(100 - down, 100)
            unit = "dollars"
        elif kind == 1:
            total = rng.choice([40, 80, 120, 200, 250, 400, 500])
            part = rng.randint(1, total - 1)
            q = (f"In a survey, {part} out of {total} respondents said yes. What percentage of the "
                 "respondents said yes? (in percent)")
            answer = Fraction(part, total) * 100
            unit = "percent"
        else:
            pct = rng.choice([5, 12, 15, 20, 35, 40, 60, 75])
            n = rng.choice([60, 120, 240, 300, 1000, 1500])
            q = (f"A school has {n} pupils and {pct}% of them walk to school. How many pupils walk "
                 "to school? (number of pupils)")
            answer = Fraction(n * pct, 100)
            unit = "pupils"
        rows.append(("percentages", q, answer, unit))

    df = pd.DataFrame(rows, columns=["family", "question", "answer", "unit"])
    df.insert(0, "item_id", [f"GEN{i:03d}" for i in range(1, len(df) + 1)])
    df["answer"] = df["answer"].map(fmt_number)
    assert df["question"].is_unique, "duplicate generated question"
    return df


def build(out: Path, scratch: Path) -> list[Path]:
    """No source package: the published items are written from the literature, the others generated."""
    build_published(out)
    gen = generate_numeracy()
    write_csv(gen, out / "numeracy_generated.csv")
    log(f"numeracy: {len(PUBLISHED)} published, {len(gen)} generated")
    return [out / name for name in OUTPUTS]
