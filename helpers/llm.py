"""Batched generation, label log-probability scoring and answer parsing for chat models.

Day 1 shows each step by hand; from Day 3 on the notebooks call these helpers so that the
interesting part (prompts, labels, evaluation) stays visible.

>>> tok, lm = load_chat_model("HuggingFaceTB/SmolLM2-135M-Instruct")          # doctest: +SKIP
>>> prompts = chat_prompts(tok, ["Is 'I love it' positive or negative?"])      # doctest: +SKIP
>>> score_labels(lm, tok, prompts, ["positive", "negative"]).round(2)        # doctest: +SKIP
   positive  negative
0      0.83      0.17
>>> generate(lm, tok, prompts, max_new_tokens=5)[0]                          # doctest: +SKIP
'Positive'
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from helpers._checks import is_finite_real, is_int, is_real


def _check_texts(texts, what: str) -> list[str]:
    if isinstance(texts, str):
        raise ValueError(f"{what} must be a list of strings, not a single string; wrap it: [{what[:-1]}].")
    texts = list(texts)
    if not texts:
        raise ValueError(f"{what} is empty; pass at least one text.")
    other = [i for i, t in enumerate(texts) if not isinstance(t, str) and t is not None
             and not (is_real(t) and math.isnan(float(t)))]
    if other:               # a number or another object: turning it into text here could merge 1 and "1"
        i = other[0]
        raise ValueError(f"{what}[{i}] is {type(texts[i]).__name__} {texts[i]!r}, not text ({len(other)} such "
                         f"entries); pass strings, e.g. {what}=[str(x) for x in {what}].")
    bad = [i for i, t in enumerate(texts) if not isinstance(t, str) or not t.strip()]
    if bad:
        raise ValueError(f"{what} has {len(bad)} empty or non-string entries (positions {bad[:10]}); "
                         "drop or fill them before calling (e.g. df = df[df.text.str.strip() != ''])")
    return texts


def _check_labels(labels) -> list[str]:
    """Labels as the answer is written: text without spaces at either end, each once."""
    labels = _check_texts(labels, "labels")
    for i, lab in enumerate(labels):
        if lab != lab.strip():
            raise ValueError(f"labels[{i}] {lab!r} has a leading or trailing space (or newline). A label is the answer "
                             f"as the model writes it right after the prompt, so pass {lab.strip()!r}.")
    return labels


def _check_positive_int(value, name: str) -> int:
    if not is_int(value) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}.")
    return int(value)


def _context_window(model) -> int | None:
    """The most tokens the model reads at once (``config.max_position_embeddings``), or ``None`` if unknown."""
    window = getattr(getattr(model, "config", None), "max_position_embeddings", None)
    return int(window) if is_int(window) and window > 0 else None


def _check_fits(model, lengths: Sequence[int], extra: int, what: str) -> None:
    """Refuse a prompt that, with ``extra`` more tokens (the answer), does not fit the model's context window:
    the model would read positions it was never trained on (or fail with an index error) without a word."""
    window = _context_window(model)
    if window is None:
        return
    i = max(range(len(lengths)), key=lambda k: lengths[k])
    if lengths[i] > window:
        raise ValueError(f"prompts[{i}] has {lengths[i]} tokens, more than the model's context window of {window} "
                         "tokens (config.max_position_embeddings). Shorten the prompt (a shorter text, fewer few-shot "
                         "examples, or retrieve the relevant chunks) or use a model with a longer window.")
    if lengths[i] + extra > window:
        raise ValueError(f"prompts[{i}] has {lengths[i]} tokens; with {what} that makes {lengths[i] + extra}, more "
                         f"than the model's context window of {window} tokens (config.max_position_embeddings). "
                         + (f"Pass max_new_tokens={window - lengths[i]} or less, or shorten the prompt."
                            if what.startswith("max_new_tokens") else "Shorten the prompt or the label."))


def _check_bool(value, name: str) -> None:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")


def _check_model_and_tokenizer(model, tokenizer) -> None:
    """The usual slip: the two swapped, or something else passed (load both with load_chat_model)."""
    if not callable(getattr(tokenizer, "apply_chat_template", None)) or not callable(tokenizer):
        raise ValueError(f"tokenizer must be a Hugging Face tokenizer, got {type(tokenizer).__name__}; pass "
                         "(model, tokenizer, ...) in that order, as returned by load_chat_model (tokenizer, model).")
    if not hasattr(model, "config") or not callable(getattr(model, "generate", None)):
        raise ValueError(f"model must be a causal language model, got {type(model).__name__}; pass "
                         "(model, tokenizer, ...) in that order, as returned by load_chat_model (tokenizer, model).")


def _check_causal_lm(model_id: str) -> None:
    """Refuse models without a language-modelling head of their own (an encoder such as BERT/MPNet, or an
    encoder-decoder): AutoModelForCausalLM would bolt on a randomly initialised head and score noise."""
    from transformers import AutoConfig

    config = AutoConfig.from_pretrained(model_id)
    archs = list(getattr(config, "architectures", None) or [])
    causal = any(a.endswith(("ForCausalLM", "LMHeadModel", "ForConditionalGeneration")) for a in archs)
    if getattr(config, "is_encoder_decoder", False) or (archs and not causal):
        raise ValueError(
            f"{model_id!r} is not a causal (decoder) language model: its architecture is "
            f"{', '.join(archs) or config.model_type}. An encoder (e.g. a sentence-transformers model) has no "
            "trained head for predicting the next token, so generation and label scores would be noise. Use a "
            "causal chat model such as 'HuggingFaceTB/SmolLM2-135M-Instruct' (and SentenceTransformer for "
            "embedding models).")


def load_chat_model(model_id: str, device: str = "cpu", dtype=None):
    """Load tokenizer and causal LM for batched use (left padding, a pad token), in eval mode.

    Raises a clear error when the model is neither cached nor reachable, and refuses a model that is
    not a causal (decoder) language model, e.g. a sentence-transformers encoder, or whose checkpoint
    lacks weights that would otherwise be initialised at random.
    """
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from helpers.env import check_device_available

    if not isinstance(model_id, str) or not model_id.strip():
        raise ValueError(f"model_id must be a Hub ID such as 'HuggingFaceTB/SmolLM2-135M-Instruct', got {model_id!r}.")
    try:
        torch.device(device)
    except (RuntimeError, TypeError):
        raise ValueError(f"device={device!r} is not a torch device; use 'cpu', 'cuda' or 'mps' "
                         "(helpers.setup() picks one: env.device).") from None
    check_device_available(str(device))
    try:
        _check_causal_lm(model_id)
        tokenizer = AutoTokenizer.from_pretrained(model_id)
        model, info = AutoModelForCausalLM.from_pretrained(model_id, dtype=dtype or torch.float32,
                                                           output_loading_info=True)
    except OSError as exc:
        raise ValueError(
            f"Could not load {model_id!r}: {exc}\nOffline, only the seeded course models are available "
            "(run `make setup`); online, check the ID on huggingface.co and your connection."
        ) from exc
    missing = list(info.get("missing_keys") or [])
    if missing:
        raise ValueError(f"{model_id!r} lacks trained weights for {len(missing)} parameter(s) of a causal language "
                         f"model (e.g. {sorted(missing)[:3]}); they would be random. Use a causal (decoder) chat "
                         "model such as 'HuggingFaceTB/SmolLM2-135M-Instruct'.")
    tokenizer.padding_side = "left"       # decoder-only models continue from the right end
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer, model.to(device).eval()


def chat_prompts(tokenizer, user_messages: Sequence[str], system: str | None = None,
                 few_shot: Sequence[tuple[str, str]] = ()) -> list[str]:
    """Turn user messages into chat-formatted prompts that open the assistant's turn.

    ``system=None`` (default) sends no system message, so the chat template may put in the model's own
    default (SmolLM2 does: "You are a helpful AI assistant named SmolLM, ..."); a string, the empty string
    included, is sent as the system message as it is (``system=""`` gives an empty system turn, which keeps
    the default out). ``few_shot`` is a list of (user, assistant) pairs of non-empty strings inserted as
    earlier turns.
    """
    user_messages = _check_texts(user_messages, "user_messages")
    if not callable(getattr(tokenizer, "apply_chat_template", None)):
        raise ValueError(f"tokenizer must be a Hugging Face tokenizer, got {type(tokenizer).__name__}; "
                         "load it with load_chat_model.")
    if getattr(tokenizer, "chat_template", None) is None:
        raise ValueError("This tokenizer has no chat template; use an instruct/chat model.")
    if system is not None and not isinstance(system, str):
        raise ValueError(f"system must be a string (the system prompt) or None, got {type(system).__name__}.")
    if isinstance(few_shot, (str, bytes, dict)) or not isinstance(few_shot, Sequence):
        raise ValueError(f"few_shot must be a list of (user, assistant) pairs, got {type(few_shot).__name__}; "
                         "e.g. few_shot=[('Is this positive? Great film!', 'positive')].")
    for i, pair in enumerate(few_shot):
        if (isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2
                or not all(isinstance(t, str) and t.strip() for t in pair)):
            raise ValueError(f"few_shot[{i}] must be a (user, assistant) pair of non-empty strings, got {pair!r}; "
                             "e.g. few_shot=[('Is this positive? Great film!', 'positive')].")
    prompts = []
    for text in user_messages:
        messages = [{"role": "system", "content": system}] if system is not None else []
        for q, a in few_shot:
            messages += [{"role": "user", "content": q}, {"role": "assistant", "content": a}]
        messages.append({"role": "user", "content": text})
        prompts.append(tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True))
    return prompts


def generate(model, tokenizer, prompts: Sequence[str], max_new_tokens: int = 32, batch_size: int = 8,
             do_sample: bool = False, temperature: float = 1.0, top_p: float = 1.0, seed: int | None = None,
             return_token_counts: bool = False, desc: str = "generating", return_stopped: bool = False):
    """Generate a continuation for each prompt, in batches with left padding and a progress bar.

    Greedy by default. With ``do_sample=True`` give ``seed``: torch is seeded once before the first
    batch, so results are reproducible for the same batch size. Returns the decoded new text per
    prompt; with ``return_token_counts`` also the number of generated tokens per prompt (the end-of-turn
    token included), and with ``return_stopped`` also whether each answer ended with an end-of-sequence
    token (the tokenizer's or one of the model's ``generation_config.eos_token_id``; ``False``: cut off by
    ``max_new_tokens``; an answer that ends exactly at the budget with the end token was not cut off), in
    that order. A prompt that, with ``max_new_tokens`` more tokens,
    does not fit the model's context window is refused (``ValueError``).
    """
    import torch
    from tqdm.auto import tqdm

    prompts = _check_texts(prompts, "prompts")
    _check_model_and_tokenizer(model, tokenizer)
    max_new_tokens = _check_positive_int(max_new_tokens, "max_new_tokens")
    batch_size = _check_positive_int(batch_size, "batch_size")
    _check_bool(do_sample, "do_sample")
    _check_bool(return_token_counts, "return_token_counts")
    _check_bool(return_stopped, "return_stopped")
    if seed is not None and (not is_int(seed) or seed < 0):
        raise ValueError(f"seed must be a non-negative integer or None, got {seed!r}.")
    if do_sample and seed is None:
        raise ValueError("Sampling without a seed is not reproducible; pass seed=... (or do_sample=False).")
    if do_sample and not (is_finite_real(temperature) and temperature > 0):
        raise ValueError(f"temperature must be > 0 when sampling, got {temperature!r}; use do_sample=False for greedy.")
    if do_sample and not (is_finite_real(top_p) and 0 < top_p <= 1):
        raise ValueError(f"top_p must be a number in (0, 1] (the share of probability mass to sample from), "
                         f"got {top_p!r}.")
    if tokenizer.padding_side != "left":
        raise ValueError("Decoder-only models need tokenizer.padding_side = 'left' for batched generation "
                         "(load_chat_model sets it).")
    if _context_window(model) is not None:
        lengths = [len(ids) for ids in tokenizer(prompts, add_special_tokens=False)["input_ids"]]
        _check_fits(model, lengths, max_new_tokens, f"max_new_tokens={max_new_tokens}")
    if seed is not None:
        torch.manual_seed(int(seed))
    kwargs = {"max_new_tokens": max_new_tokens, "do_sample": do_sample, "pad_token_id": tokenizer.pad_token_id}
    if do_sample:
        kwargs.update(temperature=float(temperature), top_p=float(top_p), top_k=0)
    # the tokens that end an answer: the tokenizer's end-of-sequence token and the model's own (Qwen stops on two)
    stop_ids = {tokenizer.eos_token_id}
    configured = getattr(getattr(model, "generation_config", None), "eos_token_id", None)
    stop_ids |= set(configured if isinstance(configured, (list, tuple)) else [configured])
    stop_ids.discard(None)
    texts, counts, stopped = [], [], []
    for start in tqdm(range(0, len(prompts), batch_size), desc=desc, unit="batch"):
        batch = prompts[start:start + batch_size]
        enc = tokenizer(batch, return_tensors="pt", padding=True, add_special_tokens=False).to(model.device)
        with torch.no_grad():
            out = model.generate(**enc, **kwargs)
        new = out[:, enc["input_ids"].shape[1]:]
        for row in new:
            ids = row.tolist()
            n = len(ids)
            for stop in (tokenizer.eos_token_id, tokenizer.pad_token_id):
                if stop in ids:
                    n = min(n, ids.index(stop) + 1)      # count the end-of-turn token, not padding
            counts.append(n)
            stopped.append(any(e in ids for e in stop_ids))
            texts.append(tokenizer.decode(row, skip_special_tokens=True).strip())
    out = (texts,) + ((counts,) if return_token_counts else ()) + ((stopped,) if return_stopped else ())
    return out if len(out) > 1 else texts


def score_labels(model, tokenizer, prompts: Sequence[str], labels: Sequence[str], batch_size: int = 8,
                 normalize: bool = True, desc: str = "scoring", progress: bool = True) -> pd.DataFrame:
    """Probability of each label as the answer to each prompt, with the prompt read only once.

    Each label's score is the summed log-probability of *all* its tokens, so labels of several
    tokens are scored correctly. With ``normalize=True`` (default) the scores become probabilities
    over the given labels (softmax of the summed log-probabilities; at least two labels needed);
    otherwise the raw summed log-probabilities are returned. No parsing, no failures: every prompt gets a distribution.
    ``progress=False`` hides the progress bar (for many small calls inside a loop that has its own).

    A label is the answer as the model writes it right after the prompt: text without spaces or newlines at
    either end (``"Democratic"``, not ``" Democratic"``; refused with ``ValueError``). A prompt that, with the
    longest label, does not fit the model's context window (``config.max_position_embeddings``) is refused too.

    How it saves work (the same numbers as one forward pass per prompt and label, up to float
    rounding; ``tests/test_llm.py`` checks this against that plain computation):

    1. *Shared prefix.* The tokens every prompt starts with (system prompt, instructions,
       few-shot examples) are run through the model once; their key/value cache is reused by
       every batch, as servers such as vLLM do ("prefix caching").
    2. *Prompt once, labels on top.* Each prompt's own tokens are run once; the last position
       gives every label's first token. A later label token is fed on top of the cached prompt
       and the cache is cropped back, so a label costs one token, not a whole prompt.
    3. *Batches of similar length.* Prompts are sorted by length before batching (less padding);
       the result comes back in the original order.
    """
    import copy

    import torch
    from tqdm.auto import tqdm

    prompts = _check_texts(prompts, "prompts")
    labels = _check_labels(labels)
    if len(set(labels)) != len(labels):
        doubled = sorted({lab for lab in labels if labels.count(lab) > 1})
        raise ValueError(f"labels contain duplicates: {doubled}; pass each label once "
                         "(e.g. list(dict.fromkeys(labels))).")
    _check_bool(normalize, "normalize")
    if normalize and len(labels) < 2:
        raise ValueError(f"labels has one label only ({labels[0]!r}): normalised over one label its probability is "
                         "1 for every prompt. Pass at least two labels, or normalize=False for its log-probability.")
    _check_model_and_tokenizer(model, tokenizer)
    batch_size = _check_positive_int(batch_size, "batch_size")
    label_ids = [tokenizer(lab, add_special_tokens=False)["input_ids"] for lab in labels]
    empty = [lab for lab, ids in zip(labels, label_ids) if not ids]
    if empty:
        raise ValueError(f"labels {empty} encode to no tokens with this tokenizer; use visible text.")
    prompt_ids = [tokenizer(p, add_special_tokens=False)["input_ids"] for p in prompts]
    if any(len(ids) == 0 for ids in prompt_ids):
        i = next(i for i, ids in enumerate(prompt_ids) if not ids)
        raise ValueError(f"prompts[{i}] encodes to no tokens with this tokenizer; pass visible text.")
    longest = max(len(ids) for ids in label_ids)
    _check_fits(model, [len(ids) for ids in prompt_ids], longest, f"the longest label ({longest} tokens)")
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    device = model.device
    keep = {"logits_to_keep": 1} if "logits_to_keep" in inspect.signature(model.forward).parameters else {}

    # 1. the longest token prefix shared by all prompts (each prompt keeps at least one own token)
    n_shared = min(len(ids) for ids in prompt_ids) - 1
    for t in range(n_shared):
        if any(ids[t] != prompt_ids[0][t] for ids in prompt_ids):
            n_shared = t
            break
    prefix_cache = None
    if n_shared > 0:
        with torch.no_grad():
            prefix_cache = model(input_ids=torch.tensor([prompt_ids[0][:n_shared]], device=device),
                                 use_cache=True, **keep).past_key_values
    # 2. a label's later tokens are fed after the prompt; labels sharing them share the pass
    feeds = sorted({tuple(ids[:-1]) for ids in label_ids if len(ids) > 1})
    # 3. longest prompts first, so a batch holds prompts of similar length
    order = sorted(range(len(prompts)), key=lambda i: -len(prompt_ids[i]))
    scores = np.zeros((len(prompts), len(labels)))
    if not isinstance(progress, bool):
        raise TypeError(f"progress must be True or False, got {progress!r}")
    for start in tqdm(range(0, len(order), batch_size), desc=desc, unit="batch", disable=not progress):
        rows = order[start:start + batch_size]
        own = [prompt_ids[i][n_shared:] for i in rows]
        width = max(len(ids) for ids in own)
        input_ids = torch.full((len(rows), width), pad, dtype=torch.long)
        own_mask = torch.zeros((len(rows), width), dtype=torch.long)
        for r, ids in enumerate(own):                    # left padding: every prompt ends at the right edge
            input_ids[r, width - len(ids):] = torch.tensor(ids)
            own_mask[r, width - len(ids):] = 1
        # explicit positions: a prompt's own tokens follow the shared prefix directly, whatever the padding
        positions = n_shared + (own_mask.cumsum(dim=1) - 1).clamp(min=0)
        mask = torch.cat([torch.ones((len(rows), n_shared), dtype=torch.long), own_mask], dim=1)
        cache = None
        if prefix_cache is not None:
            cache = copy.deepcopy(prefix_cache)
            cache.batch_repeat_interleave(len(rows))
        with torch.no_grad():
            out = model(input_ids=input_ids.to(device), attention_mask=mask.to(device),
                        position_ids=positions.to(device), past_key_values=cache, use_cache=True, **keep)
        first = torch.log_softmax(out.logits[:, -1].float(), dim=-1).cpu()
        later = {}
        ends = n_shared + own_mask.sum(dim=1, keepdim=True)          # the position after each prompt
        for feed in feeds:
            ids = torch.tensor([feed] * len(rows))
            feed_mask = torch.cat([mask, torch.ones_like(ids)], dim=1)
            with torch.no_grad():
                logits = model(input_ids=ids.to(device), attention_mask=feed_mask.to(device),
                               position_ids=(ends + torch.arange(len(feed))).to(device),
                               past_key_values=out.past_key_values, use_cache=True).logits
            later[feed] = torch.log_softmax(logits.float(), dim=-1).cpu()    # [batch, len(feed), vocab]
            out.past_key_values.crop(-len(feed))                         # back to the prompts only
        for j, ids in enumerate(label_ids):
            total = first[:, ids[0]].clone()
            for t in range(1, len(ids)):
                total += later[tuple(ids[:-1])][:, t - 1, ids[t]]
            scores[rows, j] = total.numpy()
    if normalize:
        scores = np.exp(scores - scores.max(axis=1, keepdims=True))
        scores = scores / scores.sum(axis=1, keepdims=True)
    return pd.DataFrame(scores, columns=list(labels))


_NEGATIONS = {"not", "never", "no", "neither", "nor", "isn't", "wasn't", "aren't", "weren't", "cannot", "can't"}


def _negated(before: str) -> bool:
    """True when the last words before a match, within its clause, include a negation ("not a Democrat")."""
    clause = re.split(r"[,;:.!?]", before)[-1]
    return any(w in _NEGATIONS for w in clause.lower().split()[-3:])


def parse_choice(text: str, labels: Sequence[str], synonyms: dict[str, str] | None = None,
                 negations: bool = False) -> str | None:
    """The label an answer names, or ``None`` when it names none (count those — never drop them).

    Case-insensitive whole-word match; when several labels appear, the earliest wins (ties go to
    the longer label, so "Democratic" is not read as "Democrat"). Labels are text without spaces at
    either end (a whole-word match ignores them anyway; ``" Democratic"`` is refused).

    ``synonyms`` maps other words to a label (``{"Democrat": "Democratic"}``): a lenient parse for meaning,
    next to the strict one for format. Report both: how many answers use a label word, and how many name
    a party at all.

    ``negations=True`` skips a label (or synonym) negated within its clause by one of the three words before
    it ("not a Democrat", "neither ... nor"): "not a Republican, but rather a Democrat" is Democratic, "not a
    Democrat, but" names none. Without it, the earliest mention wins whatever precedes it.

    >>> parse_choice("Answer: republican.", ["Democratic", "Republican"])
    'Republican'
    >>> parse_choice("I cannot tell.", ["Democratic", "Republican"]) is None
    True
    >>> parse_choice("He was a Democrat.", ["Democratic", "Republican"]) is None
    True
    >>> parse_choice("He was a Democrat.", ["Democratic", "Republican"], synonyms={"Democrat": "Democratic"})
    'Democratic'
    >>> parse_choice("not a Republican, but rather a Democratic one", ["Democratic", "Republican"], negations=True)
    'Democratic'
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a string, got {type(text).__name__}.")
    labels = _check_labels(labels)
    if len({lab.lower() for lab in labels}) != len(labels):
        raise ValueError(f"labels contain duplicates (ignoring case, as the match does): {labels}; pass each label "
                         "once.")
    words = {lab: lab for lab in labels}
    if synonyms is not None:
        if not isinstance(synonyms, dict):
            raise ValueError(f"synonyms must be a dict from a word to a label, got {type(synonyms).__name__}.")
        for word, lab in synonyms.items():
            if lab not in labels:
                raise ValueError(f"synonyms maps {word!r} to {lab!r}, which is not one of the labels {labels}.")
            if not isinstance(word, str) or not word.strip() or word != word.strip():
                raise ValueError(f"synonyms keys must be words without spaces at either end, got {word!r}.")
            taken = {w.lower(): target for w, target in words.items()}
            if taken.get(word.lower(), lab) != lab:
                raise ValueError(f"synonyms maps {word!r} to {lab!r}, but it already stands for "
                                 f"{taken[word.lower()]!r}.")
            words[word] = lab
    _check_bool(negations, "negations")
    best = None
    for word, lab in words.items():
        for m in re.finditer(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text, flags=re.IGNORECASE):
            if negations and _negated(text[:m.start()]):
                continue
            if best is None or (m.start(), -len(word)) < (best[0], -best[2]):
                best = (m.start(), lab, len(word))
            break
    return best[1] if best else None


