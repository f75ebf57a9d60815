"""Benchmark (not a test): LoRA training throughput next to inference throughput of the same model
on the same texts, and their ratio.

The texts are Day 3c's training examples: State of the Union training paragraphs shortened to
``--words`` words, as chat prompts followed by the one-word answer (the party). The model is
SmolLM2-135M-Instruct in float32 with a LoRA adapter (rank 16, all linear layers), as in 3c.

- **inference**: one forward pass per batch without gradients over exactly the token sequences that
  training reads (the last position's logits only, as label scoring needs);
- **(A) plain padded loop**: batches in data order, padded, the loss computed from the logits at
  *every* position (``model(..., labels=...)`` with the prompt positions masked);
- **(B) length-grouped, answer-only logits**: batches of similar length (little padding, left padding
  so the answers line up at the right edge), and the output layer (576 x 49152) applied only at the
  few positions whose next token is part of the answer (``logits_to_keep``), the only positions the
  loss uses.

Tokens per second count the real (non-padding) tokens that go through the model. A training step
(forward and backward through frozen weights) costs about twice a forward pass, so the ratio of
training to inference throughput can approach 0.5; the goal is at least 0.35.
Run with ``make bench`` or ``python tests/bench_training.py [--n 64] [--batch-size 8] [--words 40]``.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MODEL = "HuggingFaceTB/SmolLM2-135M-Instruct"
SYSTEM = "You are an expert on US politics. Answer with one word: Democratic or Republican."


def question(text: str, words: int) -> str:
    w = text.split()
    short = text if len(w) <= words else " ".join(w[:words]) + " ..."
    return ("This paragraph is from a State of the Union address. Was the president Democratic or "
            f"Republican?\n\nParagraph: {short}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=64, help="training paragraphs (stratified sample)")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--words", type=int, default=40, help="paragraphs are shortened to this many words")
    parser.add_argument("--rank", type=int, default=16, help="LoRA rank")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    if args.n < args.batch_size or args.batch_size < 1:
        parser.error("--n must be at least --batch-size (and the batch size at least 1)")

    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    import helpers
    from helpers.data import load_sotu, stratified_sample

    env = helpers.setup(seed=args.seed, quiet=True)
    train = stratified_sample(load_sotu().query("split == 'train'"), args.n, seed=args.seed)
    tok = AutoTokenizer.from_pretrained(MODEL)
    examples = []
    for text, party in zip(train["text"], train["party"]):
        prompt = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": question(text, args.words)}]
        p_ids = tok.apply_chat_template(prompt, add_generation_prompt=True, tokenize=True,
                                        return_dict=True)["input_ids"]
        full = tok.apply_chat_template(prompt + [{"role": "assistant", "content": party}], tokenize=True,
                                       return_dict=True)["input_ids"]
        assert full[:len(p_ids)] == p_ids, "the chat template must extend the prompt"
        examples.append((list(full), len(full) - len(p_ids)))          # token ids, answer length
    n_tokens = sum(len(ids) for ids, _ in examples)
    pad = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id

    def batches(order, left):
        for s in range(0, len(order), args.batch_size):
            rows = [examples[i] for i in order[s:s + args.batch_size]]
            width = max(len(ids) for ids, _ in rows)
            ids = torch.full((len(rows), width), pad, dtype=torch.long)
            mask = torch.zeros_like(ids)
            labels = torch.full_like(ids, -100)
            for r, (seq, n_ans) in enumerate(rows):
                lo = width - len(seq) if left else 0
                ids[r, lo:lo + len(seq)] = torch.tensor(seq)
                mask[r, lo:lo + len(seq)] = 1
                labels[r, lo + len(seq) - n_ans:lo + len(seq)] = torch.tensor(seq[-n_ans:])
            yield ids, mask, labels, max(n for _, n in rows)

    model = AutoModelForCausalLM.from_pretrained(MODEL, dtype=torch.float32)
    model = get_peft_model(model, LoraConfig(r=args.rank, lora_alpha=2 * args.rank, target_modules="all-linear",
                                             task_type="CAUSAL_LM"))
    by_length = sorted(range(len(examples)), key=lambda i: len(examples[i][0]))
    in_order = list(range(len(examples)))

    def inference():
        model.eval()
        start = time.perf_counter()
        with torch.no_grad():
            for ids, mask, _, _ in batches(by_length, left=True):
                model(input_ids=ids, attention_mask=mask, logits_to_keep=1)
        return n_tokens / (time.perf_counter() - start)

    def train(plain: bool):
        model.train()
        torch.manual_seed(args.seed)
        for name, p in model.named_parameters():          # a fresh adapter for each variant
            if "lora_B" in name:
                torch.nn.init.zeros_(p)
        opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=3e-4)
        losses, start = [], time.perf_counter()
        for ids, mask, labels, n_ans in batches(in_order if plain else by_length, left=not plain):
            if plain:
                loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
            else:   # left padding: every answer ends at the right edge; logits only where the loss needs them
                logits = model(input_ids=ids, attention_mask=mask, logits_to_keep=n_ans + 1).logits[:, :-1]
                target = labels[:, -n_ans:]
                loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]).float(),
                                                         target.reshape(-1), ignore_index=-100)
            loss.backward()
            opt.step()
            opt.zero_grad()
            losses.append(loss.item())
        return n_tokens / (time.perf_counter() - start), losses

    print(f"{len(examples)} training examples ({args.words} words each), {n_tokens} tokens; {MODEL} float32, "
          f"LoRA rank {args.rank}; batch {args.batch_size}; device {env.device}, "
          f"torch threads {torch.get_num_threads()}")
    inference()                                                      # warm-up
    infer = inference()
    plain, plain_losses = train(plain=True)
    grouped, grouped_losses = train(plain=False)
    print(f"{'':46} tokens/s  ratio to inference")
    print(f"{'inference (forward, no gradients)':46} {infer:8.1f}")
    print(f"{'A training, plain padded loop':46} {plain:8.1f}  {plain / infer:.2f}")
    print(f"{'B training, length-grouped, answer-only logits':46} {grouped:8.1f}  {grouped / infer:.2f}")
    print(f"first/last training loss: A {plain_losses[0]:.3f} -> {plain_losses[-1]:.3f}; "
          f"B {grouped_losses[0]:.3f} -> {grouped_losses[-1]:.3f}")
    verdict = "reached" if grouped / infer >= 0.35 else "not reached"
    print(f"goal ratio >= 0.35: {verdict} with B ({grouped / infer:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
