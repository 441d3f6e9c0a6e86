#!/usr/bin/env python3
"""Reference values for @ratchet/stats, computed with numpy and scipy.

    python3 packages/stats/scripts/reference.py > packages/stats/src/reference-values.json

The tests compare our TypeScript against these numbers; rerun this when a definition changes.
"""
import json
import numpy as np
from scipy import stats

rng = np.random.default_rng(20261123)
sets = {
    "lognormal50": rng.lognormal(mean=0.0, sigma=0.1, size=50).tolist(),
    "normal7": rng.normal(loc=1.0, scale=0.05, size=7).tolist(),
    "ties20": [float(x) for x in rng.integers(10, 15, size=20)],
    "uniform1500": rng.uniform(0.9, 1.1, size=1500).tolist(),
}


def median_ci_ranks(n, confidence=0.95):
    tail = (1 - confidence) / 2
    k = 0
    while k + 1 <= n / 2 and stats.binom.cdf(k, n, 0.5) <= tail:
        k += 1
    return k


def summary(xs):
    x = np.sort(np.asarray(xs))
    n = len(x)
    mean = float(np.mean(x))
    std = float(np.std(x, ddof=1))
    half = float(stats.t.ppf(0.975, n - 1) * std / np.sqrt(n))
    if n <= 1000:
        k = median_ci_ranks(n)
    else:
        k = int(np.floor(n / 2 - stats.norm.ppf(0.975) * np.sqrt(n) / 2))
    ci_median = [float(x[0]), float(x[-1])] if k < 1 else [float(x[k - 1]), float(x[n - k])]
    q = lambda p: float(np.quantile(x, p))  # numpy 'linear' = R type 7
    return {
        "n": n, "mean": mean, "median": q(0.5), "std": std, "cv": std / mean,
        "min": float(x[0]), "max": float(x[-1]),
        "p05": q(0.05), "p25": q(0.25), "p75": q(0.75), "p95": q(0.95), "p99": q(0.99),
        "ci95Mean": [mean - half, mean + half], "ci95Median": ci_median,
    }


def mwu(a, b, method):
    return float(stats.mannwhitneyu(a, b, alternative="two-sided", method=method, use_continuity=True).pvalue)


shifted = (np.asarray(sets["lognormal50"]) * 1.05).tolist()
# Per-turn log-ratios of a paired comparison: a small shift, rounded so that ties and zeros occur.
turn_log_ratios = np.round(rng.normal(loc=0.004, scale=0.01, size=40), 3).tolist()


def wilcoxon(d, alternative):
    return float(stats.wilcoxon(d, zero_method="wilcox", correction=True, method="approx", alternative=alternative).pvalue)


def hodges_lehmann(d):
    d = np.asarray(d)
    i, j = np.triu_indices(len(d))
    return float(np.median((d[i] + d[j]) / 2))
small_a = sets["normal7"]
small_b = (np.asarray(sets["normal7"]) + 0.031).tolist()
out = {
    "generatedBy": "python3 packages/stats/scripts/reference.py (numpy %s, scipy %s)" % (np.__version__, stats.__name__ and __import__("scipy").__version__),
    "sets": sets,
    "summaries": {name: summary(xs) for name, xs in sets.items()},
    "mannWhitney": [
        {"a": "lognormal50", "b": "shifted", "method": "asymptotic", "pValue": mwu(sets["lognormal50"], shifted, "asymptotic")},
        {"a": "ties20", "b": "lognormal50x12", "method": "asymptotic",
         "pValue": mwu(sets["ties20"], (np.asarray(sets["lognormal50"]) * 12).tolist(), "asymptotic")},
        {"a": "normal7", "b": "normal7+0.031", "method": "exact", "pValue": mwu(small_a, small_b, "exact")},
    ],
    "shifted": shifted,
    "signedRank": {"d": turn_log_ratios, "pGreater": wilcoxon(turn_log_ratios, "greater"), "pLess": wilcoxon(turn_log_ratios, "less"),
                   "hodgesLehmann": hodges_lehmann(turn_log_ratios)},
    "tQuantiles": [{"p": p, "dof": d, "value": float(stats.t.ppf(p, d))} for p in (0.975, 0.995, 0.9) for d in (1, 2, 5, 30, 1000)],
    "normalQuantiles": [{"p": p, "value": float(stats.norm.ppf(p))} for p in (0.975, 0.995, 0.6, 0.999999)],
}
print(json.dumps(out, indent=1))
