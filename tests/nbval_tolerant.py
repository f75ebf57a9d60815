"""nbval, extended for a world of different CPUs (loaded for every pytest run by ``conftest.py``).

nbval re-executes each notebook and compares every output with the committed one. This plugin
changes two things and nothing else:

1. **The comparison** (:mod:`nbcompare`): text is compared exactly except numbers, which may differ
   by float jitter. It applies to streams, ``text/plain`` reprs, HTML tables and JSON outputs. The
   key-results output of :func:`helpers.record_results` is the exception: its values are compared one
   by one with the tolerance that ``tests/expected_results/<name>.json`` gives each key (the same rule
   as ``tests/test_key_results.py``), and its text and HTML renderings of the same values are not
   compared again. A derived statistic (a correlation of five small gaps, say) can move by more than
   float jitter between CPUs while staying well within the tolerance set for it.
2. **Display updates**: a progress bar refreshes its output once when it finishes
   (:mod:`helpers.progress`); Jupyter saves the refreshed output, so nbval applies the same update
   instead of ignoring it.

At the end of the run a table gives, per notebook, how many outputs matched exactly, how many only
within tolerance, and the largest relative difference seen, so a drifting result is visible before
it fails.
"""

from __future__ import annotations

import types
from collections import defaultdict

import nbformat
import pytest

from helpers.results import MIME
from keyresults import EXPECTED
from keyresults import compare as compare_key_results
from nbcompare import compare
from tables import report

try:
    from nbval.plugin import IPyNbCell, transform_streams_for_comparison
except ImportError:  # pragma: no cover - nbval is pinned in requirements.txt
    IPyNbCell = None

#: per notebook: [outputs exact, outputs within tolerance, largest relative difference, its cell]
STATS: dict[str, list] = defaultdict(lambda: [0, 0, 0.0, None])


def _flatten(outputs, skip) -> dict[str, list]:
    """Group output values by field or MIME type, as nbval does (order kept within a group)."""
    grouped: dict[str, list] = defaultdict(list)
    for out in outputs:
        for key, value in out.items():
            if key in skip:
                continue
            if key == "data":
                for mime, data in value.items():
                    if mime not in skip:
                        grouped[mime].append(data)
            else:
                grouped[key].append(value)
    return grouped


def _key_results(outputs) -> tuple[list, list[dict]]:
    """The outputs without the key-results displays, and the key-results payloads they held."""
    rest, payloads = [], []
    for out in outputs:
        payload = out.get("data", {}).get(MIME) if isinstance(out.get("data"), dict) else None
        (rest if payload is None else payloads).append(out if payload is None else payload)
    return rest, payloads


def _compare_key_results(ref: list[dict], new: list[dict]) -> list[str]:
    """Problems between committed and fresh key results, each key within its expected-results tolerance."""
    if [p.get("name") for p in ref] != [p.get("name") for p in new]:
        return [f"key results recorded under {[p.get('name') for p in new]}, committed {[p.get('name') for p in ref]}"]
    problems = []
    for r, n in zip(ref, new):
        name, committed, fresh = r["name"], r.get("results", {}), n.get("results", {})
        if set(committed) != set(fresh):
            problems.append(f"{name}: keys differ: committed only {sorted(set(committed) - set(fresh))}, "
                            f"now only {sorted(set(fresh) - set(committed))}")
            continue
        tolerances = EXPECTED.get(name, {})
        spec = {k: {"value": v, **({"tol": tolerances[k]["tol"]} if "tol" in tolerances.get(k, {}) else {})}
                for k, v in committed.items()}
        problems += compare_key_results(name, fresh, spec)
    return problems


def tolerant_compare_outputs(self, test, ref, skip_compare=None):
    """Drop-in replacement for ``IPyNbCell.compare_outputs`` that uses :func:`nbcompare.compare`."""
    skip = skip_compare or self.parent.skip_compare
    self.comparison_traceback = []
    test, new_keys = _key_results(test)
    ref, old_keys = _key_results(ref)
    problems = _compare_key_results(old_keys, new_keys)
    if problems:
        self.comparison_traceback += ["Key results differ beyond their tolerances:"] + problems
        return False
    new = _flatten(transform_streams_for_comparison(test), skip)
    old = _flatten(transform_streams_for_comparison(ref), skip)
    if set(old) != set(new):
        missing, extra = sorted(set(old) - set(new)), sorted(set(new) - set(old))
        self.comparison_traceback.append(
            f"The outputs differ in kind: missing {missing or 'nothing'}, unexpected {extra or 'nothing'}.")
        return False
    results = []
    for key in old:
        if len(old[key]) != len(new[key]):
            self.comparison_traceback.append(
                f"'{key}': {len(old[key])} outputs in the committed notebook, {len(new[key])} now.")
            return False
        for ref_value, new_value in zip(old[key], new[key]):
            ref_value, new_value = self.sanitize(ref_value), self.sanitize(new_value)
            result = compare(ref_value, new_value)
            if not result.ok:
                self.comparison_traceback += [
                    f"'{key}' differs: {result.reason}",
                    "--- committed ---", str(ref_value)[:3000], "--- now ---", str(new_value)[:3000]]
                return False
            results.append(result)
    stats = STATS[self.nodeid.split("::")[0]]
    for result in results:
        stats[0 if result.exact else 1] += 1
        if not result.exact and (result.max_rel > stats[2] or stats[3] is None):
            stats[2], stats[3] = max(result.max_rel, stats[2]), self.cell_num
    return True


def _follow_display_updates(nbfile) -> None:
    """Apply ``update_display_data`` messages to the outputs of the running cell."""
    if getattr(nbfile, "_follows_updates", False):
        return
    receive = nbfile.get_kernel_message
    shown: dict[str, dict] = {}

    def get_kernel_message(*args, **kwargs):
        msg = receive(*args, **kwargs)
        content = msg.get("content", {})
        display_id = (content.get("transient") or {}).get("display_id")
        if msg["msg_type"] == "display_data" and display_id:
            shown[display_id] = nbformat.from_dict(content["data"])
        elif msg["msg_type"] == "update_display_data" and display_id in shown:
            cell = getattr(nbfile, "_running_cell", None)
            for out in getattr(cell, "test_outputs", []):
                if out.get("data") == shown[display_id]:
                    out["data"] = nbformat.from_dict(content["data"])
            shown[display_id] = nbformat.from_dict(content["data"])
            msg = dict(msg, msg_type="comm_display_update")  # handled here; nbval skips comm_*
        return msg

    nbfile.get_kernel_message = get_kernel_message
    nbfile._follows_updates = True


def pytest_collection_modifyitems(session, config, items):
    if IPyNbCell is None:
        return
    for item in items:
        if isinstance(item, IPyNbCell):
            item.compare_outputs = types.MethodType(tolerant_compare_outputs, item)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    if IPyNbCell is not None and isinstance(item, IPyNbCell):
        _follow_display_updates(item.parent)
        item.parent._running_cell = item
    yield


def pytest_terminal_summary(terminalreporter):
    report(terminalreporter, "notebook_comparison", {nb: list(row) for nb, row in STATS.items()})
