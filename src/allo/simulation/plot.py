"""A PNG comparing policies instance by instance (matplotlib, Agg backend, no display)."""

from __future__ import annotations

from pathlib import Path


def plot_comparison(rows: list[dict[str, object]], path: Path) -> None:
    """Two panels: mean click-to-door above the lower bound, and % over 40 min, per instance."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    instances = sorted({str(r["instance"]) for r in rows})
    policies = sorted({str(r["policy"]) for r in rows})
    idx = {name: i for i, name in enumerate(instances)}
    width = max(8.0, 0.12 * len(instances) + 3)
    fig, axes = plt.subplots(2, 1, figsize=(width, 7), sharex=True)
    for policy in policies:
        mine = sorted((r for r in rows if r["policy"] == policy), key=lambda r: idx[str(r["instance"])])
        xs = [idx[str(r["instance"])] for r in mine]
        axes[0].plot(xs, [float(r["excess_mean"]) for r in mine], marker="o", ms=3, lw=0.8, label=policy)
        axes[1].plot(xs, [float(r["pct_over_40"]) - float(r["lb_pct_over_40"]) for r in mine], marker="o", ms=3, lw=0.8, label=policy)
    axes[0].set_ylabel("mean CtD − lower bound (min)")
    axes[1].set_ylabel("% over 40 − LB's % (points)")
    axes[0].legend()
    for ax in axes:
        ax.grid(alpha=0.3)
    axes[1].set_xticks(range(len(instances)))
    axes[1].set_xticklabels(instances, rotation=90, fontsize=6)
    fig.suptitle("MDRP: policies compared instance by instance")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=80)
    plt.close(fig)
