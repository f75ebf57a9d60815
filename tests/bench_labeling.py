"""Benchmark (not a test): label the same 100 State of the Union test paragraphs twice with the same
chat model and the same prompt.

(A) the naive loop: one ``pipeline("text-generation")`` call per paragraph, greedy, then parse the
    answer (unparseable answers count as errors);
(B) the batched label-scoring helper ``helpers.llm.score_labels`` (the shared instructions read
    once, each paragraph read once, label tokens over the key/value cache, batches sorted by
    length; no parsing).

Both run in float32 (the course default), and again in bfloat16, which CPUs with AMX or
AVX512-BF16 units (and GPUs) compute several times faster; like is compared with like.
Prints wall time, texts/s, the speed ratio A/B, the accuracy of both and A's unparseable answers.
Goal: B at least 10x faster than A with accuracy no worse. Run with ``make bench``
(offline, project cache) or ``python tests/bench_labeling.py [--n 100] [--batch-size 8] [--no-bf16]``.
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
    parser.add_argument("--no-bf16", dest="bf16", action="store_false", help="skip the bfloat16 runs")
    args = parser.parse_args(argv)
    if args.n < 2:
        parser.error("--n must be at least 2")

    import torch
    from transformers import pipeline

    import helpers
    from helpers.data import load_sotu, stratified_sample
    from helpers.evaluation import evaluate
    from helpers.llm import chat_prompts, load_chat_model, parse_choice, score_labels

    env = helpers.setup(seed=args.seed, quiet=True)
    test = load_sotu().query("split == 'test'")
    sample = stratified_sample(test, args.n, seed=args.seed)
    texts, gold = sample["text"].tolist(), sample["party"].tolist()
    print(f"{len(texts)} test paragraphs, {MODEL}, device {env.device}, torch threads {torch.get_num_threads()}")

    def naive_loop(dtype, max_new_tokens=args.max_new_tokens):
        """(A) one pipeline call per text, generate then parse."""
        generator = pipeline("text-generation", model=MODEL, dtype=dtype, device=env.device)
        generator([{"role": "user", "content": "Hi"}], max_new_tokens=1, do_sample=False)    # warm-up
        t0 = time.perf_counter()
        answers = []
        for text in texts:
            messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": question(text)}]
            out = generator(messages, max_new_tokens=max_new_tokens, do_sample=False)
            answers.append(out[0]["generated_text"][-1]["content"])
        seconds = time.perf_counter() - t0
        return seconds, answers, evaluate(gold, [parse_choice(a, LABELS) for a in answers], LABELS)

    def scoring(dtype):
        """(B) batched label scoring."""
        tok, lm = load_chat_model(MODEL, device=env.device, dtype=dtype)
        score_labels(lm, tok, chat_prompts(tok, ["Hi"]), LABELS)                             # warm-up
        t0 = time.perf_counter()
        prompts = chat_prompts(tok, [question(t) for t in texts], system=SYSTEM)
        probs = score_labels(lm, tok, prompts, LABELS, batch_size=args.batch_size, desc="B: score_labels")
        seconds = time.perf_counter() - t0
        return seconds, probs, evaluate(gold, probs.idxmax(axis=1).tolist(), LABELS)

    dtypes = [torch.float32] + ([torch.bfloat16] if args.bf16 else [])
    rows, answers, probs = [], {}, {}
    for dtype in dtypes:
        name = str(dtype).replace("torch.", "")
        time_a, answers[name], res_a = naive_loop(dtype)
        time_b, probs[name], res_b = scoring(dtype)
        rows.append((name, time_a, res_a, time_b, res_b))
    # what reading each prompt once costs in the same loop: a floor for any method that reads every paragraph
    time_read = naive_loop(torch.float32, max_new_tokens=1)[0]

    n = len(texts)
    print(f"\n{'method':<52} {'wall s':>8} {'texts/s':>8} {'accuracy':>9} {'unparsed':>9}")
    for name, time_a, res_a, time_b, res_b in rows:
        print(f"{'A naive pipeline loop (generate + parse) ' + name:<52} {time_a:8.1f} {n / time_a:8.2f} "
              f"{res_a['accuracy']:9.3f} {res_a['unparsed']:9d}")
        print(f"{'B batched score_labels ' + name:<52} {time_b:8.1f} {n / time_b:8.2f} {res_b['accuracy']:9.3f} {0:9d}")
    print()
    for name, time_a, res_a, time_b, res_b in rows:
        print(f"speed-up A/B in {name}: {time_a / time_b:.1f}x (goal >= 10x); accuracy B - A: "
              f"{res_b['accuracy'] - res_a['accuracy']:+.3f} (goal >= 0); A on its parsed answers: "
              f"{res_a['accuracy_parsed']:.3f}")
    if len(rows) == 2:
        print(f"B in bfloat16 vs A in float32: {rows[0][1] / rows[1][3]:.1f}x; "
              f"B's labels agree between float32 and bfloat16 for "
              f"{(probs['float32'].idxmax(axis=1) == probs['bfloat16'].idxmax(axis=1)).mean():.1%} of the texts "
              f"(max |difference in probability| {(probs['float32'] - probs['bfloat16']).abs().to_numpy().max():.3f})")
    print(f"reading each prompt once (the same loop, 1 new token, float32): {time_read:.1f} s, so A's float32 time "
          f"is {rows[0][1] / time_read:.1f}x the cost of just reading the prompts; B skips the shared instructions "
          f"but must still read every paragraph")
    print(f"majority baseline {rows[0][2]['majority_baseline']:.3f}")
    answers, pred_a = answers["float32"], [parse_choice(a, LABELS) for a in answers["float32"]]
    examples = [a for a, p in zip(answers, pred_a) if p is None][:3]
    if examples:
        print("unparseable answers of A, for example:", examples)
    return 0


if __name__ == "__main__":
    sys.exit(main())
