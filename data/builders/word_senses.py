"""Word senses: sentences that use five homonyms and five polysemous words in two senses each (Day 2a).

No source package: the sentences were written for this course (MIT / CC BY 4.0 like the course's own
text). The classification of the words follows the usual textbook examples of the psycholinguistic
literature on lexical ambiguity (e.g. Klepousniotou 2002; Rodd, Gaskell & Marslen-Wilson 2002): a
homonym's senses are unrelated meanings that share a spelling (*bank* of a river / of money), a
polysemous word's senses are related (a *magazine* you hold / the company that publishes it).

Every sentence contains its target word exactly once and the control word *yesterday* exactly once:
an unambiguous word in the same sentences, whose contextual vector shows how far the topic of a
sentence alone moves a vector.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .common import log, write_csv

OUTPUTS = ("word_senses.csv",)
CONTROL = "yesterday"

SENTENCES = {
    ("bank", "homonym"): {
        "river": ["Yesterday we sat on the bank and watched the river flow past.",
                  "The canoe drifted yesterday towards the muddy bank of the stream.",
                  "Yesterday the flood washed away part of the grassy bank.",
                  "Fishermen lined the bank of the lake yesterday at dawn.",
                  "Yesterday a heron stood still on the bank among the reeds."],
        "money": ["Yesterday she deposited her salary at the bank.",
                  "The bank approved our mortgage yesterday.",
                  "Yesterday he withdrew cash from the bank near the station.",
                  "The bank raised its interest rates yesterday.",
                  "Yesterday I opened a savings account at the bank."]},
    ("bat", "homonym"): {
        "animal": ["Yesterday a bat flew out of the cave at dusk.",
                   "The bat hung upside down in the barn yesterday.",
                   "Yesterday we heard a bat hunting moths in the garden.",
                   "A tiny bat was found sleeping in the attic yesterday.",
                   "Yesterday the vet treated a bat with a torn wing."],
        "club": ["Yesterday he swung the bat and hit the ball over the fence.",
                 "She bought a new cricket bat yesterday.",
                 "Yesterday the player dropped his bat and ran to first base.",
                 "The wooden bat cracked in half yesterday during the game.",
                 "Yesterday the coach showed us how to grip the bat."]},
    ("bark", "homonym"): {
        "dog": ["Yesterday the dog let out a loud bark at the postman.",
                "We heard a sharp bark from the yard yesterday.",
                "Yesterday the puppy gave a tiny bark when it saw the cat.",
                "The bark of the neighbour's dog woke us yesterday.",
                "Yesterday a deep bark echoed through the kennel."],
        "tree": ["Yesterday we peeled the bark off a birch tree.",
                 "Beetles had damaged the bark of the old oak, the ranger said yesterday.",
                 "Yesterday the children made rubbings of the bark in the forest.",
                 "Deer had stripped the bark from the young trees yesterday.",
                 "Yesterday I noticed moss growing on the bark of the pine."]},
    ("seal", "homonym"): {
        "animal": ["Yesterday a seal was resting on the rocks by the shore.",
                   "The seal caught a fish and dived again yesterday.",
                   "Yesterday we watched a grey seal swimming near the harbour.",
                   "A baby seal was rescued from the beach yesterday.",
                   "Yesterday the zoo fed the seal a bucket of herring."],
        "stamp": ["Yesterday the notary pressed the seal onto the document.",
                  "The king's seal on the letter was broken yesterday.",
                  "Yesterday the clerk stamped the certificate with the official seal.",
                  "The wax seal on the envelope cracked yesterday.",
                  "Yesterday the court placed its seal on the contract."]},
    ("match", "homonym"): {
        "fire": ["Yesterday she struck a match to light the candle.",
                 "The match burned down to his fingers yesterday.",
                 "Yesterday we needed a dry match to start the campfire.",
                 "He lit the stove with a single match yesterday.",
                 "Yesterday the wind blew out the match before the fire caught."],
        "game": ["Yesterday our team won the football match.",
                 "The tennis match lasted five hours yesterday.",
                 "Yesterday the crowd cheered as the match began.",
                 "The referee stopped the match because of rain yesterday.",
                 "Yesterday we watched the chess match on television."]},
    ("magazine", "polysemous"): {
        "printed object": ["Yesterday I spilled coffee on the magazine lying on the table.",
                           "She rolled up the magazine and swatted a fly yesterday.",
                           "Yesterday the glossy magazine slid off the shelf.",
                           "He tore a page out of the magazine yesterday.",
                           "Yesterday I used an old magazine to wrap the plates."],
        "publisher": ["Yesterday the magazine fired its editor.",
                      "The magazine was sued for libel yesterday.",
                      "Yesterday the magazine announced a new owner.",
                      "The magazine hired three reporters yesterday.",
                      "Yesterday the magazine apologised for the article."]},
    ("newspaper", "polysemous"): {
        "printed object": ["Yesterday he folded the newspaper and put it under his arm.",
                           "The newspaper got soaked in the rain yesterday.",
                           "Yesterday we lined the cage with an old newspaper.",
                           "She swatted a wasp with the rolled newspaper yesterday.",
                           "Yesterday the newspaper lay wet on the doorstep."],
        "company": ["Yesterday the newspaper laid off twenty journalists.",
                    "The newspaper was bought by a billionaire yesterday.",
                    "Yesterday the newspaper endorsed the mayor for reelection.",
                    "The newspaper printed a correction yesterday.",
                    "Yesterday the newspaper sued the city over public records."]},
    ("chicken", "polysemous"): {
        "animal": ["Yesterday a chicken escaped from the farmyard.",
                   "The chicken laid an egg in the straw yesterday.",
                   "Yesterday the fox chased a chicken across the field.",
                   "A chicken was pecking at the grain yesterday.",
                   "Yesterday the children fed the chicken some corn."],
        "meat": ["Yesterday we roasted a chicken with potatoes.",
                 "The chicken in the curry was too dry yesterday.",
                 "Yesterday I bought sliced chicken for sandwiches.",
                 "She grilled the chicken with lemon and garlic yesterday.",
                 "Yesterday the restaurant served fried chicken with rice."]},
    ("book", "polysemous"): {
        "physical object": ["Yesterday the heavy book fell on my foot.",
                            "He used a book to prop open the window yesterday.",
                            "Yesterday the book got wet and its cover curled.",
                            "She dusted the book on the top shelf yesterday.",
                            "Yesterday I dropped the book in the bath."],
        "content": ["Yesterday I finished the book and loved its ending.",
                    "The book argues that inequality is rising, the reviewer wrote yesterday.",
                    "Yesterday our class discussed the book and its main character.",
                    "The book was translated into forty languages, we learned yesterday.",
                    "Yesterday she summarised the book for her students."]},
    ("school", "polysemous"): {
        "building": ["Yesterday the roof of the school leaked after the storm.",
                     "The school was painted bright yellow yesterday.",
                     "Yesterday the fire alarm emptied the school in minutes.",
                     "They built a new wing onto the school yesterday.",
                     "Yesterday a tree fell onto the school car park."],
        "institution": ["Yesterday the school changed its admission policy.",
                        "The school hired a new head teacher yesterday.",
                        "Yesterday the school was praised by the inspectors for its teaching.",
                        "The school expelled two pupils yesterday.",
                        "Yesterday the school announced longer holidays."]},
}


def rows() -> pd.DataFrame:
    out = []
    for (word, kind), senses in SENTENCES.items():
        assert len(senses) == 2, word
        for sense, sentences in senses.items():
            assert len(sentences) == 5, (word, sense)
            for sentence in sentences:
                tokens = re.findall(r"[a-z']+", sentence.lower())
                assert tokens.count(word) == 1, (word, sentence)
                assert tokens.count(CONTROL) == 1, (CONTROL, sentence)
                out.append({"word": word, "kind": kind, "sense": sense, "sentence": sentence})
    df = pd.DataFrame(out)
    assert df["sentence"].is_unique
    assert (df.groupby("kind")["word"].nunique() == 5).all()
    return df


def build(out: Path, scratch: Path) -> list[Path]:
    df = rows()
    write_csv(df, out / "word_senses.csv")
    log(f"word_senses: {df['word'].nunique()} words, {len(df)} sentences")
    return [out / name for name in OUTPUTS]