# Thousands separators: a comma, or the no-break, narrow no-break and thin spaces of typeset numbers ("1 000").
_SEP = ",\u00a0\u202f\u2009"
# A number: sign, "$", digits with separator groups, decimals, an exponent ("1e3"), a fraction ("1/2"), "%".
_NUMBER = r"[-−]?\$?\d+(?:[" + _SEP + r"]\d+)*(?:\.\d+)?(?:[eE][-+]?\d+)?(?:\s*/\s*\d+(?:\.\d+)?)?\s*%?"
_FINAL = re.compile(r"(?:final answer|answer is|answer:|answer =|=\s*)\s*\**\s*(" + _NUMBER + ")", re.IGNORECASE)
_COMMA_RUN = re.compile(r"\d+(?:[" + _SEP + r"]\d+)+")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+|\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+")
_DASH = "-−–—"
_OPERATOR = r"[-−+*/×÷=^]"


def _to_float(token: str) -> float | None:
    t = token.replace("−", "-").replace("$", "")
    for sep in _SEP + " ":
        t = t.replace(sep, "")
    t = t.rstrip("%")
    try:
        if "/" in t:
            num, den = t.split("/")
            value = float(num) / float(den)
        else:
            value = float(t)
    except (ValueError, ZeroDivisionError):
        return None
    # "25%" stays 25: the question defines the unit, so percentages are compared as numbers.
    return value


def _ambiguous(text: str, start: int, token: str) -> bool:
    """A number that cannot be read as one value: commas that are not thousands groups ("1,5" is 1.5 in
    some languages and the list 1, 5 in others; "1.000,5" is 1000.5 in some), groups of three digits after
    a plain space ("1 000": a thousand, or the list 1, 000), or one end of a range ("3-4", "10 - 20", "10–12")."""
    if any(not _THOUSANDS.fullmatch(run) for run in _COMMA_RUN.findall(token)):
        return True
    token = token.rstrip()
    before, after = text[:start], text[start + len(token):]
    if re.search(r"\d,\Z", before) or re.match(r",\d", after):          # "1.000,5": a decimal comma
        return True
    if (re.search(r"(?<![\d.,])\d{1,3} \Z", before) and re.match(r"\d{3}(?![\d,])", token)
            or re.match(r" \d{3}(?![\d,])", after) and re.fullmatch(r"\$?\d{1,3}", token)):    # "1 000"
        return True
    if token[0] in "-−" and before[-1:].isdigit():               # the "-4" of "3-4"
        return True
    if re.search(r"\d\s*–\s*$", before) or re.match(r"-\d|\s*–\s*\d", after):     # "10–12", "3-4"
        return True
    # "10 - 20", "10 — 20" on one line (a dash after a line break may be a bullet), unless it is arithmetic:
    # "= 1 - 0.5 * 2" has an operator before the first number or after the second
    spaced = rf"[ \t]*[{_DASH}][ \t]*"
    first_end = re.match(spaced + r"[\d.,]*\d", after)
    if first_end and not re.search(_OPERATOR + r"[ \t]*\Z", before) \
            and not re.match(r"[ \t]*" + _OPERATOR, after[first_end.end():]):
        return True
    second_end = re.search(r"(?<![\d.,])[\d.,]*\d" + spaced + r"\Z", before)
    return bool(second_end and not re.search(_OPERATOR + r"[ \t]*\Z", before[:second_end.start()])
                and not re.match(r"[ \t]*" + _OPERATOR, after))


def parse_number(text: str) -> float | None:
    """The final numeric answer in a model's text, or ``None`` if there is none.

    Prefers a number after "final answer" / "answer is" / "Answer:"; otherwise the last number in
    the text. Understands thousands separators in groups of three ("1,500", and the no-break or thin
    spaces of typeset numbers, "1\u00a0500"), decimals, scientific notation ("1e3"), simple fractions
    ("1/2"), "$" and "%". Returns ``None`` (unparsed: count it as wrong, never guess) when that number is
    ambiguous: a comma that is not a thousands separator ("1,5" could be 1.5 or the list 1, 5; "1.000,5"),
    digits after a plain space ("1 000" could be 1000 or the list 1, 000) or a range ("3-4 days",
    "10 - 20", "10–12").

    >>> parse_number("Step 1: 3 + 4 = 7. The answer is 12.")
    12.0
    >>> parse_number("The ball costs $0.05, so the total is 1.10")
    1.1
    >>> parse_number("no idea") is None
    True
    >>> parse_number("1,500 widgets"), parse_number("1,5"), parse_number("3-4 days"), parse_number("1e3")
    (1500.0, None, None, 1000.0)
    >>> parse_number("1 000"), parse_number("10 - 20"), parse_number("1.000,5")
    (None, None, None)
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a string, got {type(text).__name__}.")
    finals = [(m.start(1), m.group(1)) for m in _FINAL.finditer(text)]
    candidates = finals or [(m.start(), m.group()) for m in re.finditer(_NUMBER, text)]
    for start, token in reversed(candidates):
        if _ambiguous(text, start, token):
            return None
        value = _to_float(token.strip())
        if value is not None and math.isfinite(value):
            return value
    return None


def numbers_match(value, truth, rel_tol: float = 0.01, abs_tol: float = 0.01) -> bool:
    """True when a parsed answer equals the exact answer within ``rel_tol`` (relative) or ``abs_tol``.

    ``value`` is what :func:`parse_number` returned: ``None`` (no number in the answer) never matches,
    so unparseable answers count as wrong. Percentages are compared as numbers of percent, as the
    questions ask for them. The default tolerances accept rounding to the nearest percent of the answer.

    >>> numbers_match(0.05, 0.05), numbers_match(24.0, 47), numbers_match(None, 5)
    (True, False, False)
    >>> numbers_match(11.4, 11.45)          # within 1%
    True
    """
    def real(x, name):
        if isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating)):
            raise TypeError(f"{name} must be a number, got {type(x).__name__} {x!r}; "
                            "parse text with parse_number first.")
        return float(x)

    truth = real(truth, "truth")
    if not math.isfinite(truth):
        raise ValueError(f"truth must be a finite number, got {truth}; check the answer key.")
    for tol, name in [(rel_tol, "rel_tol"), (abs_tol, "abs_tol")]:
        if not math.isfinite(real(tol, name)) or tol < 0:
            raise ValueError(f"{name} must be a finite number >= 0, got {tol!r}.")
    if value is None:
        return False
    value = real(value, "value")
    return math.isfinite(value) and math.isclose(value, truth, rel_tol=rel_tol, abs_tol=abs_tol)
